# Shared by bench.sh and usage-bench.sh (sourced, not run): logging, JSON and number formatting, psql,
# the settings checks, machine facts and the gateway's start and stop. Loopback only.
#
# The sourcing script sets, before calling anything here:
#   LOG_NAME          prefix of its log lines ("bench", "usage-bench")
#   SETTINGS_PREFIX   prefix of its environment settings, for messages ("BENCH_", "USAGE_BENCH_")
# and calls pg_target HOST PORT USER before pg, recreate_db or machine_facts.
# shellcheck shell=bash

log() { printf '%s %s: %s\n' "$(date -u +%H:%M:%S)" "$LOG_NAME" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

# ------------------------------------------------------------------ settings checks

# check_whole_numbers NAME... : each named variable must hold a whole number
check_whole_numbers() {
  local n
  for n in "$@"; do
    [[ ${!n} =~ ^[0-9]+$ ]] || die "$n must be a whole number (got '${!n}')"
  done
}

# check_target HTTP_PORT MANAGEMENT_PORT PG_HOST DB: two ports, a loopback PostgreSQL, a benchmark database name
check_target() {
  (( $1 != $2 )) || die "${SETTINGS_PREFIX}HTTP_PORT and ${SETTINGS_PREFIX}MANAGEMENT_PORT must differ"
  case "$3" in
    127.0.0.1|localhost|::1) ;;
    *) die "${SETTINGS_PREFIX}PG_HOST must be a loopback address (got '$3')" ;;
  esac
  # The database is dropped and recreated: only ever one whose name says it is a benchmark database.
  [[ $4 =~ ^[a-z0-9_]+$ && $4 == *bench* ]] \
    || die "${SETTINGS_PREFIX}DB must be lower-case letters, digits and '_' and contain 'bench' (got '$4')"
}

# require_tools TOOL...
require_tools() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || die "$tool is required"
  done
}

# ------------------------------------------------------------------ JSON and numbers

# jget FILE a.b.0.c -> the value ("null" when missing); numeric parts index arrays; a leading "." is allowed
jget() {
  python3 - "$1" "$2" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
for k in [p for p in sys.argv[2].split(".") if p]:
    if isinstance(v, list) and k.isdigit():
        v = v[int(k)] if int(k) < len(v) else None
    else:
        v = v.get(k) if isinstance(v, dict) else None
print("null" if v is None else (str(v).lower() if isinstance(v, bool) else v))
PY
}

# 1234567.8 -> 1,234,568
fmt_int() { printf '%.0f' "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta'; }
fmt_ms() { printf '%.1f' "$1"; }

# ------------------------------------------------------------------ PostgreSQL

# pg_target HOST PORT USER: the server pg talks to
pg_target() {
  PG_ARGS=(-h "$1" -p "$2" -U "$3")
  PG_WHERE="$1:$2"
}
pg() { psql -X -q -v ON_ERROR_STOP=1 "${PG_ARGS[@]}" "$@"; }

# recreate_db NAME: drops (with force) and creates it
recreate_db() {
  log "recreating database $1 on $PG_WHERE"
  pg -d postgres -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" >/dev/null
  pg -d postgres -c "CREATE DATABASE \"$1\"" >/dev/null
}

# java_uses_db URL: every Java process started afterwards talks to that database only
java_uses_db() {
  export METERGATE_DATABASE_URL=$1
  export METERGATE_BOOTSTRAP_KEY=off
  unset METERGATE_TEST_DATABASE_URL
}

# machine_facts DB SETTING... -> MACHINE_CPUS MACHINE_CPU_MODEL MACHINE_MEM PG_VERSION PG_SETTINGS (the named
# PostgreSQL settings as name=value, by name) JAVA_VERSION GIT_REV LOAD_AT_START DATE
machine_facts() {
  local db=$1 names
  shift
  names=$(printf "'%s', " "$@")
  MACHINE_CPUS=$(nproc)
  MACHINE_CPU_MODEL=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || true)
  MACHINE_MEM=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
  PG_VERSION=$(pg -d "$db" -At -c "SHOW server_version")
  PG_SETTINGS=$(pg -d "$db" -At -c "SELECT string_agg(name || '=' || current_setting(name), ', ' ORDER BY name)
    FROM pg_settings WHERE name IN (${names%, })")
  JAVA_VERSION=$(java -version 2>&1 | head -1)
  GIT_REV=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
  if [[ -n $(git status --porcelain 2>/dev/null | head -1) ]]; then GIT_REV="$GIT_REV (uncommitted changes)"; fi
  LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)
  DATE=$(date -u '+%Y-%m-%d %H:%M UTC')
}

# ------------------------------------------------------------------ gateway (by PID only)

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# check_ports_free PORT...
check_ports_free() {
  local p
  for p in "$@"; do
    port_in_use "$p" && die "port $p is already in use on 127.0.0.1 (set ${SETTINGS_PREFIX}HTTP_PORT / ${SETTINGS_PREFIX}MANAGEMENT_PORT)"
  done
  return 0
}

GW_PID=""

# start_gateway JAR HTTP_PORT MANAGEMENT_PORT LOG_FILE JAVA_OPTS: starts it on 127.0.0.1 (sets GW_PID) and waits
# up to 60 s for /health/ready
start_gateway() {
  local jar=$1 http_port=$2 management_port=$3 log_file=$4 java_opts=$5 ready=0
  # shellcheck disable=SC2086
  METERGATE_HOST=127.0.0.1 METERGATE_HTTP_PORT=$http_port METERGATE_MANAGEMENT_PORT=$management_port \
    java $java_opts -jar "$jar" >"$log_file" 2>&1 &
  GW_PID=$!
  for _ in $(seq 1 120); do
    if ! kill -0 "$GW_PID" 2>/dev/null; then
      tail -20 "$log_file" >&2
      GW_PID=""
      die "the gateway exited during start-up; see $log_file"
    fi
    if curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:$management_port/health/ready"; then
      ready=1
      break
    fi
    sleep 0.5
  done
  (( ready )) || die "the gateway was not ready within 60 s; see $log_file"
  log "gateway ready (pid $GW_PID)"
}

stop_gateway() {
  if [[ -n $GW_PID ]] && kill -0 "$GW_PID" 2>/dev/null; then
    log "stopping the gateway (pid $GW_PID)"
    kill -TERM "$GW_PID" 2>/dev/null || true
    for _ in $(seq 1 60); do
      kill -0 "$GW_PID" 2>/dev/null || break
      sleep 0.5
    done
    if kill -0 "$GW_PID" 2>/dev/null; then
      log "the gateway did not stop within 30 s; killing it"
      kill -KILL "$GW_PID" 2>/dev/null || true
    fi
    wait "$GW_PID" 2>/dev/null || true
  fi
  GW_PID=""
}
