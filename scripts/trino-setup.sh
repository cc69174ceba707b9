#!/usr/bin/env bash
# Installs a real Trino server for the cross-engine conformance suite (npm run test:engines)
# and, with --etc, writes the configuration of one loopback-only node.
#
#   bash scripts/trino-setup.sh                      install (or check) and print TRINO_HOME=…
#   bash scripts/trino-setup.sh --etc DIR --port N --data DIR
#                                                    also write DIR/{node,config,jvm,log}.properties
#                                                    and DIR/catalog/hive.properties
#
# What is installed: io.trino:trino-server-core (the server without connectors, 190 MB)
# plus the io.trino:trino-hive plugin (250 MB) from Maven Central, rather than the full
# trino-server tarball (820 MB): the suite needs one connector. Both are checked against
# the .sha1 files Maven Central serves beside them (it serves no .sha512 for these) before
# anything is unpacked. The version is the newest whose server artifacts Maven Central
# has here (trino-server and trino-server-core stop at 476; trino-hive goes further, but
# a plugin must match its server); Trino 476 needs Java 24 or newer, so it runs on the
# machine's Temurin 25 ($TRAILBOOK_TRINO_JAVA_HOME to use another).
#
# Idempotent and cached outside the clone ($TRAILBOOK_TRINO_HOME, default
# ~/.cache/trailbook-trino), so a fresh clone on this machine (CI) reuses it: the install
# happens in a temporary folder renamed into place once complete, with a marker file, under
# a lock, so an interrupted or concurrent install never counts as done. Logs go to stderr;
# stdout carries only KEY=value lines for the caller.
set -euo pipefail

TRINO_VERSION=476
CACHE="${TRAILBOOK_TRINO_HOME:-$HOME/.cache/trailbook-trino}"
JAVA_HOME_25="${TRAILBOOK_TRINO_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
MAVEN="${TRAILBOOK_MAVEN_URL:-https://repo1.maven.org/maven2}"
SERVER_DIR="$CACHE/trino-server-$TRINO_VERSION"
MARKER="$SERVER_DIR/.trailbook-installed"

log() { printf 'trino-setup: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

ETC="" PORT="" DATA="" HEAP="${TRAILBOOK_TRINO_HEAP:-1536M}"
while (($# > 0)); do
  case "$1" in
    --etc) ETC="$2"; shift 2 ;;
    --port) PORT="$2"; shift 2 ;;
    --data) DATA="$2"; shift 2 ;;
    --heap) HEAP="$2"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
  esac
done

[[ -x "$JAVA_HOME_25/bin/java" ]] || die "no Java at $JAVA_HOME_25: Trino $TRINO_VERSION needs Java 24 or newer; install Temurin 25 there or set TRAILBOOK_TRINO_JAVA_HOME"
java_major=$("$JAVA_HOME_25/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
((java_major >= 24)) || die "$JAVA_HOME_25 is Java $java_major; Trino $TRINO_VERSION needs 24 or newer"

# Downloads one artifact into $2 and checks it against Maven Central's .sha1.
fetch() {
  local path="$1" out="$2" expected actual
  log "downloading $MAVEN/$path"
  curl -fsSL --retry 3 --retry-delay 2 -o "$out" "$MAVEN/$path" || die "download failed: $MAVEN/$path (is Maven Central reachable?)"
  expected=$(curl -fsSL --retry 3 "$MAVEN/$path.sha1" | cut -c1-40) || die "no checksum at $MAVEN/$path.sha1"
  actual=$(sha1sum "$out" | cut -c1-40)
  [[ "$expected" == "$actual" ]] || die "checksum mismatch for $path: Maven Central says $expected, the download is $actual"
}

install() {
  mkdir -p "$CACHE"
  exec 9>"$CACHE/.install.lock"
  flock 9
  [[ -f "$MARKER" ]] && return 0
  local started=$SECONDS tmp
  rm -rf "$CACHE"/.tmp-*
  tmp=$(mktemp -d "$CACHE/.tmp-XXXXXX")
  fetch "io/trino/trino-server-core/$TRINO_VERSION/trino-server-core-$TRINO_VERSION.tar.gz" "$tmp/server.tar.gz"
  fetch "io/trino/trino-hive/$TRINO_VERSION/trino-hive-$TRINO_VERSION.zip" "$tmp/hive.zip"
  tar -xzf "$tmp/server.tar.gz" -C "$tmp"
  [[ -d "$tmp/trino-server-core-$TRINO_VERSION" ]] || die "the server tarball has no trino-server-core-$TRINO_VERSION folder"
  mv "$tmp/trino-server-core-$TRINO_VERSION" "$tmp/trino-server-$TRINO_VERSION"
  mkdir -p "$tmp/trino-server-$TRINO_VERSION/plugin"
  # The plugin zip holds one folder, trino-hive-476/, of jars: the server loads every
  # folder of plugin/ as one plugin.
  (cd "$tmp" && unzip -q hive.zip && mv "trino-hive-$TRINO_VERSION" "trino-server-$TRINO_VERSION/plugin/hive")
  rm -f "$tmp/server.tar.gz" "$tmp/hive.zip"
  touch "$tmp/trino-server-$TRINO_VERSION/.trailbook-installed"
  rm -rf "$SERVER_DIR"
  mv "$tmp/trino-server-$TRINO_VERSION" "$SERVER_DIR"
  rmdir "$tmp"
  log "installed Trino $TRINO_VERSION (core + hive) in $SERVER_DIR in $((SECONDS - started)) s"
}

if [[ -f "$MARKER" ]]; then
  log "Trino $TRINO_VERSION ready in $SERVER_DIR"
else
  install
fi

if [[ -n "$ETC" ]]; then
  [[ "$PORT" =~ ^[0-9]+$ ]] || die "--etc needs --port N"
  [[ -n "$DATA" ]] || die "--etc needs --data DIR (node data, the file metastore and the tables live there)"
  mkdir -p "$ETC/catalog" "$DATA/warehouse"
  DATA=$(cd "$DATA" && pwd)
  # One node that is coordinator and worker, on loopback only; memory sized for a shared
  # 2-core machine and a few thousand events.
  cat >"$ETC/node.properties" <<EOF
node.environment=trailbook_test
node.id=trailbook-$PORT
node.data-dir=$DATA/node
node.bind-ip=127.0.0.1
node.internal-address=127.0.0.1
EOF
  cat >"$ETC/config.properties" <<EOF
coordinator=true
node-scheduler.include-coordinator=true
http-server.http.port=$PORT
discovery.uri=http://127.0.0.1:$PORT
query.max-memory=512MB
query.max-memory-per-node=512MB
task.concurrency=2
EOF
  cat >"$ETC/jvm.config" <<EOF
-server
-Xmx$HEAP
-XX:+UseSerialGC
-XX:+ExitOnOutOfMemoryError
-XX:-UsePerfData
-Djdk.attach.allowAttachSelf=true
-Dfile.encoding=UTF-8
EOF
  cat >"$ETC/log.properties" <<EOF
io.trino=WARN
io.trino.server.Server=INFO
EOF
  # The Hive connector with a file metastore on the local file system: the tables are
  # Parquet files in $DATA/warehouse, described by JSON files beside them. No HDFS, no
  # metastore service.
  cat >"$ETC/catalog/hive.properties" <<EOF
connector.name=hive
hive.metastore=file
hive.metastore.catalog.dir=local:///
fs.native-local.enabled=true
local.location=$DATA/warehouse
hive.non-managed-table-writes-enabled=true
EOF
  log "configured a node on 127.0.0.1:$PORT in $ETC (data in $DATA)"
fi

printf 'TRINO_HOME=%s\nJAVA_HOME=%s\nTRINO_VERSION=%s\n' "$SERVER_DIR" "$JAVA_HOME_25" "$TRINO_VERSION"
