#!/usr/bin/env bash
# Runs every test: installs what is missing, builds, runs all Bazel tests and the README's run
# command as a smoke test, and ends with one line "N passed, N failed".
# Extra arguments go to `bazel test` (e.g. scripts/test.sh --test_filter=...).
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh || { echo "0 passed, 1 failed"; exit 1; }

bep=$(mktemp)
trap 'rm -f "$bep"' EXIT
bazel test //... --keep_going --build_event_json_file="$bep" "$@"
rc=$?

# The README's run command, end to end: start the gateway, run the demo, stop it.
extra=()
if bash scripts/run.sh --demo-only >var-run-demo.log 2>&1; then
  extra+=(--extra "readme_run_command=passed")
else
  echo "scripts/run.sh --demo-only failed:" >&2
  tail -n 40 var-run-demo.log >&2
  extra+=(--extra "readme_run_command=failed")
  rc=1
fi
rm -f var-run-demo.log

labels=$(bazel query 'tests(//...)' 2>/dev/null) || labels=""
python3 scripts/junit_summary.py --bep "$bep" --testlogs "$(bazel info bazel-testlogs 2>/dev/null)" \
  "${extra[@]}" $labels || rc=1
exit $rc
