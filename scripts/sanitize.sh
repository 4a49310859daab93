#!/usr/bin/env bash
# Runs the Bazel tests under a sanitizer (docs/testing.md):
#   scripts/sanitize.sh asan [bazel test args]  every test under AddressSanitizer + UBSan
#   scripts/sanitize.sh tsan [bazel test args]  the concurrency-heavy tests under ThreadSanitizer
# Each config builds in its own output base (~/.cache/payouts-gateway-bazel-<config>/...), so it
# never evicts the normal build's cache; a first run compiles everything again (about
# twice a normal build). Starts PostgreSQL like scripts/test.sh for the PostgreSQL store tests.
# Ends with the summary line of scripts/test.sh ("N passed, N failed") and exits non-zero on
# any failure or sanitizer report.
set -uo pipefail
cd "$(dirname "$0")/.."

config=${1:-}
shift || true
case "$config" in
  asan)
    # runtime_packages_test checks the shared libraries of the normal build against the
    # image; an instrumented binary needs libasan/libubsan, which the image rightly lacks.
    targets=(//... -//deploy:runtime_packages_test)
    ;;
  tsan)
    # The tests whose code runs on several threads and whose hand-offs TSan can see: store
    # executor, token cache, connection pool and HTTPS client, HTTP server, webhook service,
    # resolver loop, reconciliation runner and schedule, credential watcher. Tests that host gRPC (gateway_server_test, the e2e
    # tests) are left out: Debian's gRPC is not TSan-instrumented and every call hands objects
    # of gRPC's inline templates through its completion queue, which TSan cannot see
    # (docs/testing.md, "Sanitizers"). The first target checks bazel/tsan's annotations of
    # Debian's uninstrumented abseil, which every target needs.
    targets=(
      //bazel/tsan:absl_sync_annotations_test
      //idempotency:store_executor_test
      //idempotency:sqlite_store_test
      //providers/monato:token_cache_test
      //tests/net:beast_http_client_test
      //net/http:http_client_units_test
      //net/http:http_server_test
      //gateway/webhooks:webhook_service_test
      //gateway/core:periodic_resolver_test
      //gateway/reconciliation:reconciliation_runner_test
      //gateway/reconciliation:reconciliation_schedule_test
      //gateway/reconciliation:reconciliation_slices_test
      //providers/stp:stp_signer_test
      //gateway/wiring:credential_watcher_test
    )
    ;;
  *)
    echo "usage: scripts/sanitize.sh asan|tsan [bazel test args]" >&2
    exit 2
    ;;
esac

bash scripts/setup.sh || exit 1
checkout_hash=$(pwd | sha256sum | cut -c1-12)
output_base="$HOME/.cache/payouts-gateway-bazel-$config/$checkout_hash"
bep=$(mktemp)
started_postgres=0
cleanup() {
  if ((started_postgres)); then
    bash scripts/postgres.sh stop || echo "scripts/postgres.sh stop failed" >&2
  fi
  rm -f "$bep"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

env_args=()
if [ "$config" = asan ]; then
  # Stopped at the end only when this run started it.
  bash scripts/postgres.sh url >/dev/null 2>&1 || started_postgres=1
  if bash scripts/postgres.sh start && postgres_url=$(bash scripts/postgres.sh url); then
    env_args+=(--test_env=GATEWAY_TEST_POSTGRES_URL="$postgres_url")
  else
    echo "scripts/postgres.sh could not start PostgreSQL: its tests will fail" >&2
  fi
  env_args+=(--test_env=LSAN_OPTIONS=suppressions=$PWD/scripts/lsan.supp:print_suppressions=0)
else
  env_args+=(--test_env=TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/scripts/tsan.supp)
fi

bazel_cmd=(bazel --output_base="$output_base")
# --symlink_prefix=/: no bazel-* links in the checkout, which keep pointing at the normal
# build (scripts/test.sh reads its test logs after this runs; a link into this output base
# would also be walked by the normal build's //... as a package).
"${bazel_cmd[@]}" test --config="$config" --symlink_prefix=/ --keep_going \
  --build_event_json_file="$bep" \
  "${env_args[@]}" "$@" -- "${targets[@]}"
rc=$?

positive=() query_except=""
for t in "${targets[@]}"; do
  if [[ "$t" == -* ]]; then query_except+=" except ${t#-}"; else positive+=("$t"); fi
done
labels=$("${bazel_cmd[@]}" query "tests(set(${positive[*]}))$query_except" 2>/dev/null) || labels=""
python3 scripts/junit_summary.py --bep "$bep" \
  --testlogs "$("${bazel_cmd[@]}" info --config="$config" bazel-testlogs 2>/dev/null)" $labels || rc=1
exit $rc
