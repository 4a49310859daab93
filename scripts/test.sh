#!/usr/bin/env bash
# Runs every test: installs what is missing, starts a throwaway PostgreSQL on loopback for the
# PostgreSQL store tests, builds, runs all Bazel tests, the README's run command as a smoke
# test, every fuzz target for 5 s and the ThreadSanitizer set (scripts/sanitize.sh tsan),
# stops PostgreSQL, and ends with one line
# "N passed, N failed".
# Extra arguments go to `bazel test` (e.g. scripts/test.sh --test_filter=...).
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh || { echo "0 passed, 1 failed"; exit 1; }

bep=$(mktemp)
cleanup() {
  bash scripts/postgres.sh stop || echo "scripts/postgres.sh stop failed" >&2
  rm -f "$bep"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP  # through the EXIT trap: the server is stopped on Ctrl-C too

# Without a server the PostgreSQL tests fail (and say why); they are never skipped.
postgres_env=()
if bash scripts/postgres.sh start && postgres_url=$(bash scripts/postgres.sh url); then
  postgres_env=(--test_env=GATEWAY_TEST_POSTGRES_URL="$postgres_url")
else
  echo "scripts/postgres.sh could not start PostgreSQL: its tests will fail" >&2
fi

bazel test //... --keep_going --build_event_json_file="$bep" "${postgres_env[@]}" "$@"
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

# Every fuzz target for a few seconds (fuzz/README.md): a crash on its seeds or nearby fails CI.
if FUZZ_SEED=1 bash scripts/fuzz.sh 5 >var-fuzz.log 2>&1; then
  extra+=(--extra "fuzz_smoke=passed")
  grep '^fuzz: ' var-fuzz.log
else
  echo "scripts/fuzz.sh 5 failed:" >&2
  grep -E '^fuzz|error:|ERROR|FUZZ_CHECK|SUMMARY' var-fuzz.log | tail -n 40 >&2
  extra+=(--extra "fuzz_smoke=failed")
  rc=1
fi
rm -f var-fuzz.log

# No include from a lower layer into a higher one (the layers: BUILD.bazel at the root).
if bash scripts/check_layers.sh >var-layers.log 2>&1; then
  extra+=(--extra "layer_check=passed")
else
  echo "scripts/check_layers.sh failed:" >&2
  cat var-layers.log >&2
  extra+=(--extra "layer_check=failed")
  rc=1
fi
rm -f var-layers.log
# The concurrency tests under ThreadSanitizer (docs/testing.md): a data race fails CI. About
# half a minute with a warm cache, ten minutes cold (its own output base).
if bash scripts/sanitize.sh tsan >var-tsan.log 2>&1; then
  extra+=(--extra "tsan=passed")
else
  echo "scripts/sanitize.sh tsan failed:" >&2
  grep -E 'ThreadSanitizer|FAILED|error:|passed, ' var-tsan.log | tail -n 40 >&2
  extra+=(--extra "tsan=failed")
  rc=1
fi
rm -f var-tsan.log

labels=$(bazel query 'tests(//...)' 2>/dev/null) || labels=""
python3 scripts/junit_summary.py --bep "$bep" --testlogs "$(bazel info bazel-testlogs 2>/dev/null)" \
  "${extra[@]}" $labels || rc=1
exit $rc
