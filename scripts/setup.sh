#!/usr/bin/env bash
# Installs every Debian package the build, the tests and the demo need.
# Idempotent: when everything is already installed it does nothing (no apt-get update).
set -euo pipefail

PACKAGES=(
  # Build: Debian's Bazel 4.2.3 and the one rules repository it can use offline.
  bazel-bootstrap bazel-rules-java
  g++ pkg-config python3 openssl ca-certificates
  # Code generation and libraries of the fixed stack.
  protobuf-compiler protobuf-compiler-grpc libprotobuf-dev libgrpc++-dev
  libabsl-dev libssl-dev libboost1.81-all-dev libboost-json1.81-dev libboost-url1.81-dev libyaml-cpp-dev
  libsqlite3-dev libpq-dev
  # Tests.
  libgtest-dev libgmock-dev
  # Fuzzing (scripts/fuzz.sh): clang with libFuzzer and the sanitizer runtimes.
  clang-14 libclang-rt-14-dev llvm-14
  # A real PostgreSQL server, started on loopback by the test command.
  postgresql
  # Prometheus 2.42 and promtool: the alerting rules' tests (deploy/monitoring, docs/monitoring.md).
  prometheus
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  SUDO=sudo
else
  SUDO=
fi
echo "setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${PACKAGES[@]}"
