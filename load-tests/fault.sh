#!/usr/bin/env bash
# Metergate fault script: streams meter events from several producers, restarts PostgreSQL twice and
# SIGKILLs the gateway twice mid-run, resends unacknowledged batches as a real client would, then compares
# the identifiers the gateway acknowledged with the rows in PostgreSQL.
#
#   load-tests/fault.sh [--duration 90] [--rate 5000] [--producers 8] ... (see --help)
#
# Loopback only. Uses a dedicated PostgreSQL cluster (default 15/fault on port 5433), never the main one.
# Bounded in time. Exit codes: 0 pass; 1 lost or duplicated events; 2 setup or environment error;
# 3 no loss, but events were left unacknowledged, a fault did not recover or the load generator failed;
# 4 overall time limit reached.
set -uo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$SCRIPT_DIR/.." && pwd)

DURATION=90
RATE=5000
PRODUCERS=8
BATCH=100
DRAIN=60
REQUEST_TIMEOUT=10
HTTP_PORT=48080
MGMT_PORT=49090
PG_VERSION=15
PG_CLUSTER=fault
PG_PORT=5433
DB_NAME=metergate_fault
PG_DOWN=4
GW_DOWN=2
READY_TIMEOUT=60
FAULTS=""
BUILD=0
KEEP_RUNNING=0
WORK=""
JAVA_OPTS_GATEWAY="-Xmx512m"
JAVA_OPTS_LOAD="-Xmx512m"

usage() {
  cat <<EOF
usage: load-tests/fault.sh [options]
  --duration S         seconds of load (default $DURATION)
  --rate R             events/s, open loop (default $RATE)
  --producers N        batches in flight at most (default $PRODUCERS)
  --batch N            events per batch (default $BATCH)
  --drain S            seconds to keep resending unacknowledged batches after the load (default $DRAIN)
  --faults "LIST"      fault schedule, seconds after the load started; default (for --duration 90):
                       "pg@13 gw@29 pg!@46 gw@63" (15%, 33%, 52%, 70% of --duration)
                         pg@T   restart PostgreSQL at T (fast shutdown, down --pg-down s, start)
                         pg!@T  crash PostgreSQL at T (immediate shutdown: crash recovery on start)
                         gw@T   SIGKILL the gateway at T, restart it after --gw-down s on the same ports
  --pg-down S          seconds PostgreSQL stays down (default $PG_DOWN)
  --gw-down S          seconds the gateway stays down (default $GW_DOWN)
  --http-port P        gateway API port (default $HTTP_PORT)
  --mgmt-port P        gateway management port (default $MGMT_PORT)
  --pg-version V       PostgreSQL major version of the fault cluster (default $PG_VERSION)
  --cluster NAME       fault cluster name (default $PG_CLUSTER; never "main")
  --pg-port P          fault cluster port (default $PG_PORT; never 5432)
  --database NAME      database, dropped and recreated each run (default $DB_NAME)
  --work-dir DIR       logs and copies of the jars (default: a new /tmp/mg-fault.XXXXXX)
  --build              build both jars first (mvn package in the repository), even if they exist
  --keep-running       leave the fault cluster running at the end (default: stop it)
  --help
EOF
}

die_usage() { echo "fault.sh: $*" >&2; usage >&2; exit 2; }
need_int() { [[ "$2" =~ ^[0-9]+$ ]] || die_usage "$1 needs a non-negative integer, got '$2'"; }

while [[ $# -gt 0 ]]; do
  opt=$1
  case "$opt" in
    --help|-h) usage; exit 0 ;;
    --build) BUILD=1; shift; continue ;;
    --keep-running) KEEP_RUNNING=1; shift; continue ;;
  esac
  [[ $# -ge 2 ]] || die_usage "$opt needs a value"
  val=$2
  shift 2
  case "$opt" in
    --duration) need_int "$opt" "$val"; DURATION=$val ;;
    --rate) [[ "$val" =~ ^[0-9]+(\.[0-9]+)?$ ]] || die_usage "--rate needs a number"; RATE=$val ;;
    --producers) need_int "$opt" "$val"; PRODUCERS=$val ;;
    --batch) need_int "$opt" "$val"; BATCH=$val ;;
    --drain) need_int "$opt" "$val"; DRAIN=$val ;;
    --faults) FAULTS=$val ;;
    --pg-down) need_int "$opt" "$val"; PG_DOWN=$val ;;
    --gw-down) need_int "$opt" "$val"; GW_DOWN=$val ;;
    --http-port) need_int "$opt" "$val"; HTTP_PORT=$val ;;
    --mgmt-port) need_int "$opt" "$val"; MGMT_PORT=$val ;;
    --pg-version) need_int "$opt" "$val"; PG_VERSION=$val ;;
    --cluster) PG_CLUSTER=$val ;;
    --pg-port) need_int "$opt" "$val"; PG_PORT=$val ;;
    --database) DB_NAME=$val ;;
    --work-dir) WORK=$val ;;
    *) die_usage "unknown option $opt" ;;
  esac
done

[[ "$PG_CLUSTER" =~ ^[A-Za-z0-9_-]+$ && "$PG_CLUSTER" != main ]] || die_usage "refusing cluster name '$PG_CLUSTER'"
[[ "$PG_PORT" != 5432 ]] || die_usage "refusing port 5432: that is the machine's main PostgreSQL"
[[ "$DB_NAME" =~ ^[a-z_][a-z0-9_]*$ ]] || die_usage "--database must be a simple lower-case name"
[[ "$DURATION" -ge 10 ]] || die_usage "--duration must be at least 10"

if [[ -z "$FAULTS" ]]; then
  FAULTS="pg@$((DURATION * 15 / 100)) gw@$((DURATION * 33 / 100)) pg!@$((DURATION * 52 / 100)) gw@$((DURATION * 70 / 100))"
fi
declare -a FAULT_KIND=() FAULT_AT=()
for f in $FAULTS; do
  [[ "$f" =~ ^(pg|pg!|gw)@([0-9]+)$ ]] || die_usage "bad fault '$f' (pg@T, pg!@T or gw@T)"
  FAULT_KIND+=("${BASH_REMATCH[1]}")
  FAULT_AT+=("${BASH_REMATCH[2]}")
done
for ((i = 1; i < ${#FAULT_AT[@]}; i++)); do
  [[ ${FAULT_AT[i]} -ge ${FAULT_AT[i - 1]} ]] || die_usage "--faults must be in time order"
done

T0=$EPOCHREALTIME
elapsed() { awk -v a="$T0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }
log() { printf '[fault %6ss] %s\n' "$(elapsed)" "$*"; }
warn() { printf '[fault %6ss] WARNING: %s\n' "$(elapsed)" "$*"; }

# Overall bound: setup, load, drain, verification, plus slack for the restarts.
MAX_SECONDS=$((DURATION + DRAIN + 180))
DEADLINE=$((SECONDS + MAX_SECONDS))

PSQL=(psql -X -q -w -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1)
DB_URL="postgresql://postgres@127.0.0.1:$PG_PORT/$DB_NAME"
READY_URL="http://127.0.0.1:$MGMT_PORT/health/ready"

GW_PID=""
GW_N=0
LOAD_PID=""
TAIL_PID=""
WATCH_PID=""
PROBLEMS=()

cluster_running() { pg_lsclusters -h "$PG_VERSION" "$PG_CLUSTER" 2>/dev/null | awk '{ print $4 }' | grep -q '^online'; }
port_in_use() { ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }
check_deadline() {
  if [[ $SECONDS -ge $DEADLINE ]]; then
    warn "overall time limit of ${MAX_SECONDS}s reached; stopping"
    exit 4
  fi
}

# ---------------------------------------------------------------- gateway

start_gateway() {
  GW_N=$((GW_N + 1))
  METERGATE_HOST=127.0.0.1 \
  METERGATE_HTTP_PORT="$HTTP_PORT" \
  METERGATE_MANAGEMENT_PORT="$MGMT_PORT" \
  METERGATE_DATABASE_URL="$DB_URL" \
    java $JAVA_OPTS_GATEWAY -jar "$WORK/metergate.jar" >"$WORK/gateway-$GW_N.log" 2>&1 &
  GW_PID=$!
  GW_STARTED=$EPOCHREALTIME
}

# Waits until /health/ready answers 200; prints the seconds it took since $1 (an $EPOCHREALTIME).
wait_ready() {
  local since=$1 limit=$((SECONDS + READY_TIMEOUT))
  while [[ $SECONDS -lt $limit ]]; do
    if [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$READY_URL") == 200 ]]; then
      awk -v a="$since" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'
      return 0
    fi
    if [[ -n "$GW_PID" ]] && ! kill -0 "$GW_PID" 2>/dev/null; then
      return 2
    fi
    sleep 0.1
  done
  return 1
}

stop_gateway() {
  [[ -n "$GW_PID" ]] || return 0
  if kill -0 "$GW_PID" 2>/dev/null; then
    kill -TERM "$GW_PID" 2>/dev/null
    local limit=$((SECONDS + 30))
    while kill -0 "$GW_PID" 2>/dev/null && [[ $SECONDS -lt $limit ]]; do sleep 0.2; done
    if kill -0 "$GW_PID" 2>/dev/null; then
      [[ "${1:-}" == quiet ]] || warn "gateway did not stop within 30 s of SIGTERM; killing it"
      kill -KILL "$GW_PID" 2>/dev/null
    fi
  fi
  wait "$GW_PID" 2>/dev/null
  GW_PID=""
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  for pid in "$LOAD_PID" "$WATCH_PID"; do
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null
      wait "$pid" 2>/dev/null
    fi
  done
  stop_gateway quiet
  if [[ -n "$TAIL_PID" ]] && kill -0 "$TAIL_PID" 2>/dev/null; then
    kill "$TAIL_PID" 2>/dev/null
  fi
  if [[ -n "${CLUSTER_READY:-}" ]]; then
    if [[ $KEEP_RUNNING == 1 ]]; then
      cluster_running || pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" "$PG_CLUSTER" start >/dev/null 2>&1
      echo "fault cluster $PG_VERSION/$PG_CLUSTER left running: psql -h 127.0.0.1 -p $PG_PORT -U postgres $DB_NAME"
    else
      cluster_running && pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" "$PG_CLUSTER" stop >/dev/null 2>&1
      echo "fault cluster $PG_VERSION/$PG_CLUSTER stopped (inspect: pg_ctlcluster --skip-systemctl-redirect $PG_VERSION $PG_CLUSTER start;" \
        "psql -h 127.0.0.1 -p $PG_PORT -U postgres $DB_NAME)"
    fi
    echo "remove it with: pg_dropcluster $PG_VERSION $PG_CLUSTER --stop"
  fi
  [[ -n "$WORK" ]] && echo "logs: $WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'echo; log "interrupted"; exit 130' INT TERM


# ---------------------------------------------------------------- preparation

for tool in java psql pg_lsclusters pg_createcluster pg_ctlcluster curl awk ss python3; do
  command -v "$tool" >/dev/null || { echo "fault.sh: $tool not found" >&2; exit 2; }
done
for p in "$HTTP_PORT" "$MGMT_PORT"; do
  if port_in_use "$p"; then
    echo "fault.sh: port $p is already in use; pick others with --http-port/--mgmt-port" >&2
    exit 2
  fi
done

GATEWAY_JAR="$ROOT/target/metergate.jar"
LOAD_JAR="$ROOT/load-tests/target/metergate-load.jar"
if [[ $BUILD == 1 || ! -f "$GATEWAY_JAR" ]]; then
  log "building the gateway (mvn -B -q package -DskipTests)"
  (cd "$ROOT" && mvn -B -q package -DskipTests) || { echo "fault.sh: gateway build failed" >&2; exit 2; }
fi
if [[ $BUILD == 1 || ! -f "$LOAD_JAR" ]]; then
  log "building the load generator (mvn -B -q package in load-tests)"
  (cd "$ROOT/load-tests" && mvn -B -q package) || { echo "fault.sh: load generator build failed" >&2; exit 2; }
fi

if [[ -z "$WORK" ]]; then
  WORK=$(mktemp -d /tmp/mg-fault.XXXXXX)
else
  mkdir -p "$WORK" && rm -f "$WORK"/gateway-*.log "$WORK"/load.* "$WORK"/acked.tsv "$WORK"/ready.log "$WORK"/verify.out
fi
# Private copies, so a rebuild by someone else during the run cannot change what is running.
cp "$GATEWAY_JAR" "$WORK/metergate.jar" && cp "$LOAD_JAR" "$WORK/metergate-load.jar" || exit 2
log "work dir $WORK; gateway 127.0.0.1:$HTTP_PORT (management $MGMT_PORT); PostgreSQL $PG_VERSION/$PG_CLUSTER on 127.0.0.1:$PG_PORT"

# The dedicated cluster: created once (trust auth, manual start), started, database recreated per run.
if ! pg_lsclusters -h "$PG_VERSION" "$PG_CLUSTER" 2>/dev/null | grep -q .; then
  if port_in_use "$PG_PORT"; then
    echo "fault.sh: port $PG_PORT is in use by something else; pick another with --pg-port" >&2
    exit 2
  fi
  log "creating PostgreSQL cluster $PG_VERSION/$PG_CLUSTER on port $PG_PORT"
  pg_createcluster "$PG_VERSION" "$PG_CLUSTER" --port "$PG_PORT" --start-conf manual -- --auth=trust \
    >"$WORK/createcluster.log" 2>&1 || { cat "$WORK/createcluster.log" >&2; exit 2; }
fi
existing_port=$(pg_lsclusters -h "$PG_VERSION" "$PG_CLUSTER" | awk '{ print $3 }')
if [[ "$existing_port" != "$PG_PORT" ]]; then
  echo "fault.sh: cluster $PG_VERSION/$PG_CLUSTER exists on port $existing_port, not $PG_PORT" >&2
  exit 2
fi
CLUSTER_READY=1
if ! cluster_running; then
  pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" "$PG_CLUSTER" start || exit 2
fi
if ! "${PSQL[@]}" -d postgres -Atc 'select 1' >/dev/null 2>"$WORK/psql-check.err"; then
  HBA="/etc/postgresql/$PG_VERSION/$PG_CLUSTER/pg_hba.conf"
  log "no trust login for postgres on 127.0.0.1:$PG_PORT ($(head -1 "$WORK/psql-check.err")); adding it to $HBA"
  sed -i "1i host all postgres 127.0.0.1/32 trust" "$HBA" || exit 2
  pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" "$PG_CLUSTER" reload || exit 2
  "${PSQL[@]}" -d postgres -Atc 'select 1' >/dev/null || exit 2
fi
"${PSQL[@]}" -d postgres -c "drop database if exists $DB_NAME with (force)" -c "create database $DB_NAME" || exit 2
log "database $DB_NAME recreated"

start_gateway
if t=$(wait_ready "$GW_STARTED"); then
  log "gateway #$GW_N (pid $GW_PID) ready in ${t}s"
else
  echo "fault.sh: the gateway did not become ready; its log:" >&2
  tail -n 30 "$WORK/gateway-$GW_N.log" >&2
  exit 2
fi

# Readiness watcher: logs every change of /health/ready. The gateway's own database probe times out after
# 2 s (then it answers 503), so 000 (no answer within 3 s) means the gateway is down or not answering.
(
  last=""
  while :; do
    : >"$WORK/ready.body"
    code=$(curl -s -o "$WORK/ready.body" -w '%{http_code}' --max-time 3 "$READY_URL")
    if [[ "$code" != "$last" ]]; then
      body=$(tr -d '\n' <"$WORK/ready.body" 2>/dev/null | cut -c1-200)
      [[ "$code" == 000 ]] && body="(no answer)"
      printf '[fault %6ss] readiness %s %s\n' "$(elapsed)" "$code" "$body" \
        | tee -a "$WORK/ready.log"
      last=$code
    fi
    sleep 0.2
  done
) &
WATCH_PID=$!

# ---------------------------------------------------------------- load

log "starting the load: $RATE events/s, $PRODUCERS producers, batch $BATCH, ${DURATION}s, drain up to ${DRAIN}s"
java $JAVA_OPTS_LOAD -jar "$WORK/metergate-load.jar" \
  --base-url "http://127.0.0.1:$HTTP_PORT" \
  --rate "$RATE" --producers "$PRODUCERS" --batch "$BATCH" \
  --warmup 0 --duration "$DURATION" --drain-timeout "$DRAIN" --request-timeout "$REQUEST_TIMEOUT" \
  --max-errors 1000000 --retry-forever \
  --acked-out "$WORK/acked.tsv" --json-out "$WORK/load.json" \
  >"$WORK/load.out" 2>"$WORK/load.log" &
LOAD_PID=$!
tail --pid="$LOAD_PID" -n +1 -F "$WORK/load.log" 2>/dev/null | sed -u 's/^/    /' &
TAIL_PID=$!

# The fault clock starts when the load generator has its session and starts sending.
until grep -q 'session open' "$WORK/load.log" 2>/dev/null; do
  if ! kill -0 "$LOAD_PID" 2>/dev/null; then
    echo "fault.sh: the load generator stopped during setup" >&2
    exit 2
  fi
  check_deadline
  sleep 0.1
done
LOAD_T0=$EPOCHREALTIME
since_load() { awk -v a="$LOAD_T0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }
log "load started; faults at (s after load start): $FAULTS"

# ---------------------------------------------------------------- faults

declare -a FAULT_SUMMARY=()
pg_count=0
gw_count=0

fault_pg() {
  local mode=$1 stopping stopped started t rc at
  pg_count=$((pg_count + 1))
  at=$(since_load)
  stopping=$EPOCHREALTIME
  log "FAULT pg #$pg_count: stopping PostgreSQL ($mode shutdown) at load t=${at}s"
  pg_ctlcluster --skip-systemctl-redirect -m "$mode" "$PG_VERSION" "$PG_CLUSTER" stop 2>&1 | sed 's/^/    pg: /'
  stopped=$EPOCHREALTIME
  log "PostgreSQL down; starting it again in ${PG_DOWN}s"
  sleep "$PG_DOWN"
  if ! pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" "$PG_CLUSTER" start 2>&1 | sed 's/^/    pg: /'; then
    warn "PostgreSQL did not start"
  fi
  started=$EPOCHREALTIME
  log "PostgreSQL started ($(awk -v a="$stopping" -v b="$stopped" 'BEGIN { printf "%.1f", b - a }')s to stop," \
    "$(awk -v a="$stopped" -v b="$started" 'BEGIN { printf "%.1f", b - a }')s from stopped to started)"
  t=$(wait_ready "$started"); rc=$?
  if [[ $rc == 0 ]]; then
    log "gateway ready again ${t}s after PostgreSQL started"
    FAULT_SUMMARY+=("pg #$pg_count ($mode stop) at t=${at}s: down $(awk -v a="$stopping" -v b="$started" 'BEGIN { printf "%.1f", b - a }')s (stop issued to start done), gateway ready ${t}s later")
  else
    warn "gateway not ready within ${READY_TIMEOUT}s after PostgreSQL started (rc $rc)"
    PROBLEMS+=("gateway not ready within ${READY_TIMEOUT}s after PostgreSQL restart #$pg_count")
    FAULT_SUMMARY+=("pg #$pg_count ($mode stop) at t=${at}s: gateway NOT ready within ${READY_TIMEOUT}s")
  fi
}

fault_gw() {
  local t rc killed at
  gw_count=$((gw_count + 1))
  at=$(since_load)
  log "FAULT gw #$gw_count: SIGKILL gateway #$GW_N (pid $GW_PID) at load t=${at}s"
  kill -KILL "$GW_PID" 2>/dev/null
  wait "$GW_PID" 2>/dev/null
  killed=$EPOCHREALTIME
  sleep "$GW_DOWN"
  start_gateway
  t=$(wait_ready "$GW_STARTED"); rc=$?
  if [[ $rc == 0 ]]; then
    log "gateway #$GW_N (pid $GW_PID) ready ${t}s after start ($(awk -v a="$killed" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')s after the kill)"
    FAULT_SUMMARY+=("gw #$gw_count (SIGKILL) at t=${at}s: restarted after ${GW_DOWN}s, ready ${t}s after start")
  else
    warn "restarted gateway not ready within ${READY_TIMEOUT}s (rc $rc); log tail:"
    tail -n 20 "$WORK/gateway-$GW_N.log" | sed 's/^/    gw: /'
    PROBLEMS+=("gateway restart #$gw_count did not become ready")
    FAULT_SUMMARY+=("gw #$gw_count (SIGKILL) at t=${at}s: restarted gateway NOT ready")
    if ! kill -0 "$GW_PID" 2>/dev/null; then
      log "starting the gateway once more"
      start_gateway
      t=$(wait_ready "$GW_STARTED") && log "gateway #$GW_N ready in ${t}s"
    fi
  fi
}

for ((i = 0; i < ${#FAULT_AT[@]}; i++)); do
  at=${FAULT_AT[i]}
  while awk -v t="$(since_load)" -v at="$at" 'BEGIN { exit !(t < at) }'; do
    kill -0 "$LOAD_PID" 2>/dev/null || break
    check_deadline
    sleep 0.1
  done
  if ! kill -0 "$LOAD_PID" 2>/dev/null; then
    warn "the load generator ended before fault ${FAULT_KIND[i]}@$at; skipping the remaining faults"
    PROBLEMS+=("load generator ended before all faults ran")
    break
  fi
  late=$(awk -v t="$(since_load)" -v at="$at" 'BEGIN { if (t - at >= 1) printf "%.1f", t - at }')
  [[ -z "$late" ]] || log "fault ${FAULT_KIND[i]}@$at runs ${late}s late (the previous one took longer)"
  case "${FAULT_KIND[i]}" in
    pg) fault_pg fast ;;
    pg!) fault_pg immediate ;;
    gw) fault_gw ;;
  esac
done

log "all faults done; waiting for the load generator (it resends until every batch is acknowledged or the drain ends)"
while kill -0 "$LOAD_PID" 2>/dev/null; do
  check_deadline
  sleep 0.2
done
wait "$LOAD_PID"
LOAD_RC=$?
LOAD_PID=""
sleep 0.3 # let the tail print the last lines
log "load generator exited with $LOAD_RC"
[[ $LOAD_RC == 0 ]] || PROBLEMS+=("load generator exit code $LOAD_RC")

kill "$WATCH_PID" 2>/dev/null
wait "$WATCH_PID" 2>/dev/null
WATCH_PID=""

# A graceful stop finishes any flush still in progress, so the row count below is final.
log "stopping the gateway (SIGTERM) before counting"
stop_gateway

echo
cat "$WORK/load.out"
echo

if [[ ! -s "$WORK/load.json" ]]; then
  echo "fault.sh: no load report ($WORK/load.json); cannot verify" >&2
  exit 2
fi
json_get() { # a top-level or nested number/string from load.json, e.g. json_get total events_acked
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
for k in sys.argv[2:]: d=d[k]
print(json.dumps(d) if isinstance(d, (dict, list)) else d)' "$WORK/load.json" "$@"
}
PREFIX=$(json_get identifier_prefix)
RUN_ID=$(json_get run_id)
GENERATED=$(json_get total events_generated)
REPORTED_ACKED=$(json_get total events_acked)
UNCONFIRMED=$(( $(json_get errors abandoned_events) + $(json_get errors in_flight_at_exit_events) ))
DROPPED=$(json_get errors dropped_events)

# ---------------------------------------------------------------- verification

cat >"$WORK/verify.sql" <<'SQL'
create temp table acked_batches (run_id text, first_seq bigint, events int);
\copy acked_batches from pstdin
create temp table acked_ids as
  select distinct b.run_id || '-' || s as identifier
  from acked_batches b, generate_series(b.first_seq, b.first_seq + b.events - 1) s;
create unique index on acked_ids (identifier);
create temp table stored as
  select identifier, count(*) as copies from meter_events where starts_with(identifier, :'prefix') group by identifier;
create unique index on stored (identifier);
select
  (select count(*) from acked_ids) as acknowledged,
  (select coalesce(sum(events), 0) from acked_batches) as acked_lines_events,
  (select count(*) from acked_batches where run_id <> :'run_id') as foreign_lines,
  (select coalesce(sum(copies), 0) from stored) as stored_rows,
  (select count(*) from stored) as stored_ids,
  (select count(*) from acked_ids a where not exists (select 1 from stored s where s.identifier = a.identifier)) as lost,
  (select count(*) from stored where copies > 1) as duplicated,
  (select coalesce(sum(copies - 1), 0) from stored where copies > 1) as extra_rows,
  (select count(*) from stored s where not exists (select 1 from acked_ids a where a.identifier = s.identifier))
    as unacked_stored;
select 'lost ' || identifier from acked_ids a where not exists (select 1 from stored s where s.identifier = a.identifier)
  order by identifier limit 5;
select 'duplicated ' || identifier || ' x' || copies from stored where copies > 1 order by identifier limit 5;
SQL
[[ -f "$WORK/acked.tsv" ]] || : >"$WORK/acked.tsv"
if ! "${PSQL[@]}" -d "$DB_NAME" -At -F ' ' -v prefix="$PREFIX" -v run_id="$RUN_ID" \
    -f "$WORK/verify.sql" <"$WORK/acked.tsv" >"$WORK/verify.out" 2>&1; then
  echo "fault.sh: verification query failed:" >&2
  cat "$WORK/verify.out" >&2
  exit 2
fi
read -r ACKED ACKED_LINES FOREIGN STORED_ROWS STORED_IDS LOST DUPLICATED EXTRA_ROWS UNACKED_STORED < <(head -1 "$WORK/verify.out")
NEVER_ACKED=$((GENERATED - ACKED))

[[ "$ACKED" == "$REPORTED_ACKED" && "$ACKED_LINES" == "$ACKED" ]] \
  || PROBLEMS+=("acknowledged identifiers in the file ($ACKED, $ACKED_LINES by line) differ from the report ($REPORTED_ACKED)")
[[ "$FOREIGN" == 0 ]] || PROBLEMS+=("$FOREIGN acked lines with another run id")
[[ "$UNCONFIRMED" == 0 ]] || PROBLEMS+=("$UNCONFIRMED events still unacknowledged when the load generator gave up")
[[ "$DROPPED" == 0 ]] || PROBLEMS+=("$DROPPED events refused with a non-retryable 4xx")
gw_errors=$(cat "$WORK"/gateway-*.log | grep -c -E '^[0-9:.]+ (ERROR|WARN) ' || true)
http500=$(json_get errors by_status | python3 -c 'import json,sys; d=json.load(sys.stdin); print(sum(v for k, v in d.items() if k not in ("429", "503")))')

echo "== Metergate fault run: result =="
printf '%-28s %s\n' "run id" "$RUN_ID (identifiers $PREFIX<seq>)"
for s in "${FAULT_SUMMARY[@]}"; do printf '%-28s %s\n' "fault" "$s"; done
printf '%-28s %s\n' "generated" "$GENERATED identifiers"
printf '%-28s %s\n' "acknowledged" "$ACKED (HTTP 200)"
printf '%-28s %s\n' "stored" "$STORED_ROWS rows in meter_events for this run ($STORED_IDS distinct identifiers)"
printf '%-28s %s\n' "lost" "$LOST (acknowledged, not stored; must be 0)"
printf '%-28s %s\n' "duplicated" "$DUPLICATED identifiers stored more than once, $EXTRA_ROWS extra rows (must be 0)"
printf '%-28s %s\n' "unacknowledged but stored" "$UNACKED_STORED (fine: committed, the answer was lost)"
printf '%-28s %s\n' "never acknowledged" "$NEVER_ACKED ($UNCONFIRMED unconfirmed at the end, $DROPPED dropped on 4xx)"
printf '%-28s %s\n' "other error answers" "$http500 (by status: $(json_get errors by_status))"
printf '%-28s %s\n' "gateway WARN/ERROR lines" "$gw_errors (in $WORK/gateway-*.log)"
if [[ $LOST != 0 || $DUPLICATED != 0 ]]; then
  tail -n +2 "$WORK/verify.out" | sed 's/^/  /'
fi
if [[ $gw_errors != 0 ]]; then
  # The same message with different numbers counts once: e.g. "A flush of N events failed ... Connection refused".
  grep -h -E '^[0-9:.]+ (ERROR|WARN) ' "$WORK"/gateway-*.log \
    | sed -E 's/^[0-9:.]+ ([A-Z]+) +\[[^]]*\] /\1 /; s/[0-9]+/N/g' | cut -c1-170 | sort | uniq -c | sort -rn | head -8 \
    | sed 's/^/    /'
fi
for p in "${PROBLEMS[@]}"; do printf '%-28s %s\n' "problem" "$p"; done

if [[ $LOST != 0 || $DUPLICATED != 0 ]]; then
  echo "RESULT: FAIL (lost $LOST, duplicated $DUPLICATED)"
  exit 1
elif [[ ${#PROBLEMS[@]} -gt 0 ]]; then
  echo "RESULT: no loss or duplicates, but see the problems above"
  exit 3
fi
echo "RESULT: PASS (lost 0, duplicated 0)"
exit 0
