#!/usr/bin/env bash
# Runs scrape_test.py (see there) with python3 from the system, as scripts/ do.
set -euo pipefail
script=$1
shift
command -v prometheus >/dev/null || { echo "prometheus missing: bash scripts/setup.sh" >&2; exit 1; }
exec python3 "$script" "$@"
