#!/usr/bin/env bash
# The HTTP floor, measured in one run on this machine: the baseline responder and
# crossrate-server, each with one server thread, loaded in turn by the same wrk command.
# Prints requests/s and p99 of each, and their ratios.
#
#   bench/http_load.sh [DURATION_SECONDS] [CONNECTIONS] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
connections=${2:-32}
rounds=${3:-3}
bin=build/bin
command -v wrk >/dev/null || { echo "http_load: wrk is missing (make setup installs it)" >&2; exit 1; }
for b in baseline-responder crossrate-server; do
  [ -x "$bin/$b" ] || { echo "http_load: build first (make build): $bin/$b" >&2; exit 1; }
done

pids=()
# The server's access log is on, as deployed, and goes to /dev/null: the server does all of its
# logging work (every line formatted and written by its flusher), the file system's part is
# left out, because on a VM that backs its memory lazily it is the host's, and swings: each new
# page of the page cache first costs the host a fault, and freed pages are handed back to it
# (bench/README.md, 2026-12-03, measured at 0.2 to 0.8 us a request within one run). One more
# server logs to a file, loaded at the one URL each round, to show what that costs here: to
# CROSSRATE_BENCH_LOG if given (and kept), else to a temporary file removed at the end (15 s x 3
# rounds writes about 2 GB).
log_made=
cleanup() {
  for p in ${pids[@]+"${pids[@]}"}; do kill "$p" 2>/dev/null || true; done
  for p in ${pids[@]+"${pids[@]}"}; do wait "$p" 2>/dev/null || true; done
  [ -z "$log_made" ] || rm -f "$log_made"
}
trap cleanup EXIT

wait_port() {
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.05
  done
  echo "http_load: nothing listens on $1" >&2; exit 1
}

# The CPU time (user + system, in clock ticks) the process's first thread has had: the one
# server thread of both (the I/O thread runs on the main one); and the whole process's.
ticks() { awk '{print $14 + $15}' "/proc/$1/task/$1/stat"; }
process_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# requests/s and p99 (ms) from wrk --latency output, then the server thread's CPU time per
# request (µs): the work a request costs that thread, which the machine's drift (the other
# core, where wrk runs, taken by neighbours) disturbs less than requests/s; and the process's
# other threads' (the server's: the log's flusher).
load() {
  local pid=$1 url=$2 out before all_before
  before=$(ticks "$pid")
  all_before=$(process_ticks "$pid")
  out=$(wrk -t1 -c"$connections" -d"${duration}s" --latency ${3:+-s "$3"} "$url")
  local cpu others thread_ticks
  thread_ticks=$(( $(ticks "$pid") - before ))
  cpu=$(awk -v t="$thread_ticks" -v hz="$(getconf CLK_TCK)" '/requests in/ {printf "%.2f", t * 1e6 / hz / $1}' <<<"$out")
  others=$(awk -v t=$(( $(process_ticks "$pid") - all_before - thread_ticks )) -v hz="$(getconf CLK_TCK)" \
    '/requests in/ {printf "%.2f", t * 1e6 / hz / $1}' <<<"$out")
  local rps p99
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; print v}' <<<"$out")
  local errors
  errors=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out")
  [ -z "$errors" ] || echo "  wrk reported: $errors" >&2
  echo "$rps $p99 $cpu $others"
}

if [ -n "${CROSSRATE_BENCH_LOG:-}" ]; then
  log=$CROSSRATE_BENCH_LOG
else
  log=$(mktemp "${TMPDIR:-/tmp}/crossrate-http-load.XXXXXX.log")
  log_made=$log
fi
"$bin/baseline-responder" 18181 1 & pids+=($!); base_pid=$!
# The server as deployed: access log on (one JSON line per request).
"$bin/crossrate-server" --port 18182 --threads 1 >/dev/null 2>&1 & pids+=($!); server_pid=$!
"$bin/crossrate-server" --port 18183 --threads 1 >"$log" 2>&1 & pids+=($!); file_pid=$!
wait_port 18181
wait_port 18182
wait_port 18183

convert=${CROSSRATE_BENCH_TARGET:-'/v1/convert?amount=5000&from=RMB&to=USD&date=2022-12-15'}
echo "wrk -t1 -c$connections -d${duration}s, one server thread each, $(nproc) cores; $rounds rounds, alternating, medians"
margins=${CROSSRATE_BENCH_MARGINS:-'/v1/margins?items=goat,sheep,rabbit&date=2023-04-02&currency=USD'}
base_rps=(); base_p99=(); conv_rps=(); conv_p99=(); dist_rps=(); dist_p99=(); marg_rps=(); marg_p99=()
file_rps=(); file_p99=()
base_cpu=(); conv_cpu=(); dist_cpu=(); marg_cpu=(); file_cpu=()
base_log=(); conv_log=(); dist_log=(); marg_log=(); file_log=()
# One load (load's arguments after NAME), its figures added to NAME_rps, _p99, _cpu and _log.
measure() {
  local name=$1 r p c o
  shift
  read -r r p c o < <(load "$@")
  local -n rps_to=${name}_rps p99_to=${name}_p99 cpu_to=${name}_cpu log_to=${name}_log
  rps_to+=("$r"); p99_to+=("$p"); cpu_to+=("$c"); log_to+=("$o")
}
for _ in $(seq "$rounds"); do
  # The baseline is asked the one-URL load's request: the same bytes for Beast to parse (its
  # request-line parser spends ~650 more instructions on that target than on "/": callgrind).
  measure base "$base_pid" "http://127.0.0.1:18181$convert"
  measure conv "$server_pid" "http://127.0.0.1:18182$convert"
  measure dist "$server_pid" "http://127.0.0.1:18182/" bench/distinct_amounts.lua
  measure marg "$server_pid" "http://127.0.0.1:18182$margins"
  measure file "$file_pid" "http://127.0.0.1:18183$convert"
done
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
# label, then the names of the load's arrays of requests/s and p99. Two ratios to the baseline:
# of the medians, and the median of each round's own (this load over the baseline's run just
# before it), which a machine whose speed drifts from one minute to the next disturbs less.
report() {
  local label=$1
  local -n rps_of=$2 p99_of=$3
  local rps paired=()
  rps=$(median "${rps_of[@]}")
  for i in "${!rps_of[@]}"; do paired+=("$(awk -v a="${rps_of[$i]}" -v b="${base_rps[$i]}" 'BEGIN {printf "%.2f", a / b}')"); done
  printf '%-34s %9.0f req/s  p99 %6.3f ms  ratio %.2f  paired %.2f (%s)\n' "$label" "$rps" "$(median "${p99_of[@]}")" \
    "$(awk -v a="$rps" -v b="$b" 'BEGIN {print a / b}')" "$(median "${paired[@]}")" "${paired[*]}"
}
b=$(median "${base_rps[@]}")
printf '%-34s %9.0f req/s  p99 %6.3f ms  (runs: %s)\n' "baseline responder" "$b" "$(median "${base_p99[@]}")" "${base_rps[*]}"
report "GET /v1/convert, one URL" conv_rps conv_p99
report "GET /v1/convert, distinct amounts" dist_rps dist_p99
report "GET /v1/margins, 3 items (cached)" marg_rps marg_p99
report "one URL, access log to a file" file_rps file_p99
# The same loads by the server thread's own CPU time per request (medians), and the baseline's
# over each: the ratio the loads would have if that thread were all there is to it; then the
# server's other threads' (its log's flusher, on the cores wrk shares).
bc=$(median "${base_cpu[@]}")
cpu_report() {
  local -n cpu_of=$2 log_of=$3
  local c
  c=$(median "${cpu_of[@]}")
  printf '  %-34s %6.2f us  %s   other threads %5.2f us\n' "$1" "$c" "$(awk -v a="$bc" -v b="$c" 'BEGIN {printf "%.2f", a / b}')" \
    "$(median "${log_of[@]}")"
}
echo "server thread's CPU time per request (user + system, median), and the baseline's over it:"
printf '  %-34s %6.2f us\n' "baseline responder" "$bc"
cpu_report "GET /v1/convert, one URL" conv_cpu conv_log
cpu_report "GET /v1/convert, distinct amounts" dist_cpu dist_log
cpu_report "GET /v1/margins, 3 items (cached)" marg_cpu marg_log
cpu_report "one URL, access log to a file" file_cpu file_log
# Two pipelined requests at a time: both answers in without a delayed ACK's wait (TCP_NODELAY).
pairs() {
  local took
  took=$(python3 bench/pipelined_pairs.py "$@") || { echo "failed"; return; }
  awk '{printf "%.3f ms, worst %.3f ms", $1, $2}' <<<"$took"
}
echo "two pipelined requests on one connection, until both answers are in (median of 200 pairs):"
printf '  %-34s %s\n' "baseline responder" "$(pairs 18181 "$convert")"
printf '  %-34s %s\n' "GET /v1/convert, one URL" "$(pairs 18182 "$convert")"
echo "floors: one URL >= 0.90, distinct amounts >= 0.70, margins >= 0.60; p99 <= 2 ms. The access log is on,"
echo "written to /dev/null (the last load writes it to a file: what the file system adds). The baseline writes"
echo "one pre-rendered 97-byte answer as one buffer, as the server writes its answers, to the one-URL load's"
echo "request. One URL repeats,"
echo "so from its third request it is answered from bytes the reply cache keeps; distinct amounts are"
echo "converted and rendered every time, at one pair and date: from the second, each from the kept answer"
echo "of another (the route varies_by amount), the document around them rendered once (server/memo.hpp); the"
echo "margins URL repeats too (CROSSRATE_BENCH_MARGINS picks another)."
