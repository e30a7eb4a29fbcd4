#!/usr/bin/env bash
# A Redis Cluster on this machine, on loopback: 3 masters and 3 replicas, for tests, benchmarks and trying it out.
#
#   ops/redis-cluster/cluster.sh start          start the 6 nodes; the first time, create the cluster
#                                               (redis-cli --cluster create … --cluster-replicas 1)
#   ops/redis-cluster/cluster.sh start <n>      start node n again; it rejoins (as a replica if it was failed over)
#   ops/redis-cluster/cluster.sh stop [<n>]     clean shutdown (SHUTDOWN NOSAVE, waiting for the process to end)
#   ops/redis-cluster/cluster.sh kill <n>       SIGKILL node n: a crash
#   ops/redis-cluster/cluster.sh pause <n>      SIGSTOP node n (a stalled node: a replica falls behind); resume <n>: SIGCONT
#   ops/redis-cluster/cluster.sh status         one line per node: pid, port, role, slots; then cluster_state
#   ops/redis-cluster/cluster.sh ports [<n>]    node n's port, or every node's host:port joined by commas
#                                               (what REDIS_CLUSTER_NODES takes)
#   ops/redis-cluster/cluster.sh masters        the numbers of the nodes that are masters now
#
# REDIS_CLUSTER_DIR (required) holds everything (node<n>/nodes.conf, node<n>/redis.log, pid files).
# REDIS_CLUSTER_BASE_PORT (default 27000) places node n (1..6) at BASE+n-1 and its cluster bus at
# BASE+n+9, so the whole cluster uses BASE..BASE+15 and never 6379 nor the shared server's files.
# REDIS_CLUSTER_ADDRESS (default 127.0.0.1): the address the nodes announce to clients and to each other;
# they listen on it as well as on 127.0.0.1 (e.g. the root side of ops/hosts' bridge, for app hosts in
# network namespaces; protected mode is then off: no password, so give it a private address only).
# Give it before the first start: the cluster is created with these addresses.
# No persistence (no RDB, no AOF): a killed node comes back empty and resyncs from its master.
set -euo pipefail

: "${REDIS_CLUSTER_DIR:?set REDIS_CLUSTER_DIR to the folder the cluster lives in}"
BASE=${REDIS_CLUSTER_BASE_PORT:-27000}
NODES=6
ADDRESS=${REDIS_CLUSTER_ADDRESS:-127.0.0.1}
READY_SECONDS=${REDIS_CLUSTER_READY_SECONDS:-30}
# How long a master may be silent before the others fail it over (Redis' default is 15 s).
NODE_TIMEOUT_MS=${REDIS_CLUSTER_NODE_TIMEOUT_MS:-2000}
mkdir -p "$REDIS_CLUSTER_DIR"
REDIS_CLUSTER_DIR=$(cd "$REDIS_CLUSTER_DIR" && pwd)

port() { echo $((BASE + $1 - 1)); }
bus_port() { echo $((BASE + $1 + 9)); }
node_dir() { echo "$REDIS_CLUSTER_DIR/node$1"; }
pid_of() {
  local file; file="$(node_dir "$1")/redis.pid"
  [ -s "$file" ] && kill -0 "$(cat "$file")" 2>/dev/null && cat "$file"
}
cli() { redis-cli -h 127.0.0.1 -p "$(port "$1")" "${@:2}"; }
all_addresses() { local i out=""; for i in $(seq 1 $NODES); do out="$out${out:+,}$ADDRESS:$(port "$i")"; done; echo "$out"; }

check_node() {
  case "${1:-}" in
    [1-9]) [ "$1" -le "$NODES" ] || { echo "no node $1 (1..$NODES)" >&2; exit 2; } ;;
    *) echo "a node number is needed (1..$NODES)" >&2; exit 2 ;;
  esac
}

require_redis() {
  command -v redis-server >/dev/null || { echo "redis-server is not installed" >&2; exit 3; }
  command -v redis-cli >/dev/null || { echo "redis-cli is not installed" >&2; exit 3; }
}

launch() {
  local n=$1 dir
  dir=$(node_dir "$n")
  mkdir -p "$dir"
  local bind=127.0.0.1 announce=()
  [ "$ADDRESS" = 127.0.0.1 ] || { bind="127.0.0.1 $ADDRESS"; announce=(--cluster-announce-ip "$ADDRESS" --protected-mode no); }
  (cd "$dir" && redis-server --bind "$bind" --port "$(port "$n")" --cluster-port "$(bus_port "$n")" \
    --cluster-enabled yes --cluster-config-file "$dir/nodes.conf" --cluster-node-timeout "$NODE_TIMEOUT_MS" \
    --cluster-require-full-coverage no --cluster-allow-reads-when-down no \
    --repl-diskless-sync-delay 0 --save "" --appendonly no --dir "$dir" --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" "${announce[@]}")
  local deadline=$((SECONDS + READY_SECONDS))
  until cli "$n" ping >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || { echo "node $n did not answer within ${READY_SECONDS}s; the end of its log:" >&2; tail -n 20 "$dir/redis.log" >&2; exit 1; }
    sleep 0.1
  done
}

cluster_ok() { cli "$1" cluster info 2>/dev/null | grep -q '^cluster_state:ok'; }

# A replica that never synced would not stand for election when its master dies (its data's age is unknown).
replica_synced() { ! cli "$1" role 2>/dev/null | head -1 | grep -q '^slave$' || cli "$1" info replication | grep -q '^master_link_status:up'; }

# Every running node sees the cluster whole (state ok, all 16384 slots served) and every replica is in sync.
wait_ok() {
  local deadline=$((SECONDS + READY_SECONDS)) i ok
  while [ $SECONDS -lt $deadline ]; do
    ok=1
    for i in $(running_nodes); do
      cluster_ok "$i" && cli "$i" cluster info | grep -q '^cluster_slots_ok:16384' && replica_synced "$i" || { ok=0; break; }
    done
    [ "$ok" = 1 ] && return 0
    sleep 0.2
  done
  echo "the cluster did not reach cluster_state:ok within ${READY_SECONDS}s" >&2
  status >&2
  exit 1
}

running_nodes() { local i; for i in $(seq 1 $NODES); do pid_of "$i" >/dev/null && echo "$i"; done; return 0; }

start_all() {
  require_redis
  if [ -n "$(running_nodes)" ]; then echo "nodes already running: $(running_nodes | xargs)" >&2; exit 1; fi
  local i created=1
  [ -s "$(node_dir 1)/nodes.conf" ] || created=0
  for i in $(seq 1 $NODES); do launch "$i"; done
  if [ "$created" = 0 ]; then
    local addresses=()
    for i in $(seq 1 $NODES); do addresses+=("$ADDRESS:$(port "$i")"); done
    # the first three become masters, each of the last three a replica of one of them
    redis-cli --cluster create "${addresses[@]}" --cluster-replicas 1 --cluster-yes >"$REDIS_CLUSTER_DIR/create.log" 2>&1 ||
      { cat "$REDIS_CLUSTER_DIR/create.log" >&2; exit 1; }
  fi
  wait_ok
  status
}

start_one() {
  require_redis
  check_node "$1"
  if pid_of "$1" >/dev/null; then echo "node $1 is already running" >&2; return 0; fi
  launch "$1"
  wait_ok
}

stop_node() {
  local pid; pid=$(pid_of "$1") || return 0
  kill -CONT "$pid" 2>/dev/null || true
  if [ "$2" = KILL ]; then kill -KILL "$pid" 2>/dev/null || true; else cli "$1" shutdown nosave >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null || true; fi
  while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
  rm -f "$(node_dir "$1")/redis.pid"
  return 0
}

stop_all() { local i; for i in $(seq $NODES -1 1); do stop_node "$i" TERM; done; }

masters() {
  local i
  for i in $(running_nodes); do
    cli "$i" role 2>/dev/null | head -1 | grep -q '^master$' && echo "$i"
  done
  return 0
}

status() {
  local i pid role slots
  for i in $(seq 1 $NODES); do
    if pid=$(pid_of "$i"); then
      role=$(cli "$i" role 2>/dev/null | head -1 || echo unknown)
      slots=$(cli "$i" cluster nodes 2>/dev/null | awk '$3 ~ /myself/ { s=""; for (f = 9; f <= NF; f++) s = s (s ? " " : "") $f; print s }')
      echo "node$i pid=$pid port=$(port "$i") role=$role slots=${slots:--}"
    else
      echo "node$i down port=$(port "$i")"
    fi
  done
  for i in $(running_nodes); do
    cli "$i" cluster info 2>/dev/null | grep -E '^cluster_(state|slots_ok|known_nodes|size):' | tr -d '\r' | xargs
    break
  done
}

case "${1:-}" in
  start) if [ -n "${2:-}" ]; then start_one "$2"; else start_all; fi ;;
  stop) if [ -n "${2:-}" ]; then check_node "$2"; stop_node "$2" TERM; else stop_all; fi ;;
  kill) check_node "${2:-}"; stop_node "$2" KILL ;;
  status) status ;;
  ports) if [ -n "${2:-}" ]; then check_node "$2"; port "$2"; else all_addresses; fi ;;
  masters) masters ;;
  pause | resume)
    check_node "${2:-}"
    pid=$(pid_of "$2") || { echo "node $2 is not running" >&2; exit 1; }
    if [ "$1" = pause ]; then kill -STOP "$pid"; else kill -CONT "$pid"; fi
    ;;
  *) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0" >&2; exit 2 ;;
esac
