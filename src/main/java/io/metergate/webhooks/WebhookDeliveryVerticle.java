package io.metergate.webhooks;

import io.metergate.common.LogThrottle;
import io.metergate.events.EventJson;
import io.metergate.events.StoredEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers queued webhook events at least once. Due deliveries are leased in PostgreSQL (SKIP LOCKED,
 * then next_attempt_at moved a lease ahead), so replicas sharing the database never send the same
 * row at once and a crash mid-send only delays the retry until the lease ends. One instance per
 * gateway, on one event loop: its counters need no synchronisation.
 */
public final class WebhookDeliveryVerticle extends VerticleBase {
  /** Publish (no body) on this event-bus address after committing new events: delivery starts at once. */
  public static final String WAKE_ADDRESS = "metergate.webhooks.wake";
  private static final Logger LOG = LoggerFactory.getLogger(WebhookDeliveryVerticle.class);
  private static final long POLL_MILLIS = 250;
  private static final long BACKLOG_REFRESH_MILLIS = 15_000;
  /** How long stop() lets in-flight POSTs finish; the rest keep their lease and are retried after it. */
  private static final long STOP_WAIT_MILLIS = 5_000;
  private static final int MAX_ERROR_LENGTH = 500;

  public record Options(int timeoutMillis, int concurrency, int firstRetryMillis, int retryHours) {
    /** Longer than a whole exchange plus recording its outcome, so a lease never ends mid-send. */
    long leaseMillis() {
      return 2L * timeoutMillis + 5_000;
    }
  }

  private final Pool pool;
  private final Options options;
  private final MeterRegistry registry;
  private final LogThrottle failureLog = new LogThrottle(30_000);
  private final LogThrottle gaveUpLog = new LogThrottle(30_000);
  private final LogThrottle databaseLog = new LogThrottle(30_000);
  private DeliveryStats stats;
  private WebhookSender sender;
  private MessageConsumer<Object> wake;
  private long pollTimer;
  private long backlogTimer;
  private int inFlight;
  private boolean polling;
  private boolean pollAgain;
  /** The last lease filled every free slot: more may be due, so a freed slot polls at once. */
  private boolean backlogged;
  private boolean stopping;
  private Promise<Void> drained;

  public WebhookDeliveryVerticle(Pool pool, Options options, MeterRegistry registry) {
    this.pool = pool;
    this.options = options;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    stats = new DeliveryStats(registry);
    sender = new WebhookSender(vertx, options.timeoutMillis(), options.concurrency());
    wake = vertx.eventBus().consumer(WAKE_ADDRESS, msg -> poll());
    pollTimer = vertx.setPeriodic(POLL_MILLIS, id -> poll());
    backlogTimer = vertx.setPeriodic(0, BACKLOG_REFRESH_MILLIS, id -> refreshBacklog());
    return wake.completion();
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(pollTimer);
    vertx.cancelTimer(backlogTimer);
    drained = Promise.promise();
    checkDrained();
    vertx.setTimer(STOP_WAIT_MILLIS, id -> drained.tryComplete());
    return wake.unregister().eventually(drained::future).eventually(sender::close);
  }

  /** Leases as many due deliveries as there are free slots; one lease query at a time. */
  private void poll() {
    int free = options.concurrency() - inFlight;
    if (stopping || free <= 0) {
      return;
    }
    if (polling) {
      pollAgain = true;
      return;
    }
    polling = true;
    pool.preparedQuery(WebhookSql.LEASE).execute(Tuple.of(free, options.leaseMillis()))
        .onComplete(ar -> {
          polling = false;
          boolean wokenMeanwhile = pollAgain;
          pollAgain = false;
          if (ar.failed()) {
            warnDatabase("lease due deliveries", ar.cause());
          } else {
            // leased rows are sent even when stopping began meanwhile: stop() waits for them too
            backlogged = ar.result().size() == free;
            ar.result().forEach(this::attempt);
          }
          if (stopping) {
            checkDrained();
          } else if (wokenMeanwhile || backlogged) {
            poll();
          }
        });
  }

  private void attempt(Row r) {
    long deliveryId = r.getLong("delivery_id");
    int attempt = r.getInteger("attempts");
    inFlight++;
    stats.inFlight.incrementAndGet();
    if (!r.getBoolean("endpoint_active")) {
      record(WebhookSql.DROP, Tuple.of(deliveryId, "endpoint deleted or disabled"))
          .onSuccess(v -> stats.dropped.increment())
          .onComplete(v -> completed());
      return;
    }
    Buffer body = EventJson.render(StoredEvent.fromRow(r)).toBuffer();
    String signature = WebhookSignature.header(r.getString("secret"), System.currentTimeMillis() / 1000,
        body.getBytes());
    String url = r.getString("url");
    long started = System.nanoTime();
    sender.post(url, body, signature).onComplete(ar -> {
      stats.exchanged(System.nanoTime() - started);
      Future<?> recorded = ar.succeeded() && ar.result() / 100 == 2
          ? record(WebhookSql.DELIVERED, Tuple.of(deliveryId, ar.result())).onSuccess(v -> stats.delivered.increment())
          : failedAttempt(deliveryId, attempt, ar, r.getString("endpoint_public_id"), url);
      recorded.onComplete(v -> completed());
    });
  }

  private Future<?> failedAttempt(long deliveryId, int attempt, AsyncResult<Integer> ar, String endpoint, String url) {
    Integer status = ar.succeeded() ? ar.result() : null;
    String error = status != null ? "HTTP " + status : describe(ar.cause());
    long delay = Backoff.delayMillis(options.firstRetryMillis(), attempt, ThreadLocalRandom.current().nextDouble());
    Tuple args = Tuple.tuple().addLong(deliveryId).addInteger(attempt).addInteger(status).addString(error)
        .addLong(delay).addInteger(options.retryHours());
    return pool.preparedQuery(WebhookSql.FAILED_ATTEMPT).execute(args)
        .onFailure(err -> warnDatabase("record a failed delivery", err))
        .onSuccess(rows -> {
          if (rows.size() == 0) {
            return;  // delivered, dropped or re-leased meanwhile: not ours to record any more
          }
          boolean gaveUp = rows.iterator().next().getBoolean("gave_up");
          (gaveUp ? stats.failed : stats.retried).increment();
          String shown = error.replace(url, "<url>");
          if (gaveUp && gaveUpLog.allow()) {
            LOG.warn("Gave up delivering to webhook endpoint {} ({}) after {} attempts: {}", endpoint, host(url),
                attempt, shown);
          } else if (!gaveUp && failureLog.allow()) {
            LOG.warn("Webhook delivery to endpoint {} ({}) failed on attempt {}: {}; next try in {} ms", endpoint,
                host(url), attempt, shown, delay);
          }
        });
  }

  private Future<?> record(String sql, Tuple args) {
    return pool.preparedQuery(sql).execute(args).onFailure(err -> warnDatabase("record a delivery", err));
  }

  private void completed() {
    inFlight--;
    stats.inFlight.decrementAndGet();
    if (stopping) {
      checkDrained();
    } else if (backlogged) {
      poll();
    }
  }

  private void checkDrained() {
    if (inFlight == 0 && !polling) {
      drained.tryComplete();
    }
  }

  private void refreshBacklog() {
    pool.preparedQuery(WebhookSql.PENDING_COUNT).execute()
        .onSuccess(rows -> stats.backlog.set(rows.iterator().next().getLong(0)))
        .onFailure(err -> warnDatabase("count pending deliveries", err));
  }

  private void warnDatabase(String what, Throwable err) {
    if (!stopping && databaseLog.allow()) {
      LOG.warn("Webhook delivery could not {}: {}", what, err.getMessage());
    }
  }

  /** Logs name the host, never the URL: its path or query may carry a token. */
  private static String host(String url) {
    try {
      return URI.create(url).getHost();
    } catch (IllegalArgumentException e) {
      return "?";
    }
  }

  private static String describe(Throwable err) {
    String text = err.getClass().getSimpleName() + (err.getMessage() == null ? "" : ": " + err.getMessage());
    return text.length() > MAX_ERROR_LENGTH ? text.substring(0, MAX_ERROR_LENGTH) : text;
  }
}
