#!/usr/bin/env bash
# A 3-node MariaDB Galera cluster on this machine, on loopback, for tests, benchmarks and trying it out.
#
#   ops/galera/cluster.sh start            bootstrap node 1, then nodes 2 and 3 join it by SST (rsync)
#   ops/galera/cluster.sh start <n>        start node n again; it rejoins the running cluster (IST or SST)
#   ops/galera/cluster.sh stop [<n>]       clean shutdown (SIGTERM, waiting for the process to end)
#   ops/galera/cluster.sh kill <n>         SIGKILL node n: a crash
#   ops/galera/cluster.sh status           one line per node: pid, SQL port, wsrep state, cluster size
#   ops/galera/cluster.sh ports <n>        the SQL port of node n (0: the writer, HAProxy)
#
# With haproxy installed, `start` also starts HAProxy (haproxy.cfg) on port BASE: the one writer path
# onsale's MYSQL_URL names (mysql://root@127.0.0.1:BASE/db). `stop` without a node stops it too.
# GALERA_WRITER_LISTEN (optional): more addresses HAProxy listens on, besides 127.0.0.1, on the same port,
#   comma separated: e.g. the root side of ops/hosts' bridge, for app hosts in network namespaces.
#
# GALERA_DIR (required) is the folder that holds everything (node<n>/data, node<n>/mariadbd.log, pid
# and socket files). GALERA_BASE_PORT (default 23300) places node n's ports at BASE+10n: +0 SQL,
# +1 group communication, +2 IST, +3 SST (rsync daemon). It never uses 3306 or the shared server's files:
# every node runs with --no-defaults-style isolation through --defaults-file=galera.cnf.
# Runs as root (--user=root), like the tests' private MariaDB servers.
set -euo pipefail
# mariadbd, haproxy and the SST scripts live in sbin, which a non-login shell may not have on PATH
PATH="$PATH:/usr/sbin:/sbin"

HERE=$(cd "$(dirname "$0")" && pwd)
: "${GALERA_DIR:?set GALERA_DIR to the folder the cluster lives in}"
BASE=${GALERA_BASE_PORT:-23300}
NODES=3
PROVIDER=/usr/lib/galera/libgalera_smm.so
READY_SECONDS=${GALERA_READY_SECONDS:-60}
mkdir -p "$GALERA_DIR"
GALERA_DIR=$(cd "$GALERA_DIR" && pwd)

sql_port() { echo $((BASE + 10 * $1)); }
proxy_pid() { [ -s "$GALERA_DIR/haproxy.pid" ] && kill -0 "$(cat "$GALERA_DIR/haproxy.pid")" 2>/dev/null && cat "$GALERA_DIR/haproxy.pid"; }
gcomm_port() { echo $((BASE + 10 * $1 + 1)); }
ist_port() { echo $((BASE + 10 * $1 + 2)); }
sst_port() { echo $((BASE + 10 * $1 + 3)); }
node_dir() { echo "$GALERA_DIR/node$1"; }
pid_of() {
  local file; file="$(node_dir "$1")/mariadbd.pid"
  [ -s "$file" ] && kill -0 "$(cat "$file")" 2>/dev/null && cat "$file"
}
client() { mariadb --no-defaults -h127.0.0.1 -P"$(sql_port "$1")" -uroot --connect-timeout=2 -N -B "${@:2}"; }
wsrep_status() { client "$1" -e "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_local_state_comment','wsrep_cluster_size','wsrep_cluster_status','wsrep_ready')" 2>/dev/null | awk '{printf "%s=%s ", $1, $2}'; }
synced() { client "$1" -e "SHOW GLOBAL STATUS LIKE 'wsrep_local_state'" 2>/dev/null | grep -q $'\t4$'; }

check_node() {
  case "${1:-}" in
    [1-9]) [ "$1" -le "$NODES" ] || { echo "no node $1 (1..$NODES)" >&2; exit 2; } ;;
    *) echo "a node number is needed (1..$NODES)" >&2; exit 2 ;;
  esac
}

require_galera() {
  [ -x /usr/sbin/mariadbd ] || { echo "mariadbd is not installed" >&2; exit 3; }
  [ -f "$PROVIDER" ] || { echo "the Galera provider $PROVIDER is not installed (apt-get install galera-4)" >&2; exit 3; }
  command -v rsync >/dev/null || { echo "rsync is not installed (the SST method)" >&2; exit 3; }
}

install_node() {
  local dir; dir=$(node_dir "$1")
  [ -d "$dir/data/mysql" ] && return 0
  mkdir -p "$dir"
  # Only the bootstrap node needs system tables; joiners receive the donor's whole data directory.
  if [ "$1" = "$BOOTSTRAP_NODE" ]; then
    mariadb-install-db --no-defaults --datadir="$dir/data" --user=root --auth-root-authentication-method=normal \
      --skip-test-db --innodb-log-file-size=16M >"$dir/install.log" 2>&1 || { cat "$dir/install.log" >&2; exit 1; }
  else
    mkdir -p "$dir/data"
  fi
}

launch() {
  local n=$1 dir peers="" i
  dir=$(node_dir "$n")
  for i in $(seq 1 $NODES); do peers="$peers${peers:+,}127.0.0.1:$(gcomm_port "$i")"; done
  local address="gcomm://$peers"
  local extra=()
  if [ "${2:-}" = bootstrap ]; then
    extra+=(--wsrep-new-cluster)
  else
    # Debian's wsrep_sst_rsync starts its rsync daemon without "uid =": run by root, rsync receives as
    # "nobody", which must own a joiner's data directory (mariadbd, as root, reads it all).
    chown -R nobody "$dir/data"
    # Named donors first; the trailing comma lets any other node donate when none of them can.
    [ -n "${DONOR:-}" ] && extra+=(--wsrep-sst-donor="$DONOR")
  fi
  # Failure detection in about 3 s instead of Galera's WAN-friendly defaults (5 s suspect, 15 s inactive):
  # loopback has no latency to forgive, and the survivors cannot commit until the dead node is evicted.
  local options="base_host=127.0.0.1;base_port=$(gcomm_port "$n");gmcast.listen_addr=tcp://127.0.0.1:$(gcomm_port "$n")"
  options="$options;ist.recv_addr=127.0.0.1:$(ist_port "$n");gcache.size=64M;pc.recovery=false"
  options="$options;evs.keepalive_period=PT0.5S;evs.inactive_check_period=PT0.5S;evs.suspect_timeout=PT2S"
  # The install timeout bounds how long the survivors may take to agree on the view without a dead
  # node (Galera wants it below the inactive timeout). At PT3S for both, a node that had rejoined
  # seconds before the writer was killed had not agreed when the other's install timer ran out: both
  # fell into non-primary singletons, and two of three nodes never formed a primary component again.
  # A dead node is still evicted after the 2 s suspect timeout when the survivors agree on it.
  options="$options;evs.inactive_timeout=PT5S;evs.install_timeout=PT4S;gmcast.peer_timeout=PT2S"
  setsid /usr/sbin/mariadbd --defaults-file="$HERE/galera.cnf" --user=root \
    --datadir="$dir/data" --port="$(sql_port "$n")" --bind-address=127.0.0.1 \
    --socket="$dir/mariadbd.sock" --pid-file="$dir/mariadbd.pid" --log-error="$dir/mariadbd.log" \
    --innodb-buffer-pool-size=64M --innodb-log-file-size=16M --max-connections=300 \
    --wsrep-node-name="node$n" --wsrep-node-address="127.0.0.1:$(gcomm_port "$n")" \
    --wsrep-node-incoming-address="127.0.0.1:$(sql_port "$n")" \
    --wsrep-sst-receive-address="127.0.0.1:$(sst_port "$n")" \
    --wsrep-cluster-address="$address" --wsrep-provider-options="$options" "${extra[@]}" \
    </dev/null >>"$dir/mariadbd.log" 2>&1 &
  wait_synced "$n" $!
}

# A joiner can lose its way when the survivors are still busy: its join message times out, it finds
# itself alone in a non-primary component and aborts. Like systemd's Restart=on-failure, start it again.
launch_joiner() {
  local n=$1 attempt
  for attempt in 1 2 3; do
    # Synced, then a moment in a primary view of all running nodes before anyone kills another one
    launch "$n" && wait_survivors && sleep 2 && return 0
    stop_node "$n" KILL
    [ "$attempt" -lt 3 ] && echo "node $n: join attempt $attempt failed; trying again" >&2
    wait_survivors
  done
  echo "node $n could not join after 3 attempts" >&2
  exit 1
}

# Until every running node is Synced in one primary component of all running nodes: after a crash,
# the survivors first evict the dead node (about 3 s), and a node joining during that change may fail.
wait_survivors() {
  local deadline=$((SECONDS + READY_SECONDS)) running count i ok
  while [ $SECONDS -lt $deadline ]; do
    running=$(running_nodes | xargs)
    count=$(echo "$running" | wc -w)
    ok=1
    for i in $running; do
      client "$i" -e "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_local_state','wsrep_cluster_size','wsrep_cluster_status')" 2>/dev/null |
        awk -v want="$count" '{v[$1]=$2} END {exit !(v["wsrep_local_state"]==4 && v["wsrep_cluster_size"]==want && v["wsrep_cluster_status"]=="Primary")}' || ok=0
    done
    [ "$ok" = 1 ] && return 0
    sleep 0.3
  done
  echo "the running nodes ($running) did not settle into one Synced primary component within ${READY_SECONDS}s" >&2
  return 0
}

wait_synced() {
  local n=$1 pid=$2 deadline=$((SECONDS + READY_SECONDS))
  while [ $SECONDS -lt $deadline ] && kill -0 "$pid" 2>/dev/null; do
    synced "$n" && return 0
    sleep 0.3
  done
  echo "node $n did not reach Synced (within ${READY_SECONDS}s, or it stopped); its errors, then the end of its log:" >&2
  grep -E '\[ERROR\]|WSREP: (SST|IST|State transfer|Failed|.*abort)' "$(node_dir "$n")/mariadbd.log" | tail -n 15 >&2
  tail -n 15 "$(node_dir "$n")/mariadbd.log" >&2
  return 1
}

running_nodes() { local i; for i in $(seq 1 $NODES); do pid_of "$i" >/dev/null && echo "$i"; done; return 0; }

start_all() {
  require_galera
  if [ -n "$(running_nodes)" ]; then echo "nodes already running: $(running_nodes | xargs)" >&2; exit 1; fi
  BOOTSTRAP_NODE=1
  local i
  for i in $(seq 1 $NODES); do install_node "$i"; done
  # A cluster that was stopped cleanly may be bootstrapped again from node 1: it stopped last or with the others.
  sed -i 's/^safe_to_bootstrap: 0/safe_to_bootstrap: 1/' "$(node_dir 1)/data/grastate.dat" 2>/dev/null || true
  launch 1 bootstrap || exit 1
  for i in $(seq 2 $NODES); do launch_joiner "$i"; done
  start_proxy
  status
}

start_proxy() {
  command -v haproxy >/dev/null || { echo "haproxy is not installed: no writer port (apt-get install haproxy)" >&2; return 0; }
  proxy_pid >/dev/null && return 0
  local writer="127.0.0.1:$(sql_port 0)" extra listen
  listen=${GALERA_WRITER_LISTEN:-}
  for extra in ${listen//,/ }; do writer="$writer,$extra:$(sql_port 0)"; done
  GALERA_WRITER_ADDRESS="$writer" GALERA_CHECK="$HERE/synced-check.sh" \
    GALERA_NODE1="127.0.0.1:$(sql_port 1)" GALERA_NODE2="127.0.0.1:$(sql_port 2)" GALERA_NODE3="127.0.0.1:$(sql_port 3)" \
    haproxy -D -f "$HERE/haproxy.cfg" -p "$GALERA_DIR/haproxy.pid" >>"$GALERA_DIR/haproxy.log" 2>&1
  local deadline=$((SECONDS + 10))
  until client 0 -e 'SELECT 1' >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || { echo "HAProxy did not pass connections within 10s" >&2; cat "$GALERA_DIR/haproxy.log" >&2; exit 1; }
    sleep 0.2
  done
}

stop_proxy() {
  local pid; pid=$(proxy_pid) || return 0
  kill "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
}

start_one() {
  require_galera
  check_node "$1"
  if pid_of "$1" >/dev/null; then echo "node $1 is already running" >&2; return 0; fi
  [ -n "$(running_nodes)" ] || { echo "no node is running: use 'start' to bootstrap the cluster" >&2; exit 1; }
  BOOTSTRAP_NODE=0
  install_node "$1"
  # The donor of a state transfer by rsync is blocked while it copies (Donor/Desynced): never let it
  # be the writer, which would fail HAProxy's check and switch writers once more.
  local writer donor="" i
  writer=$(client 0 -e 'SELECT @@wsrep_node_name' 2>/dev/null || true)
  for i in $(running_nodes); do [ "node$i" = "$writer" ] || donor="${donor}node$i,"; done
  wait_survivors
  DONOR=$donor launch_joiner "$1"
}

stop_node() {
  local pid
  if pid=$(pid_of "$1"); then
    kill -CONT "$pid" 2>/dev/null || true
    kill -"$2" "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
  if [ "$2" = KILL ]; then
    rm -f "$(node_dir "$1")/mariadbd.pid"
    # A crash takes the node's state-transfer helpers with it (wsrep_sst_rsync, its rsync daemon):
    # left behind, they would hold the SST port and fail the node's next join.
    pkill -KILL -f -- "$(node_dir "$1")/" 2>/dev/null || true
  fi
  return 0
}

stop_all() {
  # Highest first: node 1, stopped last, holds the latest state and may bootstrap the next start.
  local i
  stop_proxy
  for i in $(seq $NODES -1 1); do stop_node "$i" TERM; done
}

status() {
  local i pid
  if pid=$(proxy_pid); then
    echo "writer pid=$pid port=$(sql_port 0) node=$(client 0 -e 'SELECT @@wsrep_node_name' 2>/dev/null || echo none)"
  fi
  for i in $(seq 1 $NODES); do
    if pid=$(pid_of "$i"); then
      echo "node$i pid=$pid port=$(sql_port "$i") $(wsrep_status "$i")"
    else
      echo "node$i down port=$(sql_port "$i")"
    fi
  done
}

case "${1:-}" in
  start) if [ -n "${2:-}" ]; then start_one "$2"; else start_all; fi ;;
  stop) if [ -n "${2:-}" ]; then check_node "$2"; stop_node "$2" TERM; else stop_all; fi ;;
  kill) check_node "${2:-}"; stop_node "$2" KILL ;;
  status) status ;;
  ports) [ "${2:-}" = 0 ] || check_node "${2:-}"; sql_port "$2" ;;
  *) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
