# shellcheck shell=bash
# Throwaway PostgreSQL + Redis for the test suite. Sourced by scripts/test.
#
# svc_ensure_packages   install postgresql / redis-server (and tmux, which the
#                       interactive shell's test drives) from Debian if missing
# svc_start             start both on 127.0.0.1 in a fresh temp dir, export the
#                       GPT_TRADER_TEST_* variables (see scripts/test)
#                       SVC_PG_DURABLE=1 beforehand keeps PostgreSQL's default
#                       durability (fsync, synchronous_commit, full_page_writes on)
#                       instead of turning it off for speed: benchmarks want that
# svc_stop              stop both, remove the temp dir (idempotent; safe to call
#                       when only part of svc_start ran)
#
# Only the servers started here are ever stopped: postgres via its data dir,
# redis via its port/pidfile. A Debian default cluster or a system redis
# (e.g. auto-started by a package's postinst) is left alone.

SVC_DIR=""          # temp dir holding everything
SVC_PG_BIN=""       # /usr/lib/postgresql/N/bin
SVC_PG_PORT=""
SVC_PG_VERSION=""
SVC_PG_STARTED=0
SVC_REDIS_SERVER=""
SVC_REDIS_CLI=""
SVC_REDIS_PORT=""
SVC_REDIS_VERSION=""
SVC_REDIS_STARTED=0
SVC_SUMMARY=""      # "postgres 15.x on ..., redis 7.x on ..." once started
SVC_PG_DURABLE=${SVC_PG_DURABLE:-0}   # 1: PostgreSQL's default durability (see svc_start)

svc_log() { printf '    %s\n' "$*"; }
svc_err() { printf 'scripts/test: %s\n' "$*" >&2; }

svc_now_ms() { date +%s%3N; }

# Highest installed /usr/lib/postgresql/N/bin that has initdb and pg_ctl.
svc_find_pg_bin() {
    local d best=""
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V); do
        [[ -x $d/initdb && -x $d/pg_ctl && -x $d/postgres ]] && best=$d
    done
    SVC_PG_BIN=$best
    [[ -n $best ]]
}

svc_find_redis() {
    SVC_REDIS_SERVER=$(command -v redis-server || true)
    SVC_REDIS_CLI=$(command -v redis-cli || true)
    [[ -n $SVC_REDIS_SERVER && -n $SVC_REDIS_CLI ]]
}

svc_ensure_packages() {
    local need=()
    svc_find_pg_bin || need+=(postgresql)
    svc_find_redis || need+=(redis-server)
    command -v tmux >/dev/null || need+=(tmux)
    if ((${#need[@]} == 0)); then
        svc_log "postgresql, redis-server and tmux already installed"
        return 0
    fi
    svc_log "installing: ${need[*]}"
    local sudo=()
    if ((EUID != 0)); then
        command -v sudo >/dev/null || { svc_err "need root (or sudo) to install ${need[*]}"; return 1; }
        sudo=(sudo)
    fi
    local t0 aptlog; t0=$(svc_now_ms)
    aptlog=$(mktemp /tmp/gpt-trader-apt.XXXXXX)
    # A postinst may start Debian's default cluster / redis service; that is
    # harmless (different ports/dirs) and we leave it alone.
    if ! { "${sudo[@]}" apt-get update -qq &&
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
            -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
            "${need[@]}"; } </dev/null >"$aptlog" 2>&1; then
        svc_err "apt-get failed:"; tail -n 30 "$aptlog" >&2; rm -f "$aptlog"; return 1
    fi
    rm -f "$aptlog"
    svc_log "installed in $(( ($(svc_now_ms) - t0) / 1000 ))s"
    svc_find_pg_bin || { svc_err "postgresql installed but no /usr/lib/postgresql/*/bin/initdb"; return 1; }
    svc_find_redis || { svc_err "redis-server installed but redis-server/redis-cli not on PATH"; return 1; }
}

# Print one currently free TCP port on 127.0.0.1, not in the given list.
svc_free_port() {
    local exclude=" $* " p i
    if command -v python3 >/dev/null 2>&1; then
        for i in 1 2 3 4 5; do
            p=$(python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' 2>/dev/null) || break
            [[ $exclude != *" $p "* ]] && { echo "$p"; return 0; }
        done
    fi
    # Fallback: random port in 20000-59999 nobody is listening on.
    for i in $(seq 1 200); do
        p=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
        [[ $exclude == *" $p "* ]] && continue
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"; return 0
        fi
    done
    svc_err "no free port found"; return 1
}

# Run a command as the postgres owner (postgres refuses to run as root).
svc_as_pg() {
    if ((EUID == 0)); then runuser -u postgres -- "$@"; else "$@"; fi
}

svc_write_wrappers() {
    mkdir -p "$SVC_DIR/bin"
    # pg_ctl wrapper that works from a root test process.
    cat >"$SVC_DIR/bin/pg_ctl" <<EOF
#!/usr/bin/env bash
if [ "\$(id -u)" = 0 ]; then exec runuser -u postgres -- "$SVC_PG_BIN/pg_ctl" "\$@"; fi
exec "$SVC_PG_BIN/pg_ctl" "\$@"
EOF
    chmod 755 "$SVC_DIR/bin/pg_ctl"
    # Private clusters of tests that restart their server (scripts/lib/pg-cluster).
    mkdir -p "$SVC_DIR/clusters"
    chmod 755 "$SVC_DIR/clusters"
}

svc_start_postgres() {
    local data=$SVC_DIR/pgdata sock=$SVC_DIR/pgsock log=$SVC_DIR/postgres.log attempt
    mkdir -p "$data" "$sock"
    chmod 700 "$data"
    ((EUID == 0)) && chown postgres: "$data" "$sock"
    svc_as_pg "$SVC_PG_BIN/initdb" -D "$data" -U postgres -E UTF8 --locale=C \
        --auth-local=trust --auth-host=trust --no-sync >"$SVC_DIR/initdb.log" 2>&1 || {
        svc_err "initdb failed:"; tail -n 20 "$SVC_DIR/initdb.log" >&2; return 1; }
    # Trust, but on loopback IPv4 and our own socket dir only; one role logs in with a
    # password (SCRAM), so tests can check what a wrong password gives.
    cat >"$data/pg_hba.conf" <<EOF
local all all                         trust
host  all gpt_trader_pw 127.0.0.1/32  scram-sha-256
host  all all           127.0.0.1/32  trust
EOF
    # Tests need no crash safety, so by default commits do not wait for the disk; a benchmark
    # (SVC_PG_DURABLE=1) measures commits as a real server makes them.
    local durability="fsync = off
synchronous_commit = off
full_page_writes = off"
    if [[ $SVC_PG_DURABLE == 1 ]]; then
        durability="fsync = on
synchronous_commit = on
full_page_writes = on"
    fi
    for attempt in 1 2 3; do
        SVC_PG_PORT=$(svc_free_port "$SVC_REDIS_PORT") || return 1
        cat >"$data/postgresql.auto.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $SVC_PG_PORT
unix_socket_directories = '$sock'
$durability
max_connections = 200
log_min_messages = warning
EOF
        ((EUID == 0)) && chown postgres: "$data/postgresql.auto.conf"
        : >"$log"; ((EUID == 0)) && chown postgres: "$log"
        if svc_as_pg "$SVC_PG_BIN/pg_ctl" -D "$data" -l "$log" -w -t 60 start >/dev/null; then
            SVC_PG_STARTED=1
            break
        fi
        svc_err "postgres failed to start on port $SVC_PG_PORT (attempt $attempt):"
        tail -n 10 "$log" >&2
        svc_as_pg "$SVC_PG_BIN/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true
    done
    ((SVC_PG_STARTED)) || return 1
    "$SVC_PG_BIN/createdb" -h 127.0.0.1 -p "$SVC_PG_PORT" -U postgres gpt_trader_test
    "$SVC_PG_BIN/psql" -h 127.0.0.1 -p "$SVC_PG_PORT" -U postgres -d gpt_trader_test -XqAt \
        -c "CREATE ROLE gpt_trader_pw LOGIN PASSWORD 'right-pw'" -c "GRANT CREATE ON DATABASE gpt_trader_test TO gpt_trader_pw" >/dev/null
    SVC_PG_VERSION=$("$SVC_PG_BIN/psql" -h 127.0.0.1 -p "$SVC_PG_PORT" -U postgres -d gpt_trader_test \
        -XAtc 'show server_version' | awk '{print $1}')
}

svc_start_redis() {
    local conf=$SVC_DIR/redis.conf attempt i
    mkdir -p "$SVC_DIR/redis"
    for attempt in 1 2 3; do
        SVC_REDIS_PORT=$(svc_free_port "$SVC_PG_PORT") || return 1
        # Same as: redis-server --bind 127.0.0.1 --port P --save '' --appendonly no
        #          --daemonize yes --pidfile F --dir D --logfile L
        # kept in a file so tests can restart it: "$GPT_TRADER_TEST_REDIS_SERVER" "$GPT_TRADER_TEST_REDIS_CONF"
        cat >"$conf" <<EOF
bind 127.0.0.1
protected-mode yes
port $SVC_REDIS_PORT
save ""
appendonly no
daemonize yes
pidfile $SVC_DIR/redis.pid
dir $SVC_DIR/redis
logfile $SVC_DIR/redis.log
EOF
        rm -f "$SVC_DIR/redis.pid"
        if "$SVC_REDIS_SERVER" "$conf" >/dev/null 2>&1 </dev/null; then
            for i in $(seq 1 100); do   # up to ~10 s
                if [[ $("$SVC_REDIS_CLI" -h 127.0.0.1 -p "$SVC_REDIS_PORT" ping 2>/dev/null) == PONG ]]; then
                    SVC_REDIS_STARTED=1
                    break 2
                fi
                sleep 0.1
            done
        fi
        svc_err "redis failed to start on port $SVC_REDIS_PORT (attempt $attempt):"
        tail -n 10 "$SVC_DIR/redis.log" >&2 2>/dev/null || true
        svc_stop_redis
    done
    ((SVC_REDIS_STARTED)) || return 1
    SVC_REDIS_VERSION=$("$SVC_REDIS_SERVER" --version | sed -n 's/.*v=\([0-9.]*\).*/\1/p')
}

svc_start() {
    local t0 t1 t2
    # /tmp (not $TMPDIR): the postgres user must be able to reach it, and the
    # unix socket path must stay short.
    SVC_DIR=$(mktemp -d /tmp/gpt-trader-test.XXXXXX)
    chmod 755 "$SVC_DIR"
    svc_write_wrappers
    t0=$(svc_now_ms)
    svc_start_postgres || return 1
    t1=$(svc_now_ms)
    svc_log "postgres $SVC_PG_VERSION on 127.0.0.1:$SVC_PG_PORT ($((t1 - t0)) ms incl. initdb)"
    svc_start_redis || return 1
    t2=$(svc_now_ms)
    svc_log "redis $SVC_REDIS_VERSION on 127.0.0.1:$SVC_REDIS_PORT ($((t2 - t1)) ms)"
    svc_log "services dir $SVC_DIR"
    SVC_SUMMARY="postgres $SVC_PG_VERSION on 127.0.0.1:$SVC_PG_PORT, redis $SVC_REDIS_VERSION on 127.0.0.1:$SVC_REDIS_PORT"

    export GPT_TRADER_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$SVC_PG_PORT/gpt_trader_test"
    export GPT_TRADER_TEST_REDIS_URL="redis://127.0.0.1:$SVC_REDIS_PORT/0"
    export GPT_TRADER_TEST_SERVICES_DIR="$SVC_DIR"
    export GPT_TRADER_TEST_PG_HOST=127.0.0.1
    export GPT_TRADER_TEST_PG_PORT="$SVC_PG_PORT"
    # A role that needs its password (SCRAM): user gpt_trader_pw, password right-pw.
    export GPT_TRADER_TEST_PG_PASSWORD_URL="postgres://gpt_trader_pw:right-pw@127.0.0.1:$SVC_PG_PORT/gpt_trader_test"
    export GPT_TRADER_TEST_PG_BIN="$SVC_PG_BIN"
    export GPT_TRADER_TEST_PG_CTL="$SVC_DIR/bin/pg_ctl"
    GPT_TRADER_TEST_PG_CLUSTER="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/pg-cluster"
    export GPT_TRADER_TEST_PG_CLUSTER
    export GPT_TRADER_TEST_PG_DATA="$SVC_DIR/pgdata"
    export GPT_TRADER_TEST_PG_LOG="$SVC_DIR/postgres.log"
    export GPT_TRADER_TEST_REDIS_HOST=127.0.0.1
    export GPT_TRADER_TEST_REDIS_PORT="$SVC_REDIS_PORT"
    export GPT_TRADER_TEST_REDIS_SERVER="$SVC_REDIS_SERVER"
    export GPT_TRADER_TEST_REDIS_CLI="$SVC_REDIS_CLI"
    export GPT_TRADER_TEST_REDIS_CONF="$SVC_DIR/redis.conf"
    export GPT_TRADER_TEST_REDIS_PIDFILE="$SVC_DIR/redis.pid"
    export GPT_TRADER_TEST_REDIS_LOG="$SVC_DIR/redis.log"
}

svc_stop_postgres() {
    local data=$SVC_DIR/pgdata pid cluster
    # Private clusters a test left running (it failed or was killed before stopping its own).
    for cluster in "$SVC_DIR"/clusters/*/data; do
        [[ -n $SVC_DIR && -f $cluster/postmaster.pid ]] || continue
        svc_as_pg "$SVC_PG_BIN/pg_ctl" -D "$cluster" -m immediate -w -t 10 stop >/dev/null 2>&1 || true
    done
    [[ -n $SVC_DIR && -f $data/postmaster.pid ]] || return 0
    svc_as_pg "$SVC_PG_BIN/pg_ctl" -D "$data" -m fast -w -t 30 stop >/dev/null 2>&1 ||
        svc_as_pg "$SVC_PG_BIN/pg_ctl" -D "$data" -m immediate -w -t 10 stop >/dev/null 2>&1 || true
    if [[ -f $data/postmaster.pid ]]; then
        pid=$(head -n 1 "$data/postmaster.pid" 2>/dev/null || true)
        if [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
            svc_err "postgres (pid $pid) did not stop; killing it"
            kill -KILL "$pid" 2>/dev/null || true
            sleep 0.5
        fi
    fi
}

svc_stop_redis() {
    local pid="" i
    [[ -n $SVC_DIR && -n $SVC_REDIS_PORT ]] || return 0
    [[ -f $SVC_DIR/redis.pid ]] && pid=$(cat "$SVC_DIR/redis.pid" 2>/dev/null || true)
    "$SVC_REDIS_CLI" -h 127.0.0.1 -p "$SVC_REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
    if [[ $pid =~ ^[0-9]+$ ]]; then
        for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        if kill -0 "$pid" 2>/dev/null; then
            svc_err "redis (pid $pid) did not stop; killing it"
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    rm -f "$SVC_DIR/redis.pid"
}

# Print the tail of the service logs (called when tests failed).
svc_dump_logs() {
    [[ -n $SVC_DIR && -d $SVC_DIR ]] || return 0
    local f
    for f in "$SVC_DIR/postgres.log" "$SVC_DIR/redis.log"; do
        [[ -s $f ]] || continue
        echo "--- last lines of $(basename "$f") ---"
        tail -n 10 "$f"
    done
}

svc_stop() {
    [[ -n $SVC_DIR ]] || return 0
    svc_stop_postgres
    svc_stop_redis
    rm -rf "$SVC_DIR"
    SVC_DIR=""
}
