# Sourced by scripts/replica-test and scripts/pgbouncer-test: private PostgreSQL servers
# (and PgBouncer) in a temporary folder, run as an unprivileged user (PostgreSQL refuses
# root), on their own ports, all stopped and removed when the script exits.
#
#   pg_start NAME PORT [initdb|replica-of PRIMARY_PORT]
#   pgbouncer_start PORT POOL_MODE UPSTREAM_PORT BINARY
#   as_owner CMD...        run CMD as the owner of the temporary folder

pg_bin="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}"
[ -x "$pg_bin/initdb" ] || { echo "no PostgreSQL server binaries (set PG_BIN)"; exit 1; }
work="$(mktemp -d "${TMPDIR:-/tmp}/newsroom-scale.XXXXXX")"
owner="$(id -un)"
if [ "$(id -u)" = 0 ]; then
  owner="${PG_USER:-postgres}"
  id "$owner" > /dev/null 2>&1 || { echo "run as a normal user, or create the user $owner"; exit 1; }
  chown "$owner" "$work"
fi
started=()

as_owner() {
  if [ "$(id -un)" = "$owner" ]; then "$@"; else runuser -u "$owner" -- "$@"; fi
}

cleanup() {
  local i
  for (( i=${#started[@]}-1; i>=0; i-- )); do
    case "${started[$i]}" in
      pgbouncer:*) kill "$(cat "${started[$i]#pgbouncer:}")" 2>/dev/null || true ;;
      *) as_owner "$pg_bin/pg_ctl" -D "${started[$i]}" -m immediate stop > /dev/null 2>&1 || true ;;
    esac
  done
  rm -rf "$work"
}
trap cleanup EXIT

pg_start() {
  local name=$1 port=$2 how=${3:-initdb} from=${4:-}
  local dir="$work/$name"
  if [ "$how" = initdb ]; then
    as_owner "$pg_bin/initdb" -D "$dir" -U postgres -A trust --no-sync > "$work/$name-initdb.log"
    cat >> "$dir/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$work'
fsync = off
max_connections = 300
wal_level = replica
max_wal_senders = 5
hot_standby = on
CONF
    echo "host replication postgres 127.0.0.1/32 trust" >> "$dir/pg_hba.conf"
  else
    # A streaming replica: a base backup of the primary with its standby settings (-R).
    as_owner "$pg_bin/pg_basebackup" -h 127.0.0.1 -p "$from" -U postgres -D "$dir" -R -X stream
  fi
  started+=("$dir")
  as_owner "$pg_bin/pg_ctl" -D "$dir" -o "-p $port" -l "$work/$name.log" -w start > /dev/null || {
    echo "PostgreSQL ($name, port $port) did not start:"; tail -n 20 "$work/$name.log"; exit 1; }
}

pgbouncer_start() {
  local port=$1 mode=$2 upstream=$3
  # A copy in the temporary folder: the owner may not reach the original (e.g. under /root).
  local bin="$work/pgbouncer"
  cp "$4" "$bin"
  chmod 755 "$bin"
  # auth_type trust still wants every user in auth_file: the tests' read pool connects as
  # newsroom_test_reader (tests/api/helpers/db.rs).
  printf '"postgres" ""\n"newsroom_test_reader" ""\n' > "$work/userlist.txt"
  cat > "$work/pgbouncer.ini" <<CONF
[databases]
* = host=127.0.0.1 port=$upstream
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
auth_type = trust
auth_file = $work/userlist.txt
pool_mode = $mode
max_client_conn = 2000
default_pool_size = 40
ignore_startup_parameters = extra_float_digits
logfile = $work/pgbouncer.log
pidfile = $work/pgbouncer.pid
${PGBOUNCER_EXTRA:-}
CONF
  chown "$owner" "$work/pgbouncer.ini" "$work/userlist.txt" 2>/dev/null || true
  as_owner "$bin" -d "$work/pgbouncer.ini"
  started+=("pgbouncer:$work/pgbouncer.pid")
  for _ in $(seq 1 50); do
    "$pg_bin/pg_isready" -h 127.0.0.1 -p "$port" -q 2>/dev/null && return 0; sleep 0.1
  done
  echo "pgbouncer did not start:"; cat "$work/pgbouncer.log"; exit 1
}
