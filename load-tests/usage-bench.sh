#!/usr/bin/env bash
# Metergate usage benchmark: one bounded run on one machine, loopback only. Answers, with numbers:
#
#   1. the writer ceiling: PostgreSQL with our schema and insert statement, no HTTP (bench-writer, in a
#      database of its own);
#   2. load: USAGE_BENCH_EVENTS events (default 10M) for one customer through the v2 stream, spread over
#      the past 30 days; ingest events/s, ack latency, how long the usage folder takes to catch up,
#      table rows and sizes;
#   3. the 30-day daily (and ungrouped) event summary for that customer, p50..max at a fixed rate:
#      with no other ingest, under full ingest (StreamLoad closed loop, 32 producers, other meter and
#      customers) and under USAGE_BENCH_OPEN_PERCENT% of that rate (StreamLoad open loop); every answer
#      must total events x value (two summaries run first, before ANALYZE: the cost of no statistics);
#   4. alert probes under full ingest: delay from the crossing event's 200 to the signed webhook
#      (or, on a gateway without webhooks, to the event in GET /v1/events or the events table);
#   5. checks: stored events and their sum for the customer, aggregates = raw, summary totals, one
#      triggered event per probe, background events acknowledged = stored.
# Writes a Markdown report to load-tests/results/usage-bench-<UTC stamp>.md (logs and JSON in a temp dir).
#
# Usage: load-tests/usage-bench.sh [--build]      (--build: rebuild both jars even if present)
#
# Settings (environment; the defaults take about 15 minutes on a 2-core machine, see load-tests/README.md):
#   USAGE_BENCH_EVENTS=10000000       events loaded for the big customer
#   USAGE_BENCH_VALUE=1               payload value of each of them
#   USAGE_BENCH_CUSTOMER=cus_big
#   USAGE_BENCH_LOAD_PRODUCERS=32     stream requests in flight while loading
#   USAGE_BENCH_SUMMARY_RATE=20       summary requests/s (open loop)
#   USAGE_BENCH_SUMMARY_SECONDS=60    measured seconds per variant and condition
#   USAGE_BENCH_SUMMARY_WARMUP=5      unmeasured seconds before each
#   USAGE_BENCH_SUMMARY_VARIANTS=day,none   value_grouping_window=day, and no grouping
#   USAGE_BENCH_PROBES=30             alert probes, one per USAGE_BENCH_PROBE_INTERVAL_MS (1000)
#   USAGE_BENCH_PROBE_TIMEOUT=30      seconds before a probe counts as missed
#   USAGE_BENCH_BG_PRODUCERS=32       background StreamLoad producers for "full ingest"
#   USAGE_BENCH_BG_WARMUP=10          seconds of background ingest before measuring
#   USAGE_BENCH_OPEN_PERCENT=50       moderate ingest: percent of the full-ingest rate measured in this run
#   USAGE_BENCH_OPEN_PRODUCERS=128    producer limit for the open-loop background
#   USAGE_BENCH_WRITER_SECONDS=20  USAGE_BENCH_WRITER_WARMUP=5   writer ceiling
#   USAGE_BENCH_SUMMARY_P99_MS=50  USAGE_BENCH_ALERT_P99_MS=2000  the targets the claims name
#   USAGE_BENCH_HTTP_PORT=8080  USAGE_BENCH_MANAGEMENT_PORT=9090
#   USAGE_BENCH_PG_HOST=127.0.0.1  USAGE_BENCH_PG_PORT=5432  USAGE_BENCH_PG_USER=postgres   (PGPASSWORD if needed)
#   USAGE_BENCH_DB=metergate_usage_bench   dropped and recreated, and <db>_writer; must contain "bench"
#   USAGE_BENCH_RESULTS_DIR=load-tests/results
#   USAGE_BENCH_JAVA_OPTS=            JVM options for the gateway and bench-writer
#   USAGE_BENCH_NOTE=                 free text for the report (e.g. "quiet machine")
# Smoke run (about 2.5 minutes): USAGE_BENCH_EVENTS=200000 USAGE_BENCH_SUMMARY_SECONDS=8 USAGE_BENCH_SUMMARY_WARMUP=2
#   USAGE_BENCH_BG_WARMUP=3 USAGE_BENCH_PROBES=8 USAGE_BENCH_WRITER_SECONDS=5 USAGE_BENCH_WRITER_WARMUP=2
set -Eeuo pipefail

SELF=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")
ROOT=$(cd "$(dirname "$SELF")/.." && pwd)
cd "$ROOT"

BUILD=0
for arg in "$@"; do
  case "$arg" in
    --build) BUILD=1 ;;
    -h|--help) sed -n '2,45p' "$SELF" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "usage-bench: unknown argument '$arg' (see --help)" >&2; exit 64 ;;
  esac
done

EVENTS=${USAGE_BENCH_EVENTS:-10000000}
VALUE=${USAGE_BENCH_VALUE:-1}
CUSTOMER=${USAGE_BENCH_CUSTOMER:-cus_big}
LOAD_PRODUCERS=${USAGE_BENCH_LOAD_PRODUCERS:-32}
SUMMARY_RATE=${USAGE_BENCH_SUMMARY_RATE:-20}
SUMMARY_SECONDS=${USAGE_BENCH_SUMMARY_SECONDS:-60}
SUMMARY_WARMUP=${USAGE_BENCH_SUMMARY_WARMUP:-5}
SUMMARY_VARIANTS=${USAGE_BENCH_SUMMARY_VARIANTS:-day,none}
PROBES=${USAGE_BENCH_PROBES:-30}
PROBE_INTERVAL_MS=${USAGE_BENCH_PROBE_INTERVAL_MS:-1000}
PROBE_TIMEOUT=${USAGE_BENCH_PROBE_TIMEOUT:-30}
BG_PRODUCERS=${USAGE_BENCH_BG_PRODUCERS:-32}
BG_WARMUP=${USAGE_BENCH_BG_WARMUP:-10}
OPEN_PERCENT=${USAGE_BENCH_OPEN_PERCENT:-50}
OPEN_PRODUCERS=${USAGE_BENCH_OPEN_PRODUCERS:-128}
WRITER_SECONDS=${USAGE_BENCH_WRITER_SECONDS:-20}
WRITER_WARMUP=${USAGE_BENCH_WRITER_WARMUP:-5}
SUMMARY_P99_MS=${USAGE_BENCH_SUMMARY_P99_MS:-50}
ALERT_P99_MS=${USAGE_BENCH_ALERT_P99_MS:-2000}
HTTP_PORT=${USAGE_BENCH_HTTP_PORT:-8080}
MANAGEMENT_PORT=${USAGE_BENCH_MANAGEMENT_PORT:-9090}
PG_HOST=${USAGE_BENCH_PG_HOST:-127.0.0.1}
PG_PORT=${USAGE_BENCH_PG_PORT:-5432}
PG_USER=${USAGE_BENCH_PG_USER:-postgres}
DB=${USAGE_BENCH_DB:-metergate_usage_bench}
RESULTS_DIR=${USAGE_BENCH_RESULTS_DIR:-load-tests/results}
JAVA_OPTS=${USAGE_BENCH_JAVA_OPTS:-}
NOTE=${USAGE_BENCH_NOTE:-}

SERVICE_JAR=target/metergate.jar
LOAD_JAR=load-tests/target/metergate-load.jar
CLAIM_EVENTS=10000000

# shellcheck source=load-tests/lib.sh
. "$ROOT/load-tests/lib.sh"
LOG_NAME=usage-bench
SETTINGS_PREFIX=USAGE_BENCH_

# ------------------------------------------------------------------ checks

check_whole_numbers EVENTS SUMMARY_SECONDS SUMMARY_WARMUP PROBES PROBE_INTERVAL_MS PROBE_TIMEOUT BG_PRODUCERS BG_WARMUP \
  OPEN_PERCENT OPEN_PRODUCERS WRITER_SECONDS WRITER_WARMUP LOAD_PRODUCERS SUMMARY_P99_MS ALERT_P99_MS \
  HTTP_PORT MANAGEMENT_PORT PG_PORT
[[ $SUMMARY_RATE =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "USAGE_BENCH_SUMMARY_RATE must be a number (got '$SUMMARY_RATE')"
[[ $VALUE =~ ^[0-9]{1,20}(\.[0-9]{1,12})?$ ]] || die "USAGE_BENCH_VALUE must be a decimal like 1 or 2.5 (got '$VALUE')"
[[ $CUSTOMER =~ ^[A-Za-z0-9_]{1,60}$ ]] || die "USAGE_BENCH_CUSTOMER must be 1-60 of [A-Za-z0-9_] (got '$CUSTOMER')"
[[ $SUMMARY_VARIANTS =~ ^(day|none)(,(day|none))?$ ]] || die "USAGE_BENCH_SUMMARY_VARIANTS: day, none or day,none"
(( EVENTS >= 1 && SUMMARY_SECONDS >= 1 && PROBES >= 1 && WRITER_SECONDS >= 1 )) \
  || die "USAGE_BENCH_EVENTS, _SUMMARY_SECONDS, _PROBES and _WRITER_SECONDS must be >= 1"
(( OPEN_PERCENT >= 1 && OPEN_PERCENT <= 100 )) || die "USAGE_BENCH_OPEN_PERCENT must be 1..100"
check_target "$HTTP_PORT" "$MANAGEMENT_PORT" "$PG_HOST" "$DB"
require_tools java psql curl python3

# jcalc FILE EXPR -> a Python expression over the report d
jcalc() {
  python3 - "$1" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print(eval(sys.argv[2]))
PY
}

# lat FILE PATH -> "p50 / p90 / p99 / p99.9 / max" in ms
lat() {
  local f=$1 p=$2
  printf '%s / %s / %s / %s / %s' "$(fmt_ms "$(jget "$f" "$p.p50")")" "$(fmt_ms "$(jget "$f" "$p.p90")")" \
    "$(fmt_ms "$(jget "$f" "$p.p99")")" "$(fmt_ms "$(jget "$f" "$p.p99_9")")" "$(fmt_ms "$(jget "$f" "$p.max")")"
}

pg_target "$PG_HOST" "$PG_PORT" "$PG_USER"
pg_db() { pg -d "$DB" -At -F ' | ' -c "$1"; }

# ------------------------------------------------------------------ process lifecycle (by PID only)

BG_PID=""
stop_background() {
  if [[ -n $BG_PID ]] && kill -0 "$BG_PID" 2>/dev/null; then
    log "stopping the background load (pid $BG_PID)"
    kill -TERM "$BG_PID" 2>/dev/null || true
    wait "$BG_PID" 2>/dev/null || true
  fi
  BG_PID=""
}
cleanup() {
  stop_background
  stop_gateway
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

# ------------------------------------------------------------------ build

if (( BUILD )) || [[ ! -f $SERVICE_JAR ]]; then
  log "building the service jar"
  mvn -B -q package -DskipTests
fi
if (( BUILD )) || ! java -cp "$LOAD_JAR" io.metergate.load.UsageBench --help >/dev/null 2>&1; then
  log "building the load generator jar"
  mvn -B -q -f load-tests/pom.xml package -DskipTests
fi

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/metergate-usage-bench-$STAMP-XXXX")
mkdir -p "$RESULTS_DIR"
RESULT_FILE="$RESULTS_DIR/usage-bench-$STAMP.md"
N_VARIANTS=$(tr ',' '\n' <<<"$SUMMARY_VARIANTS" | wc -l)
SUMMARY_RUN_S=$(( N_VARIANTS * (SUMMARY_WARMUP + SUMMARY_SECONDS) ))
ALERT_RUN_S=$(( PROBES * PROBE_INTERVAL_MS / 1000 + 10 ))
EXPECTED_S=$(( WRITER_WARMUP + WRITER_SECONDS + 15 + EVENTS / 30000 + EVENTS / 150000 + 3 * SUMMARY_RUN_S
  + 2 * (BG_WARMUP + 8) + BG_WARMUP + ALERT_RUN_S + 60 + EVENTS / 1000000 * 3 ))
log "logs and JSON reports in $WORK; expected duration about $EXPECTED_S s"

# ------------------------------------------------------------------ database

# The writer ceiling gets a database of its own (dropped after it), so the gateway's starts empty: event ids
# from 1, nothing for the usage folder to skip, no truncation.
DB_URL="postgresql://$PG_USER@$PG_HOST:$PG_PORT/$DB"
WRITER_DB=${DB}_writer
for d in "$DB" "$WRITER_DB"; do
  recreate_db "$d"
done

# Every Java process of this script talks to the bench databases only.
java_uses_db "$DB_URL"

# ------------------------------------------------------------------ machine

machine_facts "$DB" synchronous_commit shared_buffers fsync max_wal_size checkpoint_timeout wal_compression work_mem \
  effective_cache_size autovacuum max_connections random_page_cost
AUTOVACUUM=$(pg_db "SHOW autovacuum")
FAILURES=()
COMMANDS=()
fail() { FAILURES+=("$*"); log "CHECK FAILED: $*"; }

# ------------------------------------------------------------------ 1. writer ceiling

CMD="METERGATE_DATABASE_URL=.../$WRITER_DB java -jar $SERVICE_JAR bench-writer --warmup $WRITER_WARMUP --seconds $WRITER_SECONDS --json-out writer.json"
COMMANDS+=("writer ceiling: \`$CMD\`")
log "1. writer ceiling: $CMD"
set +e
# shellcheck disable=SC2086
METERGATE_DATABASE_URL="postgresql://$PG_USER@$PG_HOST:$PG_PORT/$WRITER_DB" \
  timeout --foreground --kill-after=10 $(( WRITER_WARMUP + WRITER_SECONDS + 150 )) java $JAVA_OPTS -jar "$SERVICE_JAR" bench-writer --warmup "$WRITER_WARMUP" --seconds "$WRITER_SECONDS" \
  --json-out "$WORK/writer.json" 2>&1 | tee "$WORK/writer.log"
WRITER_RC=${PIPESTATUS[0]}
set -e
[[ -f $WORK/writer.json ]] || die "bench-writer wrote no report (exit $WRITER_RC); see $WORK/writer.log"
CEILING=$(jget "$WORK/writer.json" measured.events_per_s)
W_P50=$(jget "$WORK/writer.json" measured.commit_latency_ms.p50)
W_P99=$(jget "$WORK/writer.json" measured.commit_latency_ms.p99)
W_BATCH=$(jget "$WORK/writer.json" measured.batch_events.mean)
[[ $WRITER_RC -eq 0 && $(jget "$WORK/writer.json" status) == ok ]] \
  || fail "writer ceiling: exit $WRITER_RC, status $(jget "$WORK/writer.json" status)"
pg -d postgres -c "DROP DATABASE \"$WRITER_DB\" WITH (FORCE)" >/dev/null
pg_db "CHECKPOINT" >/dev/null 2>&1 || true

# ------------------------------------------------------------------ gateway

log "creating an API key"
API_KEY=$(java -jar "$SERVICE_JAR" keys create --new-account --mode test 2>>"$WORK/keys.log") \
  || die "could not create an API key; see $WORK/keys.log"

check_ports_free "$HTTP_PORT" "$MANAGEMENT_PORT"
log "starting the gateway on 127.0.0.1:$HTTP_PORT (management $MANAGEMENT_PORT), log $WORK/gateway.log"
start_gateway "$SERVICE_JAR" "$HTTP_PORT" "$MANAGEMENT_PORT" "$WORK/gateway.log" "$JAVA_OPTS"

BASE="--base-url http://127.0.0.1:$HTTP_PORT --management-url http://127.0.0.1:$MANAGEMENT_PORT"
SIZE="--customer $CUSTOMER --events $EVENTS --value $VALUE"

# usage NAME ARGS... -> $WORK/NAME.json (UsageBench); sets USAGE_RC
usage() {
  local name=$1
  shift
  set +e
  # shellcheck disable=SC2086
  java -cp "$LOAD_JAR" io.metergate.load.UsageBench $BASE --api-key "$API_KEY" $SIZE --label "$name" \
    --json-out "$WORK/$name.json" "$@" 2>&1 | tee "$WORK/$name.log"
  USAGE_RC=${PIPESTATUS[0]}
  set -e
  [[ -f $WORK/$name.json ]] || die "UsageBench wrote no report for $name (exit $USAGE_RC); see $WORK/$name.log"
  (( USAGE_RC == 0 || ${USAGE_NOFAIL:-0} )) || fail "$name: UsageBench exit $USAGE_RC (status $(jget "$WORK/$name.json" status))"
}

# Waits (up to 120 s) until no other session runs a query in the bench database: statements a timed-out
# client left behind would otherwise weigh on the next phase.
wait_db_idle() {
  local busy=0
  for _ in $(seq 1 240); do
    busy=$(pg_db "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
      AND state = 'active' AND backend_type = 'client backend'")
    (( busy == 0 )) && return 0
    sleep 0.5
  done
  log "still $busy queries running in $DB after 120 s; going on"
}

# background NAME DURATION ARGS... starts StreamLoad (its own bench_ meter, customers cus_0..cus_999) and
# returns once its warm-up is over; wait_background collects it.
background() {
  local name=$1 duration=$2
  shift 2
  log "background ingest $name: StreamLoad $* (warm-up $BG_WARMUP s, then $duration s)"
  java -jar "$LOAD_JAR" --base-url "http://127.0.0.1:$HTTP_PORT" --api-key "$API_KEY" --warmup "$BG_WARMUP" \
    --duration "$duration" --json-out "$WORK/$name.json" "$@" >"$WORK/$name.out" 2>"$WORK/$name.log" &
  BG_PID=$!
  for _ in $(seq 1 120); do
    grep -q 'session open' "$WORK/$name.log" 2>/dev/null && break
    kill -0 "$BG_PID" 2>/dev/null || die "StreamLoad $name exited during setup; see $WORK/$name.log"
    sleep 0.5
  done
  grep -q 'session open' "$WORK/$name.log" || die "StreamLoad $name did not start within 60 s; see $WORK/$name.log"
  sleep "$BG_WARMUP"
}
wait_background() {
  local name=$1 rc=0
  wait "$BG_PID" || rc=$?
  BG_PID=""
  [[ -f $WORK/$name.json ]] || die "StreamLoad wrote no report for $name (exit $rc); see $WORK/$name.log"
  (( rc == 0 )) || fail "$name: StreamLoad exit $rc"
  log "background ingest $name: $(fmt_int "$(jget "$WORK/$name.json" measured.events_per_s)") events/s measured"
}

# ------------------------------------------------------------------ 2. load

log "2. load: $EVENTS events for $CUSTOMER"
COMMANDS+=("load: \`UsageBench --phases load $SIZE --producers $LOAD_PRODUCERS\`")
usage load --phases load --producers "$LOAD_PRODUCERS"
METER=$(jget "$WORK/load.json" meter)
[[ $METER =~ ^mtr_[A-Za-z0-9]+$ ]] || die "unexpected meter id '$METER' in $WORK/load.json"
METER_DB_ID=$(pg_db "SELECT id FROM meters WHERE public_id = '$METER'")
# The summary range: the UTC days that hold the loaded events (a 30-day spread touches 31 of them).
FIRST_TS=$(jget "$WORK/load.json" load.first_timestamp)
LAST_TS=$(jget "$WORK/load.json" load.last_timestamp)
START_TIME=$(( $(date -u -d "$FIRST_TS" +%s) / 86400 * 86400 ))
END_TIME=$(( ($(date -u -d "$LAST_TS" +%s) / 86400 + 1) * 86400 ))
RANGE="--start-time $START_TIME --end-time $END_TIME"

log "table rows and sizes"
TABLES=""
for t in meter_events meter_event_identifiers usage_minutes usage_hours; do
  TABLES+="| $t | $(fmt_int "$(pg_db "SELECT count(*) FROM $t")") | $(pg_db "SELECT pg_size_pretty(pg_relation_size('$t'))
    || ' | ' || pg_size_pretty(pg_indexes_size('$t')) || ' | ' || pg_size_pretty(pg_total_relation_size('$t'))") |"$'\n'
done
DB_SIZE=$(pg_db "SELECT pg_size_pretty(pg_database_size(current_database()))")

# Right after a bulk load the planner has no statistics for meter_events (autovacuum analyzes within about
# a minute, or during a long load). The first summaries show what that costs; then ANALYZE puts the
# database where a running system would be, for every measurement that follows.
STATS_BEFORE=$(pg_db "SELECT string_agg(relname || ' ' || coalesce('analyzed ' || to_char(greatest(last_analyze, last_autoanalyze),
  'HH24:MI:SS'), 'never analyzed') || ' (' || n_mod_since_analyze || ' changes since)', ', ' ORDER BY relname)
  FROM pg_stat_user_tables WHERE relname IN ('meter_events', 'usage_fold_state')")
COLD_ARGS="--phases summaries $RANGE --summary-rate 0.5 --summary-seconds 4 --summary-warmup 0 --summary-variants day"
log "2b. two summaries before ANALYZE ($STATS_BEFORE)"
COMMANDS+=("summaries before statistics: \`UsageBench $SIZE $COLD_ARGS\`, then \`ANALYZE\` of the event and usage tables")
# shellcheck disable=SC2086
USAGE_NOFAIL=1 usage sum-cold $COLD_ARGS
wait_db_idle
pg_db "ANALYZE meter_events, meter_event_identifiers, usage_minutes, usage_hours, usage_fold_state" >/dev/null

# ------------------------------------------------------------------ 3. summaries

SUMMARY_ARGS="--phases summaries $RANGE --summary-rate $SUMMARY_RATE --summary-seconds $SUMMARY_SECONDS --summary-warmup $SUMMARY_WARMUP --summary-variants $SUMMARY_VARIANTS"
log "3a. summaries, no other ingest"
COMMANDS+=("summaries: \`UsageBench $SIZE $SUMMARY_ARGS\`")
# shellcheck disable=SC2086
usage sum-baseline $SUMMARY_ARGS

log "3b. summaries under full ingest"
COMMANDS+=("full ingest: \`java -jar $LOAD_JAR --producers $BG_PRODUCERS --warmup $BG_WARMUP --duration $(( SUMMARY_RUN_S + 5 ))\`")
background bg-full $(( SUMMARY_RUN_S + 5 )) --producers "$BG_PRODUCERS"
# shellcheck disable=SC2086
usage sum-full $SUMMARY_ARGS
wait_background bg-full
FULL_RATE=$(jget "$WORK/bg-full.json" measured.events_per_s)

OPEN_RATE=$(awk -v m="$FULL_RATE" -v p="$OPEN_PERCENT" 'BEGIN { printf "%d", m * p / 100 }')
(( OPEN_RATE >= 100 )) || die "full ingest reached only $FULL_RATE events/s; not running the moderate one"
log "3c. summaries under moderate ingest, $OPEN_RATE events/s ($OPEN_PERCENT% of $FULL_RATE)"
COMMANDS+=("moderate ingest: \`java -jar $LOAD_JAR --rate $OPEN_RATE --producers $OPEN_PRODUCERS --warmup $BG_WARMUP --duration $(( SUMMARY_RUN_S + 5 ))\`")
background bg-open $(( SUMMARY_RUN_S + 5 )) --rate "$OPEN_RATE" --producers "$OPEN_PRODUCERS"
# shellcheck disable=SC2086
usage sum-open $SUMMARY_ARGS
wait_background bg-open

# ------------------------------------------------------------------ 4. alerts

ALERT_ARGS="--phases alerts --probes $PROBES --probe-interval-ms $PROBE_INTERVAL_MS --probe-timeout $PROBE_TIMEOUT --database-url $DB_URL"
log "4. alert probes under full ingest"
COMMANDS+=("alerts: \`UsageBench $ALERT_ARGS\` beside \`java -jar $LOAD_JAR --producers $BG_PRODUCERS --warmup $BG_WARMUP --duration $ALERT_RUN_S\`")
background bg-alerts "$ALERT_RUN_S" --producers "$BG_PRODUCERS"
# shellcheck disable=SC2086
usage alerts $ALERT_ARGS
wait_background bg-alerts

# ------------------------------------------------------------------ 5. checks

log "5. checks"
CHECKS=()
check() { # check NAME OK(0/1) TEXT
  if (( $2 )); then CHECKS+=("| $1 | PASS: $3 |"); else CHECKS+=("| $1 | **FAIL**: $3 |"); fail "$1: $3"; fi
}
EXPECTED_SUM=$(python3 -c "from decimal import Decimal; print(Decimal('$VALUE') * $EVENTS)")
read -r RAW_COUNT RAW_SUM < <(pg -d "$DB" -At -F ' ' -c "SELECT count(*), coalesce(sum(value), 0) FROM meter_events
  WHERE meter_id = $METER_DB_ID AND customer_id = '$CUSTOMER' AND canceled_at IS NULL")
same() { python3 -c "from decimal import Decimal; import sys; sys.exit(0 if Decimal('$1') == Decimal('$2') else 1)"; }
ok=0; (( RAW_COUNT == EVENTS )) && same "$RAW_SUM" "$EXPECTED_SUM" && ok=1
check "stored events for $CUSTOMER" $ok "$(fmt_int "$RAW_COUNT") rows, sum $RAW_SUM (expected $(fmt_int "$EVENTS"), $EXPECTED_SUM)"
read -r AGG_COUNT AGG_SUM < <(pg -d "$DB" -At -F ' ' -c "SELECT coalesce(sum(event_count), 0), coalesce(sum(value_sum), 0)
  FROM usage_hours WHERE meter_id = $METER_DB_ID AND customer_id = '$CUSTOMER'")
ok=0; (( AGG_COUNT == EVENTS )) && same "$AGG_SUM" "$EXPECTED_SUM" && ok=1
check "hourly aggregates for $CUSTOMER" $ok "$(fmt_int "$AGG_COUNT") events, sum $AGG_SUM"
for run in sum-baseline sum-full sum-open; do
  i=0
  for v in ${SUMMARY_VARIANTS//,/ }; do
    p=summaries.variants.$i
    mism=$(jget "$WORK/$run.json" "$p.mismatches")
    okc=$(jget "$WORK/$run.json" "$p.ok")
    errs=$(jcalc "$WORK/$run.json" "(lambda v: sum(v['errors_by_status'].values()) + v['connection_errors']
      + v['not_sent'] + v['unfinished'])(d['summaries']['variants'][$i])")
    ok=0; (( mism == 0 && errs == 0 && okc > 0 )) && ok=1
    check "summary totals, $run $v" $ok "$okc answers, each totalling $EXPECTED_SUM; $mism mismatches, $errs errors or unsent"
    i=$(( i + 1 ))
  done
done
ALERT_IDS=$(jcalc "$WORK/alerts.json" "','.join(\"'\" + p['alert'] + \"'\" for p in d['alerts']['detail']
  if p.get('alert')) or \"''\"")
TRIGGERED=$(pg_db "SELECT count(*) FROM events WHERE type = 'billing.alert.triggered' AND data_object -> 'alert' ->> 'id' IN ($ALERT_IDS)")
DISTINCT_TRIGGERED=$(pg_db "SELECT count(DISTINCT data_object -> 'alert' ->> 'id') FROM events WHERE type = 'billing.alert.triggered' AND data_object -> 'alert' ->> 'id' IN ($ALERT_IDS)")
ok=0; (( TRIGGERED == PROBES && DISTINCT_TRIGGERED == PROBES )) && ok=1
check "one billing.alert.triggered event per probe" $ok "$TRIGGERED events for $DISTINCT_TRIGGERED of $PROBES probe alerts"
for bg in bg-full bg-open bg-alerts; do
  prefix=$(jget "$WORK/$bg.json" identifier_prefix)
  [[ $prefix =~ ^[A-Za-z0-9-]+$ ]] || die "unexpected identifier prefix '$prefix' in $WORK/$bg.json"
  acked=$(jget "$WORK/$bg.json" total.events_acked)
  max=$(jget "$WORK/$bg.json" verify.expected_rows_max)
  stored=$(pg_db "SELECT count(*) FROM meter_events WHERE starts_with(identifier, '$prefix')")
  ok=0; (( stored >= acked && stored <= max )) && ok=1
  check "background $bg acknowledged = stored" $ok "$(fmt_int "$stored") stored, $(fmt_int "$acked") acknowledged (at most $(fmt_int "$max"))"
done

stop_gateway
LOAD_AT_END=$(cut -d' ' -f1-3 /proc/loadavg)
GW_WARN=$(grep -c -E ' (WARN|ERROR) ' "$WORK/gateway.log" || true)
GW_WARN_TOP=$(grep -E ' (WARN|ERROR) ' "$WORK/gateway.log" | sed -E 's/^[0-9:.]+ //; s/[0-9]+/N/g' | sort | uniq -c | sort -rn | head -3 \
  | awk '{$1 = $1 "x"; print}' | paste -sd ';' - || true)

# ------------------------------------------------------------------ report

L=$WORK/load.json A=$WORK/alerts.json
LOAD_EPS=$(jget "$L" load.events_per_s)
pct() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.0f%%", 100 * a / b; else print "n/a" }'; }
# verdict VALUE TARGET -> PASS/FAIL, or n/a on a smaller run than the claim's
verdict() {
  if (( EVENTS < CLAIM_EVENTS )); then echo "n/a (smoke run: $(fmt_int "$EVENTS") events, the claim is about $(fmt_int $CLAIM_EVENTS))"; return; fi
  awk -v v="$1" -v t="$2" 'BEGIN { print (v < t ? "**PASS**" : "**FAIL**") }'
}
day_index() { local i=0; for v in ${SUMMARY_VARIANTS//,/ }; do [[ $v == "$1" ]] && { echo $i; return; }; i=$(( i + 1 )); done; echo -1; }
DAY=$(day_index day)
summary_row() { # summary_row RUN LABEL INGEST
  local f=$WORK/$1.json i v
  for (( i = 0; i < $(jcalc "$f" "len(d['summaries']['variants'])"); i++ )); do
    local p=summaries.variants.$i
    v=$(jget "$f" "$p.variant")
    echo "| $2 | $3 | ${v/none/none (one window)} | $(lat "$f" "$p.latency_ms") | $(jget "$f" "$p.latency_ms.count") | $(jget "$f" "$p.windows_per_response.max") | $(jget "$f" "$p.mismatches") | $(jcalc "$f" "(lambda v: sum(v['errors_by_status'].values()) + v['connection_errors'])(d['summaries']['variants'][$i])") | $(jget "$f" "$p.unfolded_events.max") |"
  done
}
bg_eps() { fmt_int "$(jget "$WORK/$1.json" measured.events_per_s)"; }
PRIMARY=$(jget "$A" alerts.primary)
STATUS=PASS
(( ${#FAILURES[@]} == 0 )) || STATUS=FAIL

{
  echo "## Metergate usage benchmark, $DATE"
  echo
  echo "| item | value |"
  echo "|---|---|"
  echo "| machine | $MACHINE_CPUS CPUs (${MACHINE_CPU_MODEL:-unknown model}), $MACHINE_MEM RAM, load average $LOAD_AT_START at start, $LOAD_AT_END at end |"
  echo "| PostgreSQL | $PG_VERSION on $PG_HOST:$PG_PORT ($PG_SETTINGS) |"
  echo "| build | $GIT_REV, $JAVA_VERSION; gateway with default settings |"
  echo "| run | $(fmt_int "$EVENTS") events x value $VALUE for \`$CUSTOMER\` on $METER; summaries [$START_TIME, $END_TIME) = $(( (END_TIME - START_TIME) / 86400 )) UTC days at $SUMMARY_RATE/s, ${SUMMARY_WARMUP} s warm-up + ${SUMMARY_SECONDS} s per variant; $PROBES alert probes every $PROBE_INTERVAL_MS ms |"
  [[ -z $NOTE ]] || echo "| note | $NOTE |"
  echo "| result | $STATUS |"
  echo
  echo "### The claims"
  echo
  echo "| claim | measured | verdict |"
  echo "|---|---|---|"
  if (( DAY >= 0 )); then
    D=summaries.variants.$DAY.latency_ms
    echo "| 30-day daily summary, p99 < $SUMMARY_P99_MS ms while ingest runs | p99 **$(fmt_ms "$(jget "$WORK/sum-full.json" "$D.p99")") ms** under full ingest ($(bg_eps bg-full) events/s), $(fmt_ms "$(jget "$WORK/sum-open.json" "$D.p99")") ms under $OPEN_PERCENT% ($(bg_eps bg-open) events/s), $(fmt_ms "$(jget "$WORK/sum-baseline.json" "$D.p99")") ms with no other ingest | $(verdict "$(jget "$WORK/sum-full.json" "$D.p99")" "$SUMMARY_P99_MS") |"
  fi
  echo "| alerts fire within $ALERT_P99_MS ms of the crossing event's commit, under full ingest | delay to the $PRIMARY: p99 **$(fmt_ms "$(jget "$A" alerts.delay_ms.p99)") ms**, max $(fmt_ms "$(jget "$A" alerts.delay_ms.max)") ms; $(jget "$A" alerts.fired) of $PROBES fired, $(jget "$A" alerts.missed) missed; background $(bg_eps bg-alerts) events/s | $(verdict "$(jget "$A" alerts.delay_ms.p99)" "$ALERT_P99_MS") |"
  echo "| PostgreSQL's limit and the ingest achieved | writer ceiling **$(fmt_int "$CEILING") events/s**; load phase $(fmt_int "$LOAD_EPS") events/s ($(pct "$LOAD_EPS" "$CEILING") of the ceiling, one customer); StreamLoad full ingest beside the summaries $(bg_eps bg-full) events/s ($(pct "$FULL_RATE" "$CEILING")) | |"
  echo
  echo "### 1. Writer ceiling"
  echo
  echo "$(fmt_int "$CEILING") events/s; mean $(printf '%.0f' "$W_BATCH") events per flush, commit p50 / p99 $(fmt_ms "$W_P50") / $(fmt_ms "$W_P99") ms; $(jget "$WORK/writer.json" verify.rows) rows stored of $(jget "$WORK/writer.json" total.events_committed) committed."
  echo
  echo "### 2. Load"
  echo
  echo "| item | value |"
  echo "|---|---|"
  echo "| events | $(fmt_int "$(jget "$L" load.events_acked)") acknowledged of $(fmt_int "$EVENTS"), timestamps $FIRST_TS .. $LAST_TS, $LOAD_PRODUCERS producers x 100 events |"
  echo "| ingest | **$(fmt_int "$LOAD_EPS") events/s** over $(jget "$L" load.elapsed_s) s; $(jget "$L" load.errors.rate_limited_429) x 429, $(jget "$L" load.errors.connection_errors) connection errors, $(jget "$L" load.errors.retries) resends; $(jget "$L" load.fold.duplicate_events) duplicates |"
  echo "| ack latency p50 / p90 / p99 / p99.9 / max | $(lat "$L" load.ack_latency_ms) ms |"
  echo "| usage folder | **caught up $(jget "$L" load.fold.catch_up_s) s after the last acknowledgement** ($(jget "$L" load.fold.status)); backlog at the last ack $(fmt_int "$(jget "$L" load.fold.unfolded_at_last_ack)") events, peak $(fmt_int "$(jget "$L" load.fold.unfolded_peak)"); $(fmt_int "$(jget "$L" load.fold.folded_events)") folded |"
  echo "| database | $DB_SIZE after the load |"
  echo
  echo "| table | rows | heap | indexes | total |"
  echo "|---|---:|---:|---:|---:|"
  printf '%s' "$TABLES"
  echo
  echo "### 3. Summaries ($SUMMARY_RATE requests/s, open loop, latency from the scheduled send, ms)"
  echo
  echo "| condition | other ingest (events/s) | grouping | p50 / p90 / p99 / p99.9 / max | n | windows | mismatches | errors | unfolded backlog max |"
  echo "|---|---:|---|---|---:|---:|---:|---:|---:|"
  summary_row sum-cold "right after the load, before ANALYZE, 0.5/s" "0"
  summary_row sum-baseline "no other ingest" "0"
  summary_row sum-full "full (closed loop, $BG_PRODUCERS producers)" "$(bg_eps bg-full)"
  summary_row sum-open "moderate ($OPEN_PERCENT%, open loop at $(fmt_int "$OPEN_RATE"))" "$(bg_eps bg-open)"
  echo
  echo "The first row ran before ANALYZE ($STATS_BEFORE; autovacuum is $AUTOVACUUM on this server): it shows what a summary costs while the planner has no statistics for the raw events."
  echo "Every other row ran after \`ANALYZE\`."
  echo
  echo "Background ack latency p50 / p99: full $(fmt_ms "$(jget "$WORK/bg-full.json" latency_ms.p50)") / $(fmt_ms "$(jget "$WORK/bg-full.json" latency_ms.p99)") ms, moderate $(fmt_ms "$(jget "$WORK/bg-open.json" latency_ms.p50)") / $(fmt_ms "$(jget "$WORK/bg-open.json" latency_ms.p99)") ms ($(jget "$WORK/bg-open.json" open_loop.batches_not_sent) batches not sent)."
  echo
  echo "### 4. Alerts (under full ingest, $(bg_eps bg-alerts) events/s)"
  echo
  echo "| item | value |"
  echo "|---|---|"
  echo "| delay measured to | **$PRIMARY** ($( [[ $PRIMARY == webhook ]] && echo "arrival of the signed POST at a local receiver" || echo "first poll that sees the triggered event, every $(jget "$A" alerts.poll_ms) ms")), from the 200 of the crossing event |"
  echo "| delay p50 / p90 / p99 / p99.9 / max | **$(lat "$A" alerts.delay_ms) ms** (n=$(jget "$A" alerts.delay_ms.count)) |"
  if [[ $(jget "$A" alerts.secondary) != null ]]; then
    echo "| recorded ($(jget "$A" alerts.secondary) poll every $(jget "$A" alerts.poll_ms) ms) | $(lat "$A" alerts.secondary_delay_ms) ms |"
  fi
  echo "| probes | $(jget "$A" alerts.fired) fired, $(jget "$A" alerts.missed) missed (not seen within $PROBE_TIMEOUT s), $(jget "$A" alerts.failed) failed to start |"
  if [[ $(jget "$A" alerts.webhooks.available) == true ]]; then
    echo "| webhooks | $(jget "$A" alerts.webhooks.receiver.received) received; Stripe-Signature t=...,v1=HMAC-SHA256 verified for $(jget "$A" alerts.webhooks.receiver.signature_ok), bad format $(jget "$A" alerts.webhooks.receiver.bad_format), bad signature $(jget "$A" alerts.webhooks.receiver.bad_signature), stale $(jget "$A" alerts.webhooks.receiver.stale_timestamp); $(jget "$A" alerts.webhooks.receiver.duplicate_deliveries) duplicates, $(jget "$A" alerts.webhooks.receiver.unmatched_deliveries) unmatched |"
  else
    echo "| webhooks | **not available in this build**: $(jget "$A" alerts.webhooks.reason) |"
  fi
  echo "| alert create / event ack p50 / p99 | $(fmt_ms "$(jget "$A" alerts.alert_create_ms.p50)") / $(fmt_ms "$(jget "$A" alerts.alert_create_ms.p99)") ms, $(fmt_ms "$(jget "$A" alerts.event_ack_ms.p50)") / $(fmt_ms "$(jget "$A" alerts.event_ack_ms.p99)") ms |"
  echo "| usage folder backlog during the probes | max $(fmt_int "$(jget "$A" alerts.unfolded_events.max)"), mean $(fmt_int "$(jget "$A" alerts.unfolded_events.mean)") events |"
  echo
  echo "### 5. Checks"
  echo
  echo "| check | result |"
  echo "|---|---|"
  printf '%s\n' "${CHECKS[@]}"
  echo "| gateway log | $GW_WARN WARN/ERROR lines${GW_WARN_TOP:+: $GW_WARN_TOP} |"
  echo
  echo "### Commands"
  echo
  echo "Run: \`$(for n in EVENTS SUMMARY_SECONDS SUMMARY_WARMUP BG_WARMUP PROBES WRITER_SECONDS WRITER_WARMUP; do printf 'USAGE_BENCH_%s=%s ' "$n" "${!n}"; done)load-tests/usage-bench.sh\`. UsageBench is \`java -cp $LOAD_JAR io.metergate.load.UsageBench $BASE --api-key <key>\`; StreamLoad gets the same --base-url and key."
  echo
  for c in "${COMMANDS[@]}"; do echo "- $c"; done
} | tee "$WORK/summary.md"
cp "$WORK/summary.md" "$RESULT_FILE"
log "report written to $RESULT_FILE (logs and JSON in $WORK)"

if (( ${#FAILURES[@]} > 0 )); then
  for f in "${FAILURES[@]}"; do log "FAILED: $f"; done
  exit 1
fi
