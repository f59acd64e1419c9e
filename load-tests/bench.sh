#!/usr/bin/env bash
# Metergate benchmark: one bounded run on one machine, loopback only.
#
#   1. the writer ceiling: PostgreSQL with our schema, indexes and insert statement, no HTTP
#      (java -jar target/metergate.jar bench-writer);
#   2. the gateway at its maximum: StreamLoad closed loop, many producers;
#   3. the gateway at 80% of that maximum: StreamLoad open loop, ack latency p50/p99/p99.9.
# After each gateway run the rows stored are counted and must equal the events acknowledged.
# Prints a Markdown summary and writes it to load-tests/results/bench-<timestamp>.md.
#
# Usage: load-tests/bench.sh [--build]      (--build: rebuild both jars even if present)
#
# Settings (environment; defaults take about 3.5 minutes in total):
#   BENCH_SECONDS=60            measured seconds of each gateway run
#   BENCH_WARMUP=10             warm-up seconds of each gateway run
#   BENCH_WRITER_SECONDS=20     measured seconds of the writer ceiling
#   BENCH_WRITER_WARMUP=5       warm-up seconds of the writer ceiling
#   BENCH_WRITER_ARGS=          extra bench-writer flags (e.g. "--outstanding 40")
#   BENCH_PRODUCERS=32          closed-loop producers (batches in flight)
#   BENCH_OPEN_PERCENT=80       open-loop rate, percent of the closed-loop maximum
#   BENCH_OPEN_PRODUCERS=128    open-loop producer limit (reported as batches_not_sent if too low)
#   BENCH_HTTP_PORT=8080        gateway API port
#   BENCH_MANAGEMENT_PORT=9090  gateway health/metrics port
#   BENCH_PG_HOST=127.0.0.1  BENCH_PG_PORT=5432  BENCH_PG_USER=postgres   (PGPASSWORD if needed)
#   BENCH_DB=metergate_bench    dropped and recreated at start; its name must contain "bench"
#   BENCH_RESULTS_DIR=load-tests/results
#   BENCH_JAVA_OPTS=            JVM options for the gateway and bench-writer
#   BENCH_NOTE=                 free text added to the summary (e.g. "quiet machine")
# METERGATE_* writer settings in the environment (METERGATE_EVENT_LOOPS, METERGATE_WRITER_CONCURRENCY,
# METERGATE_BATCH_MAX_EVENTS, ...) apply to both the writer ceiling and the gateway.
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

BUILD=0
for arg in "$@"; do
  case "$arg" in
    --build) BUILD=1 ;;
    -h|--help) sed -n '2,30p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench: unknown argument '$arg' (see --help)" >&2; exit 64 ;;
  esac
done

BENCH_SECONDS=${BENCH_SECONDS:-60}
BENCH_WARMUP=${BENCH_WARMUP:-10}
BENCH_WRITER_SECONDS=${BENCH_WRITER_SECONDS:-20}
BENCH_WRITER_WARMUP=${BENCH_WRITER_WARMUP:-5}
BENCH_WRITER_ARGS=${BENCH_WRITER_ARGS:-}
BENCH_PRODUCERS=${BENCH_PRODUCERS:-32}
BENCH_OPEN_PERCENT=${BENCH_OPEN_PERCENT:-80}
BENCH_OPEN_PRODUCERS=${BENCH_OPEN_PRODUCERS:-128}
BENCH_HTTP_PORT=${BENCH_HTTP_PORT:-8080}
BENCH_MANAGEMENT_PORT=${BENCH_MANAGEMENT_PORT:-9090}
BENCH_PG_HOST=${BENCH_PG_HOST:-127.0.0.1}
BENCH_PG_PORT=${BENCH_PG_PORT:-5432}
BENCH_PG_USER=${BENCH_PG_USER:-postgres}
BENCH_DB=${BENCH_DB:-metergate_bench}
BENCH_RESULTS_DIR=${BENCH_RESULTS_DIR:-load-tests/results}
BENCH_JAVA_OPTS=${BENCH_JAVA_OPTS:-}
BENCH_NOTE=${BENCH_NOTE:-}

SERVICE_JAR=target/metergate.jar
LOAD_JAR=load-tests/target/metergate-load.jar

# shellcheck source=load-tests/lib.sh
. "$ROOT/load-tests/lib.sh"
LOG_NAME=bench
SETTINGS_PREFIX=BENCH_

# ------------------------------------------------------------------ checks

check_whole_numbers BENCH_SECONDS BENCH_WARMUP BENCH_WRITER_SECONDS BENCH_WRITER_WARMUP BENCH_PRODUCERS BENCH_OPEN_PERCENT \
  BENCH_OPEN_PRODUCERS BENCH_HTTP_PORT BENCH_MANAGEMENT_PORT BENCH_PG_PORT
(( BENCH_SECONDS >= 1 && BENCH_WRITER_SECONDS >= 1 )) || die "BENCH_SECONDS and BENCH_WRITER_SECONDS must be >= 1"
(( BENCH_OPEN_PERCENT >= 1 && BENCH_OPEN_PERCENT <= 100 )) || die "BENCH_OPEN_PERCENT must be 1..100"
check_target "$BENCH_HTTP_PORT" "$BENCH_MANAGEMENT_PORT" "$BENCH_PG_HOST" "$BENCH_DB"
require_tools java psql curl python3

pg_target "$BENCH_PG_HOST" "$BENCH_PG_PORT" "$BENCH_PG_USER"
pg_bench() { pg -d "$BENCH_DB" -At -c "$1"; }

# ------------------------------------------------------------------ gateway lifecycle

trap stop_gateway EXIT
trap 'log "interrupted"; exit 130' INT TERM

# writer_batches -> "EVENTS FLUSHES COMMIT_SECONDS" from the gateway's /metrics (flush-size summary and commit timer)
writer_batches() {
  curl -fs --max-time 5 "http://127.0.0.1:$BENCH_MANAGEMENT_PORT/metrics" | awk '
    $1 ~ /^metergate_writer_batch_events_sum/ { e += $2 }
    $1 ~ /^metergate_writer_batch_events_count/ { f += $2 }
    $1 ~ /^metergate_writer_commit_seconds_sum/ { c += $2 }
    END { printf "%.0f %.0f %.6f\n", e, f, c }' || echo "0 0 0"
}
# mean_batch SAMPLE0 SAMPLE1 -> the gateway's flushes between the two samples
mean_batch() {
  awk -v a="$1" -v b="$2" 'BEGIN { split(a, x, " "); split(b, y, " "); n = y[2] - x[2];
    if (n > 0) printf "%d flushes, mean %.0f events, commit mean %.1f ms", n, (y[1] - x[1]) / n, 1000 * (y[3] - x[3]) / n;
    else print "n/a" }'
}

# /proc/PID/stat fields 14+15: user+system CPU time in clock ticks
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
CLK_TCK=$(getconf CLK_TCK 2>/dev/null || echo 100)

# ------------------------------------------------------------------ build

if (( BUILD )) || [[ ! -f $SERVICE_JAR ]]; then
  log "building the service jar"
  mvn -B -q package -DskipTests
fi
if (( BUILD )) || [[ ! -f $LOAD_JAR ]]; then
  log "building the load generator jar"
  mvn -B -q -f load-tests/pom.xml package
fi

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/metergate-bench-$STAMP-XXXX")
mkdir -p "$BENCH_RESULTS_DIR"
RESULT_FILE="$BENCH_RESULTS_DIR/bench-$STAMP.md"
EXPECTED_S=$(( BENCH_WRITER_WARMUP + BENCH_WRITER_SECONDS + 2 * (BENCH_WARMUP + BENCH_SECONDS) + 40 ))
log "logs and JSON reports in $WORK; expected duration about $EXPECTED_S s"

# ------------------------------------------------------------------ database

DB_URL="postgresql://$BENCH_PG_USER@$BENCH_PG_HOST:$BENCH_PG_PORT/$BENCH_DB"
recreate_db "$BENCH_DB"

# Every Java process of this script talks to the bench database only.
java_uses_db "$DB_URL"

# Empties the raw events and everything folded from them (usage aggregates, alert progress). The
# meter_events identity is deliberately NOT restarted and usage_fold_state is left alone: new events get
# ids above the folder's folded_through mark, so they fold normally, and ranges pending from before are
# simply folded empty. With RESTART IDENTITY new ids would fall at or below the mark and never be folded
# (summaries and alerts would miss them) unless the mark were reset too, racing a running gateway's folder.
reset_event_tables() {
  pg_bench "TRUNCATE meter_events, meter_event_identifiers, usage_minutes, usage_hours, alert_progress" >/dev/null
  pg_bench "CHECKPOINT" >/dev/null 2>&1 || true
}

# ------------------------------------------------------------------ machine

machine_facts "$BENCH_DB" synchronous_commit shared_buffers fsync max_wal_size
FAILURES=()

# ------------------------------------------------------------------ 1. writer ceiling

log "writer ceiling: bench-writer --warmup $BENCH_WRITER_WARMUP --seconds $BENCH_WRITER_SECONDS $BENCH_WRITER_ARGS"
set +e
# shellcheck disable=SC2086
timeout --foreground --kill-after=10 $(( BENCH_WRITER_WARMUP + BENCH_WRITER_SECONDS + 150 )) \
  java $BENCH_JAVA_OPTS -jar "$SERVICE_JAR" bench-writer --warmup "$BENCH_WRITER_WARMUP" \
  --seconds "$BENCH_WRITER_SECONDS" --json-out "$WORK/writer.json" $BENCH_WRITER_ARGS 2>&1 | tee "$WORK/writer.log"
WRITER_RC=${PIPESTATUS[0]}
set -e
[[ -f $WORK/writer.json ]] || die "bench-writer wrote no report (exit $WRITER_RC); see $WORK/writer.log"
CEILING=$(jget "$WORK/writer.json" .measured.events_per_s)
W_LOOPS=$(jget "$WORK/writer.json" .config.event_loops)
W_CONC=$(jget "$WORK/writer.json" .config.writer_concurrency)
W_BATCH=$(jget "$WORK/writer.json" .config.batch_max_events)
W_QUEUE=$(jget "$WORK/writer.json" .config.queue_events)
W_LINGER=$(jget "$WORK/writer.json" .config.linger_ms)
W_MEAN_BATCH=$(jget "$WORK/writer.json" .measured.batch_events.mean)
W_FLUSHES=$(jget "$WORK/writer.json" .measured.flushes)
W_P50=$(jget "$WORK/writer.json" .measured.commit_latency_ms.p50)
W_MEAN=$(jget "$WORK/writer.json" .measured.commit_latency_ms.mean)
W_P99=$(jget "$WORK/writer.json" .measured.commit_latency_ms.p99)
W_VERIFY="$(jget "$WORK/writer.json" .verify.rows) stored of $(jget "$WORK/writer.json" .total.events_committed) committed"
if [[ $WRITER_RC -ne 0 || $(jget "$WORK/writer.json" .status) != ok ]]; then
  W_VERIFY="FAIL: $W_VERIFY, status $(jget "$WORK/writer.json" .status)"
  FAILURES+=("writer ceiling: exit $WRITER_RC, status $(jget "$WORK/writer.json" .status)")
else
  W_VERIFY="PASS: $W_VERIFY"
fi

# ------------------------------------------------------------------ 2. gateway

reset_event_tables
log "creating an API key for the load generator"
API_KEY=$(java -jar "$SERVICE_JAR" keys create --new-account --mode test 2>>"$WORK/keys.log") \
  || die "could not create an API key; see $WORK/keys.log"

check_ports_free "$BENCH_HTTP_PORT" "$BENCH_MANAGEMENT_PORT"
log "starting the gateway on 127.0.0.1:$BENCH_HTTP_PORT (management $BENCH_MANAGEMENT_PORT)"
start_gateway "$SERVICE_JAR" "$BENCH_HTTP_PORT" "$BENCH_MANAGEMENT_PORT" "$WORK/gateway.log" "$BENCH_JAVA_OPTS"

# run_load NAME ARGS... -> $WORK/NAME.json; sets LOAD_RC
run_load() {
  local name=$1
  shift
  set +e
  timeout --foreground --kill-after=10 $(( BENCH_WARMUP + BENCH_SECONDS + 120 )) \
    java -jar "$LOAD_JAR" --base-url "http://127.0.0.1:$BENCH_HTTP_PORT" --api-key "$API_KEY" \
    --warmup "$BENCH_WARMUP" --duration "$BENCH_SECONDS" --json-out "$WORK/$name.json" "$@" 2>&1 \
    | tee "$WORK/$name.log"
  LOAD_RC=${PIPESTATUS[0]}
  set -e
  [[ -f $WORK/$name.json ]] || die "the load generator wrote no report for the $name run (exit $LOAD_RC);" \
    "see $WORK/$name.log"
}

# verify_load NAME -> sets VERIFY (text for the table); records failures
verify_load() {
  local name=$1 json=$WORK/$1.json prefix acked max stored
  prefix=$(jget "$json" .identifier_prefix)
  [[ $prefix =~ ^[A-Za-z0-9-]+$ ]] || die "unexpected identifier prefix '$prefix' in $json"
  acked=$(jget "$json" .total.events_acked)
  max=$(jget "$json" .verify.expected_rows_max)
  stored=$(pg_bench "SELECT count(*) FROM meter_events WHERE starts_with(identifier, '$prefix')")
  if (( stored == acked )); then
    VERIFY="PASS: $(fmt_int "$stored") stored = $(fmt_int "$acked") acknowledged"
  elif (( stored > acked && stored <= max )); then
    VERIFY="PASS: $(fmt_int "$stored") stored, $(fmt_int "$acked") acknowledged + $(( stored - acked ))"
    VERIFY+=" unconfirmed at exit"
  else
    VERIFY="FAIL: $(fmt_int "$stored") stored, $(fmt_int "$acked") acknowledged (at most $(fmt_int "$max") allowed)"
    FAILURES+=("$name run: $VERIFY")
  fi
  if (( LOAD_RC != 0 )); then
    VERIFY+="; load generator exit $LOAD_RC (dropped $(jget "$json" .errors.dropped_batches) batches)"
    FAILURES+=("$name run: load generator exit $LOAD_RC")
  fi
  log "$name run: $VERIFY"
}

log "closed loop: $BENCH_PRODUCERS producers, max rate"
GW_TICKS_0=$(cpu_ticks "$GW_PID")
BATCHES_0=$(writer_batches)
run_load closed --producers "$BENCH_PRODUCERS"
GW_TICKS_1=$(cpu_ticks "$GW_PID")
BATCHES_1=$(writer_batches)
C_BATCH=$(mean_batch "$BATCHES_0" "$BATCHES_1")
verify_load closed
CLOSED_VERIFY=$VERIFY
GATEWAY_MAX=$(jget "$WORK/closed.json" .measured.events_per_s)
GATEWAY_MAX=${GATEWAY_MAX%.0}
C_P50=$(jget "$WORK/closed.json" .latency_ms.p50)
C_P99=$(jget "$WORK/closed.json" .latency_ms.p99)
C_P999=$(jget "$WORK/closed.json" .latency_ms.p99_9)
C_429=$(jget "$WORK/closed.json" .errors.rate_limited_429)
GW_CORES=$(awk -v a="$GW_TICKS_0" -v b="$GW_TICKS_1" -v t="$CLK_TCK" -v s="$(jget "$WORK/closed.json" .total.elapsed_s)" \
  'BEGIN { printf "%.2f", (s > 0 ? (b - a) / t / s : 0) }')

OPEN_RATE=$(awk -v m="$GATEWAY_MAX" -v p="$BENCH_OPEN_PERCENT" 'BEGIN { printf "%d", m * p / 100 }')
if (( OPEN_RATE < 100 )); then
  die "the closed-loop run reached only $GATEWAY_MAX events/s; not running the open loop"
fi
reset_event_tables
log "open loop: $OPEN_RATE events/s ($BENCH_OPEN_PERCENT% of $GATEWAY_MAX), up to $BENCH_OPEN_PRODUCERS producers"
run_load open --rate "$OPEN_RATE" --producers "$BENCH_OPEN_PRODUCERS"
O_BATCH=$(mean_batch "$BATCHES_1" "$(writer_batches)")
verify_load open
OPEN_VERIFY=$VERIFY
O_EPS=$(jget "$WORK/open.json" .measured.events_per_s)
O_P50=$(jget "$WORK/open.json" .latency_ms.p50)
O_P99=$(jget "$WORK/open.json" .latency_ms.p99)
O_P999=$(jget "$WORK/open.json" .latency_ms.p99_9)
O_MAX=$(jget "$WORK/open.json" .latency_ms.max)
O_NOT_SENT=$(jget "$WORK/open.json" .open_loop.batches_not_sent)
O_429=$(jget "$WORK/open.json" .errors.rate_limited_429)
O_SUSTAINED=$(awk -v a="$O_EPS" -v t="$OPEN_RATE" 'BEGIN { if (a < 0.95 * t) print "; **target rate not sustained**" }')

stop_gateway
LOAD_AT_END=$(cut -d' ' -f1-3 /proc/loadavg)

# ------------------------------------------------------------------ summary

RATIO=$(awk -v g="$GATEWAY_MAX" -v w="$CEILING" 'BEGIN { if (w > 0) printf "%.0f%%", 100 * g / w; else print "n/a" }')
STATUS=PASS
(( ${#FAILURES[@]} == 0 )) || STATUS=FAIL

{
  echo "## Metergate benchmark, $DATE"
  echo
  echo "| item | value |"
  echo "|---|---|"
  echo "| date | $DATE |"
  echo "| machine | $MACHINE_CPUS CPUs (${MACHINE_CPU_MODEL:-unknown model}), $MACHINE_MEM RAM, load average $LOAD_AT_START at start, $LOAD_AT_END at end |"
  echo "| PostgreSQL | $PG_VERSION on $BENCH_PG_HOST:$BENCH_PG_PORT ($PG_SETTINGS) |"
  echo "| build | $GIT_REV, $JAVA_VERSION |"
  echo "| writer settings | $W_LOOPS event loops x $W_CONC flushes in flight, batch max $W_BATCH, linger $W_LINGER ms, queue $W_QUEUE events per loop |"
  echo "| durations | writer ceiling ${BENCH_WRITER_WARMUP} s warm-up + ${BENCH_WRITER_SECONDS} s; each gateway run ${BENCH_WARMUP} s warm-up + ${BENCH_SECONDS} s; event tables emptied before each phase |"
  echo "| **writer ceiling** (no HTTP) | **$(fmt_int "$CEILING") events/s**; $W_FLUSHES flushes, mean $(printf '%.0f' "$W_MEAN_BATCH") events per flush, commit mean / p50 / p99 $(fmt_ms "$W_MEAN") / $(fmt_ms "$W_P50") / $(fmt_ms "$W_P99") ms |"
  echo "| **gateway max** (closed loop, $BENCH_PRODUCERS producers) | **$(fmt_int "$GATEWAY_MAX") events/s**; ack p50 / p99 / p99.9 $(fmt_ms "$C_P50") / $(fmt_ms "$C_P99") / $(fmt_ms "$C_P999") ms; $C_429 x 429; gateway used $GW_CORES cores; gateway writer: $C_BATCH |"
  echo "| **gateway / ceiling** | **$RATIO** |"
  echo "| acknowledged = stored | writer: $W_VERIFY; closed loop: $CLOSED_VERIFY; open loop: $OPEN_VERIFY |"
  echo "| **open loop at $BENCH_OPEN_PERCENT%** ($(fmt_int "$OPEN_RATE") events/s target) | achieved $(fmt_int "$O_EPS") events/s; **ack p50 / p99 / p99.9 $(fmt_ms "$O_P50") / $(fmt_ms "$O_P99") / $(fmt_ms "$O_P999") ms** (max $(fmt_ms "$O_MAX")); $O_NOT_SENT batches not sent; $O_429 x 429; gateway writer: $O_BATCH$O_SUSTAINED |"
  [[ -z $BENCH_NOTE ]] || echo "| note | $BENCH_NOTE |"
  echo "| result | $STATUS |"
  echo
  echo "Command: \`$(for n in BENCH_SECONDS BENCH_WARMUP BENCH_WRITER_SECONDS BENCH_WRITER_WARMUP; do printf '%s=%s ' "$n" "${!n}"; done)load-tests/bench.sh\`"
} | tee "$WORK/summary.md"
cp "$WORK/summary.md" "$RESULT_FILE"
log "summary written to $RESULT_FILE (logs and JSON in $WORK)"

if (( ${#FAILURES[@]} > 0 )); then
  for f in "${FAILURES[@]}"; do log "FAILED: $f"; done
  exit 1
fi
