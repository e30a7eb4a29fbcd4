#!/usr/bin/env bash
# Deploys a release of onsale to a VM over SSH, beside the previous ones, and rolls back when a
# health check fails (docs/operations.md#deploy-a-release-to-a-vm-opsdeploydeploysh).
#
#   ops/deploy/deploy.sh <user@host> [release.tgz]
#
# release.tgz: what `npm pack` makes (dist/src, web/dist, package.json); without it, this tree is
# built and packed. The tree's package-lock.json and .npmrc go along. On the host (remote.sh):
# unpack into DEPLOY_ROOT/releases/<id>, `npm ci --omit=dev`, `onsale migrate`, switch the
# `current` symlink, restart one port at a time (DEPLOY_RESTART, `{port}` replaced) waiting for
# each port's /health/ready, and on a failed check switch back and restart again. Keeps the
# newest DEPLOY_KEEP releases. Settings: environment or DEPLOY_CONFIG (default ops/deploy/deploy.env;
# ops/deploy/deploy.env.example lists them). Exit: 0 deployed, 1 not installed (nothing changed),
# 2 rolled back, 3 the rollback failed too.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
config=${DEPLOY_CONFIG:-$here/deploy.env}
# shellcheck disable=SC1090
[ -f "$config" ] && . "$config"

: "${DEPLOY_ROOT:=/opt/onsale}"
: "${DEPLOY_PORTS:=3001 3002}"
: "${DEPLOY_RESTART:=systemctl restart onsale@{port}}"
: "${DEPLOY_KEEP:=5}"
: "${DEPLOY_ENV_FILE:=/etc/onsale/onsale.env}"
: "${DEPLOY_HEALTH_TIMEOUT:=60}"
: "${DEPLOY_SSH_OPTS:=}"
: "${DEPLOY_REMOTE_PATH:=}"
: "${DEPLOY_NPM_FLAGS:=--omit=dev --ignore-scripts --no-audit --no-fund}"

die() {
  echo "deploy: $*" >&2
  exit 1
}

[ $# -ge 1 ] && [ $# -le 2 ] || die "usage: $0 <user@host> [release.tgz]"
host=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ $# -eq 2 ]; then
  [ -f "$2" ] || die "no release file $2"
  cp "$2" "$work/release.tgz"
else
  echo "deploy: building and packing $repo"
  (cd "$repo" && npm run build >&2 && npm pack --ignore-scripts --pack-destination "$work" >/dev/null) || die "the build failed"
  mv "$work"/*.tgz "$work/release.tgz"
fi
[ -f "$repo/package-lock.json" ] || die "no package-lock.json in $repo"
cp "$repo/package-lock.json" "$work/"
[ -f "$repo/.npmrc" ] && cp "$repo/.npmrc" "$work/"
cp "$here/remote.sh" "$work/"

version=$(tar -xzOf "$work/release.tgz" package/package.json | grep -o '"version": *"[^"]*"' | head -1 | sed 's/.*"\([^"]*\)"$/\1/')
[ -n "$version" ] || die "the release has no package/package.json version: is it an npm pack tarball?"
id=${DEPLOY_RELEASE_ID:-$(date -u +%Y%m%dT%H%M%SZ)-$version-$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')}
[[ $id =~ ^[A-Za-z0-9._-]+$ ]] || die "bad release id $id"

read -r -a ssh_opts <<<"$DEPLOY_SSH_OPTS"
remote() { ssh "${ssh_opts[@]}" "$host" "$@"; }
q() { printf '%q ' "$@"; }

incoming="$DEPLOY_ROOT/incoming/$id"
echo "deploy: sending release $id to $host"
tar -C "$work" -cf - . | remote "mkdir -p $(q "$incoming") && tar -xf - -C $(q "$incoming")" || die "could not copy the release to $host"

settings=(
  "DEPLOY_ROOT=$DEPLOY_ROOT" "DEPLOY_PORTS=$DEPLOY_PORTS" "DEPLOY_RESTART=$DEPLOY_RESTART" "DEPLOY_KEEP=$DEPLOY_KEEP"
  "DEPLOY_ENV_FILE=$DEPLOY_ENV_FILE" "DEPLOY_HEALTH_TIMEOUT=$DEPLOY_HEALTH_TIMEOUT" "DEPLOY_REMOTE_PATH=$DEPLOY_REMOTE_PATH"
  "DEPLOY_NPM_FLAGS=$DEPLOY_NPM_FLAGS"
)
set +e
remote "env $(q "${settings[@]}") bash $(q "$incoming/remote.sh" "$id")"
status=$?
set -e
case $status in
  0) echo "deploy: $id is live on $host" ;;
  2) echo "deploy: $id failed its health check on $host and was rolled back" >&2 ;;
  3) echo "deploy: $id failed and the rollback failed too on $host: act now" >&2 ;;
  *) echo "deploy: $id was not installed on $host (exit $status); the live release is unchanged" >&2 ;;
esac
exit "$status"
