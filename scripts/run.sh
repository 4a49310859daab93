#!/usr/bin/env bash
# Builds and runs the gateway on its embedded default (config/gateway.yaml): the provider
# sandbox over HTTPS on loopback with its own test CA, then the gateway, then a demo with
# payctl, ending with a clean reconciliation of the demo's own payouts. Both keep running until
# Ctrl-C (SIGTERM is forwarded; the gateway drains).
#
#   scripts/run.sh              # serve on 127.0.0.1:50051 (sandbox: Monato :18443, Fintoc :18444, STP :18445)
#   scripts/run.sh --demo-only  # any free ports; run the demo, then stop (scripts/test.sh uses it)
#   scripts/run.sh --bench [LOADGEN FLAGS]  # optimized build, free ports, bench/loadgen with
#                               # these flags against it (see BENCHMARKS.md), then stop
#     --store=sqlite|postgres   # the gateway's store (default sqlite); postgres: the local
#                               # scripts/postgres.sh server, a fresh schema per run
#     --replicas=N              # N gateways on that one store, the load spread over them
set -euo pipefail
cd "$(dirname "$0")/.."

demo_only=false
bench=false
store=sqlite
replicas=1
build=(//gateway //gateway/cli:payctl //sandbox:sandbox)
case "${1:-}" in
  --demo-only) demo_only=true ;;
  --bench)
    demo_only=true bench=true
    shift
    bench_flags=()
    for flag in "$@"; do  # run.sh's own flags; the rest are the load generator's
      case $flag in
        --store=sqlite | --store=postgres) store=${flag#--store=} ;;
        --replicas=*) replicas=${flag#--replicas=} ;;
        *) bench_flags+=("$flag") ;;
      esac
    done
    if ! [[ $replicas =~ ^[1-9][0-9]*$ ]]; then
      echo "run: --replicas must be a positive number" >&2
      exit 2
    fi
    for flag in "${bench_flags[@]}"; do
      if [[ $flag == --store=* ]]; then
        echo "run: --store must be sqlite or postgres" >&2
        exit 2
      fi
    done
    build=(-c opt "${build[@]}" //bench:loadgen)
    ;;
esac
sandbox_flags=()
if $bench; then
  # Scenario 1 compares creating payouts only: nothing settles during it, so neither side also
  # pays for settlement webhooks (the gateway would, for both sides' transactions).
  for flag in "${bench_flags[@]}"; do
    [[ $flag == --scenario=1 ]] && sandbox_flags+=(--settle_after_ms=-1)
  done
fi

bash scripts/setup.sh
bazel build "${build[@]}"

state=var/sandbox
mkdir -p "$state"
chmod 700 "$state"
# Demo credentials: the sandbox and the gateway read the same files. Real deployments mount
# real secrets instead (see deploy/README.md).
[[ -s $state/monato_api_key ]] || echo "monato-sandbox-api-key" >"$state/monato_api_key"
[[ -s $state/monato_client_secret ]] || echo "monato-sandbox-client-secret" >"$state/monato_client_secret"
[[ -s $state/fintoc_secret_key ]] || echo "sk_test_sandbox_$(openssl rand -hex 12)" >"$state/fintoc_secret_key"
[[ -s $state/fintoc_webhook_secret ]] || echo "whsec_$(openssl rand -hex 16)" >"$state/fintoc_webhook_secret"
[[ -s $state/monato_webhook_token ]] || echo "monato-webhook-$(openssl rand -hex 16)" >"$state/monato_webhook_token"
if [[ ! -s $state/fintoc_jws_private.pem ]]; then
  openssl genrsa -out "$state/fintoc_jws_private.pem" 2048 2>/dev/null
  openssl rsa -in "$state/fintoc_jws_private.pem" -pubout -out "$state/fintoc_jws_public.pem" 2>/dev/null
fi
# STP: the gateway signs each order's firma with the private half, the sandbox verifies with
# the public half; its notifications carry the shared token (docs/providers/stp.md).
[[ -s $state/stp_webhook_token ]] || echo "stp-webhook-$(openssl rand -hex 16)" >"$state/stp_webhook_token"
if [[ ! -s $state/stp_private.pem ]]; then
  openssl genrsa -out "$state/stp_private.pem" 2048 2>/dev/null
  openssl rsa -in "$state/stp_private.pem" -pubout -out "$state/stp_public.pem" 2>/dev/null
fi
chmod 600 "$state"/*

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
if $demo_only; then
  monato_port=0 fintoc_port=0 stp_port=0 grpc=127.0.0.1:0 webhook_port=$(free_port) admin=127.0.0.1:0
else
  monato_port=18443 fintoc_port=18444 stp_port=18445 grpc=127.0.0.1:50051 webhook_port=8081 admin=127.0.0.1:9464
fi
webhook_url=http://127.0.0.1:$webhook_port

pids=()
pg_url='' bench_schema=''
stop_all() {
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill -TERM "${pids[i]}" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    if $bench; then
      # The figures are out by now: a process that hangs at exit (seen once: a gateway stuck in
      # its destructor after SIGTERM) is reported and killed instead of holding the run.
      for _ in $(seq 1 300); do
        state=$(ps -o stat= -p "$pid" 2>/dev/null || true)
        [[ -n $state && $state != Z* ]] || break
        sleep 0.1
      done
      if [[ -n $state && $state != Z* ]]; then
        echo "run: pid $pid still running 30 s after SIGTERM: killed" >&2
        kill -KILL "$pid" 2>/dev/null || true
      fi
      wait "$pid" 2>/dev/null || true
    else
      wait "$pid" 2>/dev/null || true
    fi
  done
  # The run's schema goes with it: the next run starts on empty tables too.
  if [[ -n $bench_schema ]]; then
    psql -q -X "$pg_url" -c "DROP SCHEMA IF EXISTS $bench_schema CASCADE" >/dev/null 2>&1 || true
  fi
}
trap stop_all EXIT INT TERM

wait_for_file() {  # file pid what
  for _ in $(seq 1 200); do
    [[ -s "$1" ]] && return 0
    kill -0 "$2" 2>/dev/null || { echo "run: $3 exited at start" >&2; return 1; }
    sleep 0.05
  done
  echo "run: $3 did not start within 10 s" >&2
  return 1
}

rm -f "$state/ports" "$state/ca.pem" var/gateway.port
bazel-bin/sandbox/sandbox \
  --monato_port=$monato_port --fintoc_port=$fintoc_port --stp_port=$stp_port \
  --ports_file="$state/ports" --ca_out="$state/ca.pem" \
  --monato_api_key_file="$state/monato_api_key" \
  --monato_client_secret_file="$state/monato_client_secret" \
  --fintoc_secret_key_file="$state/fintoc_secret_key" \
  --fintoc_jws_public_key_file="$state/fintoc_jws_public.pem" \
  --fintoc_webhook_secret_file="$state/fintoc_webhook_secret" \
  --fintoc_webhook_url="$webhook_url/webhooks/fintoc" \
  --stp_public_key_file="$state/stp_public.pem" \
  --stp_state_webhook_url="$webhook_url/webhooks/stp?token=$(cat "$state/stp_webhook_token")" \
  --stp_deposit_webhook_url="$webhook_url/webhooks/stp?token=$(cat "$state/stp_webhook_token")" \
  "${sandbox_flags[@]}" \
  2>var/sandbox.log &
pids+=($!)
wait_for_file "$state/ports" "${pids[0]}" "the sandbox" || { tail -n 20 var/sandbox.log >&2; exit 1; }
wait_for_file "$state/ca.pem" "${pids[0]}" "the sandbox"
monato_port=$(sed -n 's/^monato=//p' "$state/ports")
fintoc_port=$(sed -n 's/^fintoc=//p' "$state/ports")
stp_port=$(sed -n 's/^stp=//p' "$state/ports")

export GATEWAY_SERVER__LISTEN_ADDRESS=$grpc
if $bench; then
  # The sandbox keeps its transactions in memory: a store left by an earlier run would hold
  # payouts this sandbox never saw, and the resolver's re-checks of them would skew the figures.
  # BENCH_STORE_DIR=/dev/shm puts it in memory: the same SQLite work without the disk flushes,
  # to show what durability costs (BENCHMARKS.md).
  if [[ $store == postgres ]]; then
    # The local throwaway server (left running: scripts/postgres.sh stop), durable defaults
    # (fsync, synchronous_commit on). A schema of this run's own, which the gateway creates and
    # stop_all drops; BENCH_PG_POOL sets each gateway's connections (and store threads).
    bash scripts/postgres.sh start
    pg_url=$(bash scripts/postgres.sh url)
    bench_schema=bench_$(date +%s)_$$
    export GATEWAY_STORE__URL="$pg_url?schema=$bench_schema&pool_size=${BENCH_PG_POOL:-4}"
    store_note="PostgreSQL $pg_url, schema $bench_schema, pool ${BENCH_PG_POOL:-4} per gateway"
  else
    bench_db=${BENCH_STORE_DIR:-var}/bench.db
    rm -f "$bench_db" "$bench_db-wal" "$bench_db-shm"
    export GATEWAY_STORE__URL=sqlite://$bench_db
    store_note="SQLite $bench_db"
  fi
  # Scenario 5 (1,000 payouts in flight) uses a pool of 64 per provider, so that 128 of them
  # are at the providers at once and the rest wait for a connection well within the provider
  # timeout. BENCH_POOL=N overrides it (BENCHMARKS.md shows N=500).
  pool_size=8
  for flag in "${bench_flags[@]}"; do [[ $flag == --scenario=5 ]] && pool_size=${BENCH_POOL:-64}; done
  export GATEWAY_PROVIDERS__MONATO__MAX_CONNECTIONS=$pool_size
  export GATEWAY_PROVIDERS__FINTOC__MAX_CONNECTIONS=$pool_size
fi
export GATEWAY_SERVER__ADMIN_LISTEN_ADDRESS=$admin
export GATEWAY_PROVIDERS__MONATO__BASE_URL=https://127.0.0.1:$monato_port
export GATEWAY_PROVIDERS__FINTOC__BASE_URL=https://127.0.0.1:$fintoc_port
export GATEWAY_PROVIDERS__STP__BASE_URL=https://127.0.0.1:$stp_port/speiws/rest
rm -f var/gateway.pid
# scripts/profile.sh preloads its allocation counter into the gateway(s) only.
gateway_env=()
[[ -n ${BENCH_GATEWAY_PRELOAD:-} ]] && gateway_env=(env "LD_PRELOAD=$BENCH_GATEWAY_PRELOAD")
# Replicas (--bench --replicas=N) share the store and the sandbox; each has its own ports,
# instance id (random at start) and webhook listener. Fintoc posts every event to the first's;
# Monato to whichever registered last. Any replica can apply any event: the store is shared.
addresses=() admins=() gateway_pids=()
echo
for ((r = 1; r <= replicas; r++)); do
  name=gateway hook=$webhook_url
  if ((replicas > 1)); then
    name=gateway.$r
    ((r > 1)) && hook=http://127.0.0.1:$(free_port)
  fi
  rm -f "var/$name.port" "var/$name.admin_port"
  GATEWAY_WEBHOOKS__LISTEN_ADDRESS=${hook#http://} GATEWAY_WEBHOOKS__PUBLIC_URL=$hook \
    "${gateway_env[@]}" bazel-bin/gateway/gateway --config=config/gateway.yaml --port_file="var/$name.port" \
    --admin_port_file="var/$name.admin_port" 2>"var/$name.log" &
  pids+=($!)
  gateway_pids+=($!)
  ((r == 1)) && echo "$!" >var/gateway.pid  # the first replica: what scripts/profile.sh samples
  wait_for_file "var/$name.port" "$!" "the gateway ($name)" || { tail -n 20 "var/$name.log" >&2; exit 1; }
  wait_for_file "var/$name.admin_port" "$!" "the gateway ($name)"
  addresses+=("127.0.0.1:$(cat "var/$name.port")")
  admins+=("127.0.0.1:$(cat "var/$name.admin_port")")
  echo "$name: ${addresses[-1]}, webhooks $hook, metrics http://${admins[-1]}/metrics (JSON logs: var/$name.log)"
done
address=${addresses[0]}
admin_address=${admins[0]}
join() { local IFS=,; echo "$*"; }

echo "sandbox: Monato https://127.0.0.1:$monato_port, Fintoc https://127.0.0.1:$fintoc_port, STP https://127.0.0.1:$stp_port (CA $state/ca.pem, log var/sandbox.log)"
$bench && echo "store: $store_note"
echo
if $bench; then
  echo "loadgen ${bench_flags[*]}"
  # Where everything is, for the scenarios that talk to the sandbox too (BENCHMARKS.md).
  bazel-bin/bench/loadgen --addr="$(join "${addresses[@]}")" --admin="$(join "${admins[@]}")" \
    --gateway_pid="$(join "${gateway_pids[@]}")" --pool_size="$pool_size" \
    --monato_url="https://127.0.0.1:$monato_port" --fintoc_url="https://127.0.0.1:$fintoc_port" \
    --sandbox_ca="$state/ca.pem" --monato_api_key_file="$state/monato_api_key" \
    --monato_client_secret_file="$state/monato_client_secret" \
    --fintoc_jws_key="$state/fintoc_jws_private.pem" "${bench_flags[@]}"
  exit $?
fi
# The demo's own window, to the second (from rounded down, to rounded up).
demo_from=$(date -u +%Y-%m-%dT%H:%M:%SZ)
bazel-bin/gateway/cli/payctl --addr="$address" demo
demo_to=$(date -u -d '+1 second' +%Y-%m-%dT%H:%M:%SZ)
echo
# Every peso the demo moved, against what the providers say (docs/reconciliation.md): payctl
# exits non-zero unless the report is clean.
echo "== reconciliation of the demo's payouts ($demo_from .. $demo_to)"
if ! bazel-bin/gateway/cli/payctl --addr="$address" reconcile --from="$demo_from" --to="$demo_to"; then
  echo "run: the reconciliation of the demo's window is not clean" >&2
  exit 1
fi
echo
echo "== metrics after the demo (http://$admin_address/metrics, excerpt)"
python3 - "$admin_address" <<'PY'
import sys, urllib.request
text = urllib.request.urlopen(f"http://{sys.argv[1]}/metrics", timeout=5).read().decode()
for line in text.splitlines():
    payout_call = line.startswith("gateway_provider_requests_total") and "CreatePayout" in line
    reconciled = line.startswith("gateway_reconciliation_items") and not line.endswith(" 0")
    if payout_call or reconciled or line.startswith(("gateway_payouts_total",
                                                     "gateway_webhook_events_total")):
        print("  " + line)
PY

if $demo_only; then
  exit 0
fi
echo
echo "The gateway keeps running on $address. Try:"
echo "  bazel-bin/gateway/cli/payctl --addr=$address accounts"
echo "  bazel-bin/gateway/cli/payctl --addr=$address validate-clabe 014180655091438298"
echo "  grpcurl -plaintext $address list        (if you have grpcurl)"
echo "Ctrl-C stops it."
wait "${gateway_pids[0]}"
