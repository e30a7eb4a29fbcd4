#!/usr/bin/env bash
# Three onsale app hosts on this machine, each in a network namespace of its own, behind one Nginx.
#
#   ops/hosts/hosts.sh network      create the bridge and the 3 namespaces (idempotent); print the gateway
#                                   address, the root side of the bridge, where the database and the
#                                   Redis Cluster must listen so that the hosts reach them
#   ops/hosts/hosts.sh start        the network, then onsale on every host (WORKERS=1), then Nginx
#   ops/hosts/hosts.sh start <n>    host n's link up and its server started again
#   ops/hosts/hosts.sh stop [<n>]   stop host n's server (SIGTERM); without n: every server, Nginx, the
#                                   namespaces and the bridge (idempotent)
#   ops/hosts/hosts.sh kill <n>     SIGKILL every process in host n's namespace and take its link down
#   ops/hosts/hosts.sh status       one line per host: namespace, address, pid, link, ready; then Nginx
#   ops/hosts/hosts.sh gateway      the root side's address;  address <n>: host n's address
#   ops/hosts/hosts.sh url [<n>]    Nginx's URL, or host n's own
#
# HOSTS_DIR (required) holds the run's state: suffix, subnet, h<n>/server.log, h<n>/server.pid, nginx/.
# HOSTS_SUFFIX (default: 6 random hex digits, kept in HOSTS_DIR) makes the names unique so that runs
#   side by side do not clash: namespaces onsale-h<n>-<suffix>, bridge osb<suffix>, veths os<suffix>h<n>.
# HOSTS_SUBNET (default: the first 10.213.<k>.0/24 no interface uses): host n is .<n+1>, the gateway .1.
# HOSTS_APP_PORT (default 3000): the port onsale listens on in each namespace (each has its own ports).
# HOSTS_NGINX_LISTEN (default 127.0.0.1:18080): where Nginx listens in the root namespace.
# HOSTS_ENTRY (default src/main.ts through tsx; dist/src/main.js after npm run build): what each host runs.
# The servers get this script's environment: MYSQL_URL and REDIS_CLUSTER_NODES (or REDIS_URL) naming the
# gateway address, JWT_SECRET (the same on every host), and so on; HOST, PORT and WORKERS=1 are set here,
# TRUST_PROXY_HOPS defaults to 1 (Nginx in front). Each host has its own DATA_DIR (h<n>/data): like
# separate machines they share nothing on disk, so admission tokens verify everywhere only with one
# ADMISSION_KEYS; when it is unset, one is generated into HOSTS_DIR/admission-keys and given to all.
# A server that exits while starting is an error (its log's end is printed). Needs root and iproute2.
set -euo pipefail
# ip, nginx and haproxy live in sbin, which a non-login shell may not have on PATH
PATH="$PATH:/usr/sbin:/sbin"

: "${HOSTS_DIR:?set HOSTS_DIR to the folder the run keeps its state in}"
HOSTS=3
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
mkdir -p "$HOSTS_DIR"
HOSTS_DIR=$(cd "$HOSTS_DIR" && pwd)
APP_PORT=${HOSTS_APP_PORT:-3000}
NGINX_LISTEN=${HOSTS_NGINX_LISTEN:-127.0.0.1:18080}
READY_SECONDS=${HOSTS_READY_SECONDS:-120}

random_suffix() { head -c 3 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
if [ ! -s "$HOSTS_DIR/suffix" ]; then
  if [ -n "${HOSTS_SUFFIX:-}" ]; then echo "$HOSTS_SUFFIX"; else random_suffix; fi >"$HOSTS_DIR/suffix"
fi
SUFFIX=$(cat "$HOSTS_DIR/suffix")
[[ "$SUFFIX" =~ ^[a-z0-9]{1,8}$ ]] || { echo "HOSTS_SUFFIX: 1 to 8 lower-case letters or digits" >&2; exit 2; }
BRIDGE="osb$SUFFIX"

ns() { echo "onsale-h$1-$SUFFIX"; }
veth() { echo "os${SUFFIX}h$1"; }
peer() { echo "os${SUFFIX}p$1"; }
prefix() { cat "$HOSTS_DIR/subnet"; }
gateway() { echo "$(prefix).1"; }
address() { echo "$(prefix).$(($1 + 1))"; }
host_dir() { echo "$HOSTS_DIR/h$1"; }

check_host() {
  case "${1:-}" in
    [1-9]) [ "$1" -le "$HOSTS" ] || { echo "no host $1 (1..$HOSTS)" >&2; exit 2; } ;;
    *) echo "a host number is needed (1..$HOSTS)" >&2; exit 2 ;;
  esac
}

require_tools() {
  [ "$(id -u)" = 0 ] || { echo "network namespaces need root" >&2; exit 3; }
  command -v ip >/dev/null || { echo "ip (iproute2) is not installed" >&2; exit 3; }
}

# The first 10.213.k.0/24 that no interface has an address in; chosen under a lock so that two runs
# starting at once do not take the same one.
choose_subnet() {
  [ -s "$HOSTS_DIR/subnet" ] && return 0
  if [ -n "${HOSTS_SUBNET:-}" ]; then echo "${HOSTS_SUBNET%.0/24}" >"$HOSTS_DIR/subnet"; return 0; fi
  local k used
  used=$(ip -o -4 addr show | awk '{ print $4 }')
  for k in $(seq 1 254); do
    if ! grep -q "^10\.213\.$k\." <<<"$used"; then echo "10.213.$k" >"$HOSTS_DIR/subnet"; return 0; fi
  done
  echo "no free 10.213.k.0/24 left" >&2
  exit 1
}

network() {
  require_tools
  exec 9>/tmp/onsale-hosts-network.lock
  flock 9
  choose_subnet
  if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
    ip link add "$BRIDGE" type bridge
    ip addr add "$(gateway)/24" dev "$BRIDGE"
  fi
  ip link set "$BRIDGE" up
  local n
  for n in $(seq 1 $HOSTS); do
    ip netns list | grep -q "^$(ns "$n")\b" || ip netns add "$(ns "$n")"
    if ! ip link show "$(veth "$n")" >/dev/null 2>&1; then
      ip link add "$(veth "$n")" type veth peer name "$(peer "$n")"
      ip link set "$(peer "$n")" netns "$(ns "$n")"
      ip -n "$(ns "$n")" link set "$(peer "$n")" name eth0
      ip -n "$(ns "$n")" addr add "$(address "$n")/24" dev eth0
      ip link set "$(veth "$n")" master "$BRIDGE"
    fi
    ip link set "$(veth "$n")" up
    ip -n "$(ns "$n")" link set lo up
    ip -n "$(ns "$n")" link set eth0 up
  done
  flock -u 9
  exec 9>&-
  gateway
}

pid_of() {
  local file; file="$(host_dir "$1")/server.pid"
  [ -s "$file" ] && kill -0 "$(cat "$file")" 2>/dev/null && cat "$file"
}

ready() { curl -fsS -o /dev/null --max-time 2 "http://$(address "$1"):$APP_PORT/health/ready" 2>/dev/null; }

launch() {
  local n=$1 dir entry
  dir=$(host_dir "$n")
  mkdir -p "$dir"
  if pid_of "$n" >/dev/null; then return 0; fi
  entry=${HOSTS_ENTRY:-src/main.ts}
  local run=(node)
  [[ "$entry" == *.ts ]] && run=(node --import tsx)
  if [ -z "${ADMISSION_KEYS:-}" ]; then
    [ -s "$HOSTS_DIR/admission-keys" ] || echo "hosts-$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n'):$(head -c 24 /dev/urandom | base64 | tr -d '/+=')" >"$HOSTS_DIR/admission-keys"
    ADMISSION_KEYS=$(cat "$HOSTS_DIR/admission-keys")
  fi
  (
    cd "$repo"
    HOST=0.0.0.0 PORT=$APP_PORT WORKERS=1 TRUST_PROXY_HOPS=${TRUST_PROXY_HOPS:-1} DATA_DIR="$dir/data" ADMISSION_KEYS="$ADMISSION_KEYS" \
      exec ip netns exec "$(ns "$n")" setsid "${run[@]}" "$entry" </dev/null >>"$dir/server.log" 2>&1
  ) &
  echo $! >"$dir/server.pid"
}

wait_ready() {
  local n=$1 deadline=$((SECONDS + READY_SECONDS))
  until ready "$n"; do
    if ! pid_of "$n" >/dev/null; then
      echo "host $n's server exited; the end of its log:" >&2; tail -n 20 "$(host_dir "$n")/server.log" >&2; exit 1
    fi
    [ $SECONDS -lt $deadline ] || { echo "host $n was not ready within ${READY_SECONDS}s; the end of its log:" >&2; tail -n 20 "$(host_dir "$n")/server.log" >&2; exit 1; }
    sleep 0.25
  done
}

nginx_env() {
  local n upstreams=""
  for n in $(seq 1 $HOSTS); do upstreams="$upstreams${upstreams:+,}$(address "$n"):$APP_PORT"; done
  NGINX_LISTEN="$NGINX_LISTEN" ONSALE_UPSTREAMS="$upstreams" NGINX_PREFIX="$HOSTS_DIR/nginx" UPSTREAM_FAILOVER=1 "$@"
}

start_all() {
  network >/dev/null
  local n
  for n in $(seq 1 $HOSTS); do launch "$n"; done
  for n in $(seq 1 $HOSTS); do wait_ready "$n"; done
  nginx_env bash "$repo/ops/nginx/run.sh" start
  status
}

start_one() {
  require_tools
  check_host "$1"
  ip link set "$(veth "$1")" up
  launch "$1"
  wait_ready "$1"
}

stop_one() {
  local pid; pid=$(pid_of "$1") || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$(host_dir "$1")/server.pid"
}

# A crash of the whole host: every process in its namespace, then its link.
kill_one() {
  require_tools
  check_host "$1"
  local pids
  pids=$(ip netns pids "$(ns "$1")" 2>/dev/null || true)
  [ -z "$pids" ] || kill -KILL $pids 2>/dev/null || true
  ip link set "$(veth "$1")" down 2>/dev/null || true
  rm -f "$(host_dir "$1")/server.pid"
}

stop_all() {
  local n pids
  for n in $(seq 1 $HOSTS); do stop_one "$n"; done
  [ -f "$HOSTS_DIR/nginx/nginx.pid" ] && nginx_env bash "$repo/ops/nginx/run.sh" stop >/dev/null
  for n in $(seq 1 $HOSTS); do
    if ip netns list | grep -q "^$(ns "$n")\b"; then
      pids=$(ip netns pids "$(ns "$n")" 2>/dev/null || true)
      [ -z "$pids" ] || kill -KILL $pids 2>/dev/null || true
      ip netns del "$(ns "$n")"
    fi
    ip link del "$(veth "$n")" 2>/dev/null || true
  done
  ip link del "$BRIDGE" 2>/dev/null || true
  return 0
}

status() {
  local n pid link
  for n in $(seq 1 $HOSTS); do
    link=$(ip -br link show "$(veth "$n")" 2>/dev/null | awk '{ print $2 }' || true)
    if pid=$(pid_of "$n"); then
      echo "host$n $(ns "$n") $(address "$n"):$APP_PORT pid=$pid link=${link:-none} ready=$(ready "$n" && echo yes || echo no)"
    else
      echo "host$n $(ns "$n") $(address "$n"):$APP_PORT down link=${link:-none}"
    fi
  done
  if [ -s "$HOSTS_DIR/nginx/nginx.pid" ] && kill -0 "$(cat "$HOSTS_DIR/nginx/nginx.pid")" 2>/dev/null; then
    echo "nginx http://$NGINX_LISTEN pid=$(cat "$HOSTS_DIR/nginx/nginx.pid")"
  else
    echo "nginx down"
  fi
}

case "${1:-}" in
  network) network ;;
  start) if [ -n "${2:-}" ]; then start_one "$2"; else start_all; fi ;;
  stop) if [ -n "${2:-}" ]; then check_host "$2"; stop_one "$2"; else stop_all; fi ;;
  kill) kill_one "${2:-}" ;;
  status) [ -s "$HOSTS_DIR/subnet" ] || { echo "no network (hosts.sh network)"; exit 0; }; status ;;
  gateway) choose_subnet; gateway ;;
  address) check_host "${2:-}"; choose_subnet; address "$2" ;;
  url) if [ -n "${2:-}" ]; then check_host "$2"; echo "http://$(address "$2"):$APP_PORT"; else echo "http://$NGINX_LISTEN"; fi ;;
  *) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0" >&2; exit 2 ;;
esac
