package io.metergate.ingest;

import io.metergate.common.ApiError;
import io.metergate.common.LogThrottle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for meter events. One writer belongs to one event loop (one per API verticle
 * instance), so its state needs no locks: submissions queue up while the writer's connections are
 * busy and leave together in the next flush, one statement and one transaction per flush. A
 * submission completes only after its flush has committed. The queue is bounded: when it is full,
 * the submission is refused at once with 429 and Retry-After.
 */
public final class EventWriter {
  private static final Logger LOG = LoggerFactory.getLogger(EventWriter.class);
  private static final LogThrottle FLUSH_FAILURES = new LogThrottle(10_000);
  public record Options(int maxBatchEvents, long lingerMillis, int maxInFlight, int maxQueuedEvents,
                        int dedupWindowSeconds, long flushTimeoutMillis) {}

  /** The outcome of one submission: which of its events were duplicates and not stored again. */
  public record Result(BitSet duplicates) {}

  private record Submission(List<MeterEvent> events, Promise<Result> promise, BitSet duplicates) {}

  /** One row of a flush: the event, its dedup hash, and where it came from (submission, index). */
  private record Slot(MeterEvent event, UUID hash, Submission owner, int index) {}

  private record DedupKey(long accountId, boolean livemode, UUID hash) {}

  private final Vertx vertx;
  private final Pool pool;
  private final Options options;
  private final WriterStats stats;
  private final ArrayDeque<Submission> queue = new ArrayDeque<>();
  private final MessageDigest md5;
  private int queuedEvents;
  private int inFlight;
  private long lingerTimer = -1;
  private boolean closing;
  private Promise<Void> drained;

  public EventWriter(Vertx vertx, Pool pool, Options options, WriterStats stats) {
    this.vertx = vertx;
    this.pool = pool;
    this.options = options;
    this.stats = stats;
    this.md5 = IdentifierHash.newDigest();
  }

  /** Must be called on this writer's event loop. */
  public Future<Result> submit(List<MeterEvent> events) {
    if (closing) {
      return Future.failedFuture(ApiError.unavailable("Metergate is shutting down; retry against another replica.", 1));
    }
    if (queuedEvents + events.size() > options.maxQueuedEvents()) {
      stats.rejectedQueueFull(events.size());
      return Future.failedFuture(ApiError.rateLimited(
          "Metergate is receiving events faster than it can store them. Retry after the Retry-After delay.", 1));
    }
    Submission s = new Submission(events, Promise.promise(), new BitSet());
    queue.add(s);
    queuedEvents += events.size();
    stats.queued(events.size());
    maybeFlush();
    return s.promise.future();
  }

  public int queuedEvents() {
    return queuedEvents;
  }

  public int inFlight() {
    return inFlight;
  }

  /** Stops taking submissions and completes once everything queued has been committed or failed. */
  public Future<Void> close() {
    closing = true;
    drained = Promise.promise();
    checkDrained();
    return drained.future();
  }

  private void maybeFlush() {
    while (inFlight < options.maxInFlight() && !queue.isEmpty()) {
      if (options.lingerMillis() > 0 && queuedEvents < options.maxBatchEvents() && inFlight > 0 && !closing) {
        scheduleLinger();
        return;
      }
      flush(takeBatch());
    }
  }

  private void scheduleLinger() {
    if (lingerTimer < 0) {
      lingerTimer = vertx.setTimer(options.lingerMillis(), id -> {
        lingerTimer = -1;
        if (inFlight < options.maxInFlight() && !queue.isEmpty()) {
          flush(takeBatch());
        }
        maybeFlush();
      });
    }
  }

  private List<Submission> takeBatch() {
    List<Submission> batch = new ArrayList<>();
    int events = 0;
    while (!queue.isEmpty()) {
      int next = queue.peek().events.size();
      if (!batch.isEmpty() && events + next > options.maxBatchEvents()) {
        break;
      }
      Submission s = queue.poll();
      batch.add(s);
      events += next;
    }
    queuedEvents -= events;
    stats.dequeued(events);
    return batch;
  }

  private void flush(List<Submission> batch) {
    List<Slot> rows = uniqueRows(batch);
    if (rows.isEmpty()) {
      complete(batch);
      return;
    }
    inFlight++;
    long started = System.nanoTime();
    // a stalled or unreachable database must not hold clients forever; the slot stays taken until
    // the statement really returns, so a wedged connection cannot multiply
    long timeout = vertx.setTimer(options.flushTimeoutMillis(), id -> {
      stats.timedOut(rows.size());
      ApiError error = ApiError.unavailable("The event store did not confirm the write in time, so nothing in this"
          + " request is acknowledged. Retry it with the same identifiers; events already stored are skipped.", 1);
      batch.forEach(s -> s.promise.tryFail(error));
    });
    pool.preparedQuery(IngestSql.INSERT_BATCH).execute(toTuple(rows, options.dedupWindowSeconds()))
        .onComplete(ar -> {
          vertx.cancelTimer(timeout);
          inFlight--;
          if (ar.succeeded()) {
            markDuplicates(rows, ar.result());
            stats.committed(rows.size(), rows.size() - ar.result().size(), System.nanoTime() - started);
            complete(batch);
          } else {
            stats.failed(batch.stream().mapToInt(s -> s.events.size()).sum());
            if (FLUSH_FAILURES.allow()) {
              LOG.warn("A flush of {} events failed and was not acknowledged (503): {}", rows.size(),
                  ar.cause().toString());
            }
            ApiError error = ApiError.unavailable("The event store did not confirm the write, so nothing in this request"
                + " is acknowledged. Retry it with the same identifiers; events already stored are skipped.", 1);
            batch.forEach(s -> s.promise.tryFail(error));
          }
          maybeFlush();
          checkDrained();
        });
  }

  /**
   * Drops repeats within the flush (same account, mode and identifier) before they reach SQL. The rows
   * stay in arrival order: the statement draws ids in that order and claims in dedup-key order itself.
   */
  private List<Slot> uniqueRows(List<Submission> batch) {
    Map<DedupKey, Boolean> seen = new HashMap<>();
    List<Slot> rows = new ArrayList<>();
    for (Submission s : batch) {
      for (int i = 0; i < s.events.size(); i++) {
        MeterEvent e = s.events.get(i);
        UUID hash = hash(e.identifier());
        if (seen.putIfAbsent(new DedupKey(e.accountId(), e.livemode(), hash), Boolean.TRUE) != null) {
          s.duplicates.set(i);
        } else {
          rows.add(new Slot(e, hash, s, i));
        }
      }
    }
    return rows;
  }

  private static Tuple toTuple(List<Slot> rows, int dedupWindowSeconds) {
    int n = rows.size();
    Long[] accounts = new Long[n];
    Boolean[] modes = new Boolean[n];
    UUID[] hashes = new UUID[n];
    Long[] meters = new Long[n];
    String[] customers = new String[n];
    String[] values = new String[n];
    Long[] timestamps = new Long[n];
    String[] identifiers = new String[n];
    String[] payloads = new String[n];
    Integer[] positions = new Integer[n];
    Boolean[] latestWins = new Boolean[n];
    for (int i = 0; i < n; i++) {
      MeterEvent e = rows.get(i).event;
      accounts[i] = e.accountId();
      modes[i] = e.livemode();
      hashes[i] = rows.get(i).hash;
      meters[i] = e.meterId();
      customers[i] = e.customerId();
      values[i] = e.value() == null ? null : e.value().toPlainString();
      timestamps[i] = epochMicros(e.timestamp());
      identifiers[i] = e.identifier();
      payloads[i] = PayloadJson.encode(e.payload());
      positions[i] = i;
      latestWins[i] = e.latestWins();
    }
    return Tuple.tuple()
        .addArrayOfLong(accounts).addArrayOfBoolean(modes).addArrayOfUUID(hashes).addArrayOfLong(meters)
        .addArrayOfString(customers).addArrayOfString(values).addArrayOfLong(timestamps)
        .addArrayOfString(identifiers).addArrayOfString(payloads).addArrayOfInteger(positions)
        .addInteger(dedupWindowSeconds).addArrayOfBoolean(latestWins);
  }

  private static long epochMicros(java.time.Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
  }

  private static void markDuplicates(List<Slot> rows, RowSet<Row> result) {
    for (Row r : result) {
      Slot dup = rows.get(r.getInteger(0));
      dup.owner.duplicates.set(dup.index);
    }
  }

  private void complete(List<Submission> batch) {
    for (Submission s : batch) {
      stats.duplicates(s.duplicates.cardinality());
      s.promise.tryComplete(new Result(s.duplicates));
    }
  }

  private void checkDrained() {
    if (drained != null && queue.isEmpty() && inFlight == 0) {
      drained.tryComplete();
    }
  }

  private UUID hash(String identifier) {
    return IdentifierHash.of(md5, identifier);
  }
}
