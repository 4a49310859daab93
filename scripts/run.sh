#!/usr/bin/env bash
# Builds and runs the gateway on its embedded default (config/gateway.yaml), then walks
# through a demo against it with payctl. The gateway keeps running until Ctrl-C (SIGTERM is
# forwarded, so it drains and exits cleanly).
#
#   scripts/run.sh              # run and keep serving on 127.0.0.1:50051
#   scripts/run.sh --demo-only  # run the demo, then stop (used by scripts/test.sh)
set -euo pipefail
cd "$(dirname "$0")/.."

demo_only=false
[[ "${1:-}" == "--demo-only" ]] && demo_only=true

bash scripts/setup.sh
bazel build //gateway //gateway/cli:payctl

mkdir -p var
port_file=var/gateway.port
rm -f "$port_file"
if $demo_only; then
  # Any free port, so the demo never collides with a gateway already running.
  export GATEWAY_SERVER__LISTEN_ADDRESS=127.0.0.1:0
fi
bazel-bin/gateway/gateway --config=config/gateway.yaml --port_file="$port_file" &
gateway_pid=$!
stop_gateway() {
  kill -TERM "$gateway_pid" 2>/dev/null || true
  wait "$gateway_pid" 2>/dev/null || true
}
trap stop_gateway EXIT INT TERM

for _ in $(seq 1 200); do
  [[ -s "$port_file" ]] && break
  kill -0 "$gateway_pid" 2>/dev/null || { echo "run: the gateway exited at start" >&2; exit 1; }
  sleep 0.05
done
[[ -s "$port_file" ]] || { echo "run: the gateway did not start within 10 s" >&2; exit 1; }
address="127.0.0.1:$(cat "$port_file")"

echo
echo "gateway serving on $address (logs: JSON lines on stderr)"
echo
bazel-bin/gateway/cli/payctl --addr="$address" demo

if $demo_only; then
  exit 0
fi
echo
echo "The gateway keeps running on $address. Try:"
echo "  bazel-bin/gateway/cli/payctl --addr=$address validate-clabe 014180655091438298"
echo "  grpcurl -plaintext $address list        (if you have grpcurl)"
echo "Ctrl-C stops it."
wait "$gateway_pid"
