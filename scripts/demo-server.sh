# Sourced by scripts/fuzz-api and scripts/client-check: `newsroom serve --demo` (the debug
# build, $BIN) on a fresh database and a free loopback port, stopped (and its database
# dropped) when the calling script exits.
#
# In:  BIN; DB_PREFIX (the throw-away database is $DB_PREFIX<pid>); DATABASE_URL, the server
#      to create it on (unset: the server runs its embedded PostgreSQL in the work folder).
#      Extra settings for the server go in the array SERVER_ENV (`NAME=value` items).
# Out: WORK (a temporary folder, removed at exit), BASE, SERVER_PID; the log is
#      $WORK/server.log.

WORK="$(mktemp -d)"
# As root, the embedded cluster runs as `postgres`, which must be able to enter the folder.
chmod 755 "$WORK"
SERVER_PID=""
DROP_URL=""
DB_NAME=""
cleanup() {
  if [[ -n "$SERVER_PID" ]]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [[ -n "$DROP_URL" ]]; then
    psql -q "$DROP_URL" -c "drop database if exists $DB_NAME with (force)" >/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

if [[ -n "${DATABASE_URL:-}" ]]; then
  # A fresh database beside the one DATABASE_URL names, so the demo seed starts from nothing.
  base="${DATABASE_URL%%\?*}"
  query=""
  [[ "$DATABASE_URL" == *\?* ]] && query="?${DATABASE_URL#*\?}"
  DB_NAME="$DB_PREFIX$$"
  DROP_URL="$DATABASE_URL"
  psql -q "$DATABASE_URL" -c "create database $DB_NAME" >/dev/null
  export DATABASE_URL="${base%/*}/$DB_NAME$query"
else
  echo "DATABASE_URL is unset: the server starts its embedded PostgreSQL under $WORK"
fi

PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
BASE="http://127.0.0.1:$PORT"
echo "== starting newsroom serve --demo on port $PORT"
env NEWSROOM_ADDR="127.0.0.1:$PORT" NEWSROOM_DATA_DIR="$WORK/data" NEWSROOM_LOG=pretty \
  RUST_LOG="${RUST_LOG:-warn}" "${SERVER_ENV[@]}" \
  "$BIN" serve --demo >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 120); do
  curl -fsS "$BASE/health/ready" >/dev/null 2>&1 && break
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    cat "$WORK/server.log"; echo "the server did not start"; exit 1
  fi
  sleep 0.5
done
curl -fsS "$BASE/health/ready" >/dev/null
