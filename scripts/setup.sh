#!/usr/bin/env bash
# Installs what crossrate needs on Debian 12 and is missing, and nothing else: Debian's
# packages through apt (as root, or through sudo), the pinned npm packages through `npm ci` (the
# data, the dashboard's chart library, and what the node tests run).
# Idempotent and quick when everything is there.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  g++ cmake ninja-build make pkg-config
  libboost1.81-dev libboost-json1.81-dev   # Boost 1.81: Beast, Asio, JSON, Multiprecision
  libhowardhinnant-date-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libsqlite3-dev
  libpq-dev                                # the PostgreSQL store (--store postgresql://...)
  postgresql-15 haproxy                    # the fleet test: a throwaway PostgreSQL, replicas behind HAProxy
  libssl-dev                               # SHA-256 for writers' tokens
  wrk                                      # the HTTP benchmark's load generator
  zlib1g-dev                               # gzip for the dashboard's files
  python3                                  # the CSV test reads every table with Python's csv module
  curl jq                                  # the README's tour, replayed by tests/readme/ as it is written
  chromium fonts-liberation                # the dashboard's browser test (headless)
  clang libclang-rt-14-dev                 # libFuzzer (make fuzz)
  libasan8 libubsan1 libtsan2              # the sanitizer builds (make sanitize, make tsan)
)
# Node.js and npm only if no npm is on the PATH (a machine may carry its own Node.js build,
# whose package conflicts with Debian's npm).
command -v npm >/dev/null || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The test tools pinned below need Node.js 20.19+ (an even release: 20.19 and later 20.x, or
# 22.12 and later; @redocly/cli's engines); Debian 12's own nodejs is 18. The server and
# `make run` need no more than npm ci.
node_version=$(node -p 'process.versions.node' 2>/dev/null || echo none)
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit((a === 20 && b >= 19) || (a === 22 && b >= 12) || a >= 23 ? 0 : 1)' 2>/dev/null; then
  echo "setup: Node.js $node_version is not one the test tools support (20.19+ or 22.12+): make run works," >&2
  echo "setup: but make test's OpenAPI lint, typed client and browser tests need such a Node.js first." >&2
fi

# npm packages, exactly as the lock file pins them.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci (pinned npm packages)"
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
fi
