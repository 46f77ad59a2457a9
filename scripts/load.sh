#!/usr/bin/env bash
# `make bench-load`: wrk against the public journeys with one app server, two, and two reading
# from the streaming replica (#17); prints the table. Arguments go to
# `python -m earlyhelp.scale bench` (--seconds 8 --rounds 3 --connections 8 --workers 2 by
# default: each cell is the median of 3 runs of 8 s, the columns taken in turn).
# The PostgreSQL pair is scripts/replica.sh's (SCALE_DIR, default .data/scale).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's wrk for the load figures..." >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null) \
      || { echo "!!! Could not install wrk: no load figures !!!" >&2; exit 1; }
  else
    echo "!!! wrk is not installed (apt-get install wrk): no load figures !!!" >&2
    exit 1
  fi
fi

echo "$(nproc) CPUs; $(wrk --version 2>&1 | head -n 1)" >&2
exec .venv/bin/python -m earlyhelp.scale bench "$@"
