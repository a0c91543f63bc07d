#!/usr/bin/env bash
# The fleet's floors in one run on this machine (see bench/fleet_bench.cpp): commit-to-event
# on every replica, a write through PostgreSQL against SQLite, reads through HAProxy with 1 and
# 3 replicas, a read's p99 with PostgreSQL stopped.
#
#   bench/fleet.sh [WRITES] [WRK_SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "fleet: wrk is missing (make setup installs it)" >&2; exit 1; }
[ -x build/bin/crossrate-fleet-bench ] || { echo "fleet: build first (make build)" >&2; exit 1; }
exec build/bin/crossrate-fleet-bench "${1:-200}" "${2:-5}"
