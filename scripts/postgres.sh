#!/usr/bin/env bash
# A throwaway PostgreSQL 15 on loopback for the tests and the store benchmark.
#
#   scripts/postgres.sh start   # initdb + start (reuses a healthy server this checkout started)
#   scripts/postgres.sh url     # prints postgres://gateway_test@127.0.0.1:PORT/gateway_test
#   scripts/postgres.sh stop    # stops it and deletes its data directory
#
# Everything lives in one temp directory per checkout (data directory, unix socket, log), so
# several worktrees can each run their own server. The server runs as the `postgres` OS user
# when we are root (CI), because initdb and postgres refuse to run as root. Authentication is
# `trust` and the server listens on 127.0.0.1 only: acceptable for this throwaway cluster,
# never for a real one. Durability settings are the server defaults (fsync=on,
# synchronous_commit=on), so benchmarks measure real commits.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
ROLE=gateway_test
DATABASE=gateway_test

repo=$(cd "$(dirname "$0")/.." && pwd)
checkout_id=$(printf '%s' "$repo" | cksum | cut -d' ' -f1)
dir=${GATEWAY_PG_DIR:-/tmp/payouts-gateway-pg-$checkout_id}
data=$dir/data

log() { echo "postgres.sh: $*" >&2; }

# Runs a server-side command as the OS user that owns the cluster.
as_server_user() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

port() { cat "$dir/port" 2>/dev/null; }

is_healthy() {
  local p
  p=$(port) || return 1
  [[ -n $p ]] || return 1
  as_server_user "$PG_BIN/pg_ctl" status -D "$data" >/dev/null 2>&1 &&
    "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$p" -d "$DATABASE" -U "$ROLE"
}

# A port that is stable for this checkout (so the URL, and with it Bazel's test cache keys, do
# not change between runs), below the kernel's ephemeral range; any free port if it is taken.
pick_port() {
  local preferred=$((20000 + checkout_id % 10000))
  python3 - "$preferred" <<'EOF'
import socket, sys
def free(port):
    with socket.socket() as s:
        # As the server binds: connections of an earlier run in TIME_WAIT do not count.
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True
preferred = int(sys.argv[1])
if free(preferred):
    print(preferred)
else:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        print(s.getsockname()[1])
EOF
}

# Stops a server left in $data (ours: same directory) and removes the directory.
stop_and_remove() {
  if [[ -f $data/postmaster.pid ]]; then
    if ! as_server_user "$PG_BIN/pg_ctl" stop -D "$data" -m fast -w -t 30 >/dev/null 2>&1; then
      as_server_user "$PG_BIN/pg_ctl" stop -D "$data" -m immediate -w -t 10 >/dev/null 2>&1 || true
      local pid
      pid=$(head -n 1 "$data/postmaster.pid" 2>/dev/null || true)
      if [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" || true; fi
    fi
  fi
  rm -rf "$dir"
}

start() {
  if is_healthy; then
    log "already running on 127.0.0.1:$(port)"
    return 0
  fi
  stop_and_remove  # leftovers of an earlier run
  mkdir -p "$dir"
  chmod 700 "$dir"
  [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$dir"
  # --no-sync: initdb's own files need no fsync for a throwaway cluster (saves ~1 s); the server
  # below still runs with fsync=on.
  if ! as_server_user "$PG_BIN/initdb" -D "$data" -U postgres --auth-local=trust \
    --auth-host=trust --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1; then
    log "initdb failed:"
    cat "$dir/initdb.log" >&2
    return 1
  fi
  local p attempt
  for attempt in 1 2 3; do
    p=$(pick_port)
    if as_server_user "$PG_BIN/pg_ctl" start -D "$data" -w -t 30 -l "$dir/server.log" \
      -o "-c listen_addresses=127.0.0.1 -c port=$p -c unix_socket_directories='$dir'" \
      >/dev/null 9>&-; then  # the server must not inherit (and hold) our lock
      break
    fi
    log "start on port $p failed (attempt $attempt):"
    tail -n 5 "$dir/server.log" >&2 || true
    [[ $attempt -eq 3 ]] && return 1
  done
  as_server_user "$PG_BIN/psql" -q -X -v ON_ERROR_STOP=1 -h "$dir" -p "$p" -U postgres \
    -d postgres -c "CREATE ROLE $ROLE LOGIN" -c "CREATE DATABASE $DATABASE OWNER $ROLE" >/dev/null
  echo "$p" >"$dir/port"
  log "started on 127.0.0.1:$p (data in $data)"
}

url() {
  if ! is_healthy; then
    log "not running: run scripts/postgres.sh start"
    return 1
  fi
  echo "postgres://$ROLE@127.0.0.1:$(port)/$DATABASE"
}

# One command at a time per checkout (two test runs in one worktree would otherwise race).
exec 9>"$dir.lock"
flock 9

case "${1:-}" in
  start) start ;;
  stop) stop_and_remove ;;
  url) url ;;
  *)
    echo "usage: $0 start|stop|url" >&2
    exit 2
    ;;
esac
