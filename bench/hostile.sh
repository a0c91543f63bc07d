#!/usr/bin/env bash
# The hostile-load floors in one run on this machine: a probe's latency on /healthz and
# /v1/convert while ten maximal-budget scenarios run (against the baseline responder and the
# idle server), and the memory the largest accepted requests of at most 64 KiB cost. Prints
# both tables.
#
#   bench/hostile.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x build/bin/crossrate-hostile-bench ] || { echo "hostile: build first (make build)" >&2; exit 1; }
exec build/bin/crossrate-hostile-bench "${1:-3}"
