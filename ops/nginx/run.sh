#!/usr/bin/env bash
# Runs Debian's nginx with ops/nginx/onsale.conf on loopback, prefix in a temp directory.
#   ops/nginx/run.sh start     install nginx when absent, write the config, start (daemon)
#   ops/nginx/run.sh stop      stop the nginx started from the same prefix
#   ops/nginx/run.sh config    print the generated config
#   ops/nginx/run.sh foreground  write the config and run nginx in the foreground (the container's command)
# Settings (environment):
#   NGINX_LISTEN        default 127.0.0.1:8080
#   ONSALE_UPSTREAM     default 127.0.0.1:${PORT:-3000}
#   ONSALE_UPSTREAMS    several, comma-separated: every worker's own ports (onsale's WORKER_PORT_BASE +
#                       0…WORKERS × WORKER_LISTENERS − 1); a member's requests then always reach the same worker
#   ONSALE_WAITING_ROOM_UPSTREAMS  the waiting-room processes' ports (onsale's WAITING_ROOM_WORKERS: WORKER_PORT_BASE +
#                       WORKERS × WORKER_LISTENERS onwards): the queue's joins, polls and event streams go there;
#                       default: the same upstreams as the rest
#   WEB_ROOT            default <repo>/web/dist
#   NGINX_PREFIX        default ${TMPDIR:-/tmp}/onsale-nginx-<listen port>
#   NGINX_WORKERS       default auto
#   QUEUE_JOIN_RATE     default 20r/s (per client address; load tests from one address raise it)
#   QUEUE_JOIN_BURST    default 40
#   NGINX_ACCESS_LOG    a file: log every request's times (nginx's and the upstream's) in the `timing`
#                       format; off by default (it costs CPU under load)
#   UPSTREAM_FAILOVER   1: an upstream that refuses or does not answer a connection within
#                       UPSTREAM_CONNECT_TIMEOUT (default 1s) is passed over for 5 s and the request goes to
#                       the next one (a request already sent is never replayed: POSTs stay where they went).
#                       For several app hosts (ops/hosts/hosts.sh). Default 0: no retry elsewhere, as before.
#                       Idle connections to an upstream are closed after 4 s (below the 5 s it is passed
#                       over): when a vanished host is tried again, it is over a new connection, whose
#                       connect times out and passes the request on, not over an old one into the void.
# Run onsale with TRUST_PROXY_HOPS=1 behind it (the client address comes in X-Forwarded-For).
set -euo pipefail
# ip, nginx and haproxy live in sbin, which a non-login shell may not have on PATH
PATH="$PATH:/usr/sbin:/sbin"

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
listen="${NGINX_LISTEN:-127.0.0.1:8080}"
prefix="${NGINX_PREFIX:-${TMPDIR:-/tmp}/onsale-nginx-${listen##*:}}"

upstream_servers() {
  local list="${1:-${ONSALE_UPSTREAMS:-${ONSALE_UPSTREAM:-127.0.0.1:${PORT:-3000}}}}"
  local server
  local params='max_fails=0'
  [ "${UPSTREAM_FAILOVER:-0}" = 1 ] && params='max_fails=1 fail_timeout=5s'
  for server in ${list//,/ }; do printf '        server %s %s;\n' "$server" "$params"; done
}

upstream_balance() {
  if [[ "${1-${ONSALE_UPSTREAMS:-}}" == *,* ]]; then echo 'hash $member_key consistent;'; else echo '# one upstream: nothing to balance'; fi
}

values() {
  LISTEN="$listen" \
  UPSTREAM_SERVERS="$(upstream_servers)" \
  WAITING_ROOM_SERVERS="$(upstream_servers "${ONSALE_WAITING_ROOM_UPSTREAMS:-}")" \
  WAITING_ROOM_BALANCE="$(upstream_balance "${ONSALE_WAITING_ROOM_UPSTREAMS:-${ONSALE_UPSTREAMS:-}}")" \
  UPSTREAM_BALANCE="$(upstream_balance)" \
  WEB_ROOT="${WEB_ROOT:-$repo/web/dist}" \
  PREFIX="$prefix" \
  WORKERS="${NGINX_WORKERS:-auto}" \
  QUEUE_JOIN_RATE="${QUEUE_JOIN_RATE:-20r/s}" \
  QUEUE_JOIN_BURST="${QUEUE_JOIN_BURST:-40}" \
  NEXT_UPSTREAM="$([ "${UPSTREAM_FAILOVER:-0}" = 1 ] && echo 'error timeout' || echo error)" \
  CONNECT_TIMEOUT="$([ "${UPSTREAM_FAILOVER:-0}" = 1 ] && echo "${UPSTREAM_CONNECT_TIMEOUT:-1s}" || echo 5s)" \
  UPSTREAM_KEEPALIVE_TIMEOUT="$([ "${UPSTREAM_FAILOVER:-0}" = 1 ] && echo 4s || echo 60s)" \
  ACCESS_LOG="$([ -n "${NGINX_ACCESS_LOG:-}" ] && echo "${NGINX_ACCESS_LOG} timing buffer=256k flush=1s" || echo off)" \
  "$@"
}

render() {
  # Only ${UPPER_CASE} names are ours; nginx's own $variables are left alone.
  values perl -pe 's/\$\{([A-Z_]+)\}/exists $ENV{$1} ? $ENV{$1} : die "unset: $1\n"/ge' "$here/onsale.conf"
}

ensure_nginx() {
  command -v nginx >/dev/null 2>&1 && return 0
  [ -x /usr/sbin/nginx ] && return 0
  echo "nginx is not installed: installing Debian's package" >&2
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nginx-light >/dev/null 2>&1 ||
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nginx >/dev/null
}

nginx_bin() { command -v nginx 2>/dev/null || echo /usr/sbin/nginx; }

start() {
  ensure_nginx
  local web_root="${WEB_ROOT:-$repo/web/dist}"
  [ -f "$web_root/index.html" ] || echo "warning: $web_root/index.html is missing (npm run build:web); / will answer 404/500" >&2
  mkdir -p "$prefix"/tmp/{body,proxy,fastcgi,uwsgi,scgi}
  # Workers run as an unprivileged user when nginx starts as root: let them use the temp dirs.
  chmod 0755 "$prefix"
  chmod -R 0777 "$prefix/tmp"
  render >"$prefix/nginx.conf"
  if [ -f "$prefix/nginx.pid" ] && kill -0 "$(cat "$prefix/nginx.pid")" 2>/dev/null; then
    "$(nginx_bin)" -p "$prefix" -c "$prefix/nginx.conf" -s reload
  else
    "$(nginx_bin)" -t -q -p "$prefix" -c "$prefix/nginx.conf"
    "$(nginx_bin)" -p "$prefix" -c "$prefix/nginx.conf"
  fi
  for _ in $(seq 1 50); do
    [ -s "$prefix/nginx.pid" ] && break
    sleep 0.1
  done
  echo "nginx on http://$listen (pid $(cat "$prefix/nginx.pid"), prefix $prefix)"
}

stop() {
  [ -f "$prefix/nginx.pid" ] || { echo "no nginx running from $prefix"; return 0; }
  local pid
  pid="$(cat "$prefix/nginx.pid")"
  "$(nginx_bin)" -p "$prefix" -c "$prefix/nginx.conf" -s quit 2>/dev/null || kill -QUIT "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$pid" 2>/dev/null && kill -TERM "$pid" 2>/dev/null || true
  rm -f "$prefix/nginx.pid"
  echo "nginx stopped ($prefix)"
}

foreground() {
  mkdir -p "$prefix"/tmp/{body,proxy,fastcgi,uwsgi,scgi}
  chmod 0755 "$prefix"
  chmod -R 0777 "$prefix/tmp"
  render >"$prefix/nginx.conf"
  exec "$(nginx_bin)" -p "$prefix" -c "$prefix/nginx.conf" -g 'daemon off;'
}

case "${1:-start}" in
  start) start ;;
  foreground) foreground ;;
  stop) stop ;;
  config) render ;;
  *) echo "usage: $0 start|stop|config|foreground" >&2; exit 2 ;;
esac
