#!/usr/bin/env bash
# A stand-in for systemd in the deploy test (no systemd runs as PID 1 here):
#   deploy-supervisor.sh restart <port>
# stops the port's process (SIGTERM, as systemd would; SIGKILL after 45 s), then starts
# `node $ONSALE_ROOT/current/dist/src/main.js` on that port with $ONSALE_ENV_FILE, in the background.
# State (pid and log per port) in $SUPERVISOR_DIR.
set -euo pipefail
[ "${1:-}" = restart ] && [ -n "${2:-}" ] || {
  echo "usage: $0 restart <port>" >&2
  exit 64
}
port=$2
pidfile=$SUPERVISOR_DIR/onsale-$port.pid
if [ -f "$pidfile" ]; then
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 450); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
  fi
fi
set -a
# shellcheck disable=SC1090
. "$ONSALE_ENV_FILE"
set +a
cd "$ONSALE_ROOT/current"
PORT=$port setsid node "$ONSALE_ROOT/current/dist/src/main.js" >>"$SUPERVISOR_DIR/onsale-$port.log" 2>&1 </dev/null &
echo $! >"$pidfile"
