#!/usr/bin/env bash
# Runs each libFuzzer target of a fuzz build for SECONDS (default 60), from the seed corpus in
# fuzz/corpus/NAME (copied: the repository's corpus is never written; the scenario target also
# starts from the shipped examples in fixtures/scenarios). A crash, a leak, a sanitizer report
# or a broken property stops that target and fails the run; the input is kept in
# BUILD/fuzz-artifacts/.
#   scripts/fuzz.sh [BUILD_DIR] [SECONDS]
set -uo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-fuzz}
seconds=${2:-60}
targets=(target decimal records csv scenario)
mkdir -p "$build/fuzz-artifacts"
failed=()
for t in "${targets[@]}"; do
  corpus="$build/fuzz-corpus/$t"
  mkdir -p "$corpus"
  cp -n fuzz/corpus/"$t"/* "$corpus"/ 2>/dev/null || true
  [ "$t" = scenario ] && cp -n fixtures/scenarios/*.json "$corpus"/
  echo "fuzz: $t for ${seconds}s"
  if ! "$build/bin/fuzz_$t" "$corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
       -print_final_stats=1 -artifact_prefix="$build/fuzz-artifacts/$t-" > "$build/fuzz-$t.log" 2>&1; then
    failed+=("$t")
    tail -40 "$build/fuzz-$t.log"
  else
    grep -E '^stat::number_of_executed_units|^#[0-9]+ *DONE' "$build/fuzz-$t.log" | tail -1
  fi
done
if ((${#failed[@]})); then
  echo "fuzz: failed: ${failed[*]} (inputs in $build/fuzz-artifacts/)"
  echo "fuzz: $((${#targets[@]} - ${#failed[@]})) passed, ${#failed[@]} failed"
  exit 1
fi
echo "fuzz: ${#targets[@]} targets, ${seconds}s each, no finding"
echo "fuzz: ${#targets[@]} passed, 0 failed"
