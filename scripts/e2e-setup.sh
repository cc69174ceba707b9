#!/usr/bin/env bash
# Prepares what the end-to-end test (scripts/test-e2e.mjs) needs: Debian's Chromium
# and ripgrep, and VS Code 1.100 as shipped in code-server@4.100.3 (newer releases
# need Node 22+). See /work/shared/notes/real-vscode-e2e.md for why each step is here.
#
# Idempotent and cached: a second run only checks and takes seconds. code-server lives
# OUTSIDE the repository so a fresh clone (CI on this machine) reuses it; its marker
# file is written only after a complete install, which happens in a temporary folder
# that is renamed into place, so an interrupted install never counts as done.
# Everything it says goes to stderr; scripts/test-e2e.mjs computes the same folder from
# TRAILBOOK_E2E_HOME itself.
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
E2E_HOME="${TRAILBOOK_E2E_HOME:-$HOME/.cache/trailbook-e2e}"
CS_DIR="$E2E_HOME/code-server-$CODE_SERVER_VERSION"
MARKER="$CS_DIR/.trailbook-installed"

log() { printf 'e2e-setup: %s\n' "$*" >&2; }

# 1. Debian packages, only when one is missing (apt-get update is slow and needs the
#    network; a warm machine should not touch it).
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v rg >/dev/null 2>&1 || missing+=(ripgrep)
dpkg-query -W -f='${Status}' libkrb5-dev 2>/dev/null | grep -q 'install ok installed' || missing+=(libkrb5-dev)
if ((${#missing[@]} > 0)); then
  if [[ $(id -u) -ne 0 ]]; then
    log "missing Debian packages: ${missing[*]}; run as root or install them: apt-get install -y ${missing[*]}"
    exit 1
  fi
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Another process (a parallel job, unattended upgrades) may hold dpkg's lock: wait for
  # it instead of failing.
  apt-get -o DPkg::Lock::Timeout=600 update -q >&2
  apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${missing[@]}" >&2
fi

# 2. code-server, once per machine.
if [[ -f "$MARKER" && -x "$CS_DIR/node_modules/.bin/code-server" ]]; then
  log "code-server $CODE_SERVER_VERSION ready in $CS_DIR"
  exit 0
fi

mkdir -p "$E2E_HOME"
# Two jobs on one machine must not install (and rename into place) at the same time:
# the second waits, then finds the first one's install.
exec 9>"$E2E_HOME/.install.lock"
flock 9
if [[ -f "$MARKER" && -x "$CS_DIR/node_modules/.bin/code-server" ]]; then
  log "code-server $CODE_SERVER_VERSION ready in $CS_DIR"
  exit 0
fi
log "installing code-server $CODE_SERVER_VERSION into $CS_DIR (takes about three minutes)"
# Leftovers of installs that were killed before they could clean up (we hold the lock,
# so none of them is in progress).
rm -rf "$E2E_HOME/.code-server-$CODE_SERVER_VERSION".*

# Its postinstall downloads ripgrep from GitHub, which this machine cannot reach: seed
# @vscode/ripgrep's download cache with Debian's binary so nothing is downloaded.
case "$(uname -m)" in
  x86_64) rg_triple=x86_64-unknown-linux-musl ;;
  aarch64) rg_triple=aarch64-unknown-linux-musl ;;
  *) log "no ripgrep download name known for $(uname -m)"; exit 1 ;;
esac
rg_cache="$(node -p 'require("os").tmpdir()')/vscode-ripgrep-cache-1.15.11"
rg_tarball="$rg_cache/ripgrep-v13.0.0-10-$rg_triple.tar.gz"
if [[ ! -s "$rg_tarball" ]]; then
  pack="$(mktemp -d)"
  mkdir -p "$rg_cache"
  cp "$(command -v rg)" "$pack/rg"
  tar czf "$rg_tarball.tmp" -C "$pack" rg
  mv "$rg_tarball.tmp" "$rg_tarball"
  rm -rf "$pack"
fi

tmp="$(mktemp -d "$E2E_HOME/.code-server-$CODE_SERVER_VERSION.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
# Its own package.json so npm installs into this folder and not into a parent project.
printf '{ "name": "trailbook-e2e-code-server", "private": true }\n' >"$tmp/package.json"
# Its install scripts prompt and drop privileges unless told otherwise when run as root
# without a terminal (CI).
(cd "$tmp" && npm_config_yes=true npm_config_unsafe_perm=true \
  npm install --no-audit --no-fund --no-save "code-server@$CODE_SERVER_VERSION" >&2)
# It runs; its config file goes to the scratch folder, not the person's ~/.config.
XDG_CONFIG_HOME="$tmp/.config" "$tmp/node_modules/.bin/code-server" --version >&2
date -u +%FT%TZ >"$tmp/.trailbook-installed"

# A leftover without its marker (an interrupted older run) is not an install: replace it.
rm -rf "$CS_DIR"
mv "$tmp" "$CS_DIR"
trap - EXIT
log "code-server $CODE_SERVER_VERSION installed in $CS_DIR"
