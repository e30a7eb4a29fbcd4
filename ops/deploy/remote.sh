#!/usr/bin/env bash
# The host's half of ops/deploy/deploy.sh: run there as `remote.sh <release id>` with the DEPLOY_*
# settings in the environment, from DEPLOY_ROOT/incoming/<id> (which it removes).
set -euo pipefail

id=$1
root=$DEPLOY_ROOT
incoming=$root/incoming/$id
release=$root/releases/$id
current=$root/current
[ -n "$DEPLOY_REMOTE_PATH" ] && export PATH="$DEPLOY_REMOTE_PATH:$PATH"
read -r -a ports <<<"$DEPLOY_PORTS"

log() { printf '[%s %s] %s\n' "$(hostname)" "$(date -u +%H:%M:%S)" "$*"; }
fail() {
  log "$*"
  rm -rf "$release" "$incoming"
  exit 1
}

# one deploy at a time on a host
mkdir -p "$root/releases"
exec 9>"$root/.deploy.lock"
flock -n 9 || fail "another deploy is running on this host"

# (called as `install || fail`, where set -e does not apply: every step is chained)
install() {
  log "installing $id into $release"
  mkdir -p "$release" &&
    tar -xzf "$incoming/release.tgz" --strip-components=1 -C "$release" &&
    cp "$incoming/package-lock.json" "$release/" &&
    { [ ! -f "$incoming/.npmrc" ] || cp "$incoming/.npmrc" "$release/"; } &&
    # shellcheck disable=SC2086
    (cd "$release" && npm ci $DEPLOY_NPM_FLAGS >/dev/null)
}

migrate() {
  log "migrating the database with $id"
  (
    set -a
    # shellcheck disable=SC1090
    [ -r "$DEPLOY_ENV_FILE" ] && . "$DEPLOY_ENV_FILE"
    set +a
    cd "$release" && node dist/src/cli.js migrate
  )
}

# atomic: a new symlink renamed over the old one
point_current_at() {
  ln -sfn "$1" "$root/.current.new"
  mv -Tf "$root/.current.new" "$current"
}

ready() {
  local port=$1 url="http://127.0.0.1:$1/health/ready" deadline=$((SECONDS + DEPLOY_HEALTH_TIMEOUT))
  while [ $SECONDS -lt $deadline ]; do
    if command -v curl >/dev/null; then
      curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null && return 0
    else
      node -e 'fetch(process.argv[1], { signal: AbortSignal.timeout(2000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$url" && return 0
    fi
    sleep 0.5
  done
  return 1
}

restart() {
  local port=$1
  log "restarting port $port"
  # 9>&-: a process the command leaves running must not inherit (and hold) the deploy lock
  PORT=$port bash -c "${DEPLOY_RESTART//\{port\}/$port}" 9>&- && ready "$port"
}

rollback() {
  local upto=$1 previous=$2
  if [ -z "$previous" ]; then
    log "no previous release to roll back to"
    exit 3
  fi
  log "rolling back to $(basename "$previous")"
  point_current_at "$previous"
  for port in "${ports[@]:0:upto+1}"; do
    restart "$port" || {
      log "port $port does not come back with $(basename "$previous") either"
      exit 3
    }
  done
  rm -rf "$release"
  log "rolled back: $(basename "$previous") serves on ${ports[*]:0:upto+1}"
  exit 2
}

prune() {
  local live keep=0
  # by name: DEPLOY_ROOT may itself sit behind a symlink
  live=$(basename "$(readlink -f "$current")")
  for dir in $(ls -1r "$root/releases"); do
    [ "$dir" = "$live" ] && continue
    keep=$((keep + 1))
    # the live one plus DEPLOY_KEEP - 1 older ones
    [ $keep -lt "$DEPLOY_KEEP" ] && continue
    log "removing old release $dir"
    rm -rf "${root:?}/releases/$dir"
  done
}

[ -f "$incoming/release.tgz" ] || fail "nothing received in $incoming"
install || fail "npm ci failed for $id"
rm -rf "$incoming"
migrate || fail "the migration failed: $id is not live, nothing was restarted"

previous=$(readlink -f "$current" 2>/dev/null || true)
[ -d "$previous" ] || previous=""
point_current_at "$release"
log "current -> $id"
for i in "${!ports[@]}"; do
  restart "${ports[$i]}" || {
    log "port ${ports[$i]} is not ready within ${DEPLOY_HEALTH_TIMEOUT} s with $id"
    rollback "$i" "$previous"
  }
done
prune
log "$id is live on ${ports[*]}"
