#!/usr/bin/env bash
# Data that grows, in one run on this machine: for 1k, 10k and 100k generated quotes (plus a
# tenth as many market rates), the import through the CLI and over HTTP, start-up, a
# single-record write, a weekly 9-year margins series, a page of quotes, a revision=2 read,
# memory after 1,000 writes; then 10 writers x 200 writes beside 4 readers.
#
#   bench/scale.sh [SIZES...]     (default: 1000 10000 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x build/bin/crossrate-scale-bench ] || { echo "scale: build first (make build)" >&2; exit 1; }
exec build/bin/crossrate-scale-bench "$@"
