package io.metergate.gatling;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.bodyString;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.group;
import static io.gatling.javaapi.core.CoreDsl.jmesPath;
import static io.gatling.javaapi.core.CoreDsl.pace;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.core.CoreDsl.tryMax;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Realistic high-volume producers on the v2 meter event stream.
 *
 * <p>Each virtual user is one producer, like one instance of a billing client: it opens a meter
 * event session with the secret key, then streams batches of {@code -DbatchSize} (100) events at a
 * fixed pace for {@code -DdurationSeconds}. Producers start spread over one pace interval so the
 * batches interleave evenly; together they send {@code eventsPerSecond / batchSize} requests/s.
 *
 * <p>Per batch ("deliver batch" group, timed from the first send to the acknowledgement):
 * <ul>
 *   <li>200: acknowledged.</li>
 *   <li>429: wait for Retry-After, resend the same batch (same identifiers, same Idempotency-Key).
 *       The 429 itself is an expected answer (OK in Gatling); every one of them shows up as a
 *       "stream batch (resend after 429)" request and in the summary printed at the end.</li>
 *   <li>401 billing_meter_event_session_expired: open a new session and resend.</li>
 *   <li>5xx, timeout or connection error: KO, resend after a jittered exponential backoff (the
 *       server skips duplicate identifiers, so resending is safe).</li>
 *   <li>any other status: KO, the batch is dropped.</li>
 * </ul>
 * Sessions are renewed before they expire: when fewer than {@code -DrenewBeforeExpirySeconds} (300)
 * remain or after {@code -DrenewAfterSeconds} (600), whichever comes first.
 *
 * <p>Every identifier starts with {@code <run id>-}, so the rows a run stored can be counted; the
 * summary at the end prints the expected count and the query.
 */
public class StreamProducersSimulation extends Simulation {
  private static final String EXPIRED_CODE = "billing_meter_event_session_expired";

  private final MetergateTarget target = MetergateTarget.fromSystemProperties();
  private final int eventsPerSecond = MetergateTarget.intProperty("eventsPerSecond", 5000, 1, 10_000_000);
  private final int batchSize = MetergateTarget.intProperty("batchSize", 100, 1, 100);
  private final double batchesPerSecond = eventsPerSecond / (double) batchSize;
  /** Default: each producer sends 2 batches/s, so a slow answer (up to 500 ms) does not cut the rate. */
  private final int producers = MetergateTarget.intProperty("producers",
      Math.max(1, (int) Math.ceil(batchesPerSecond / 2.0)), 1, 10_000);
  private final Duration pace = Duration.ofNanos(Math.max(1_000_000L, Math.round(producers * 1e9 / batchesPerSecond)));
  private final int customers = MetergateTarget.intProperty("customers", 1000, 1, 100_000_000);
  private final int renewBeforeExpirySeconds = MetergateTarget.intProperty("renewBeforeExpirySeconds", 300, 0, 86_400);
  private final int renewAfterSeconds = MetergateTarget.intProperty("renewAfterSeconds", 600, 1, 86_400);
  private final int maxAttempts = MetergateTarget.intProperty("maxAttempts", 20, 1, 1_000);
  private final int maxRetryAfterSeconds = MetergateTarget.intProperty("maxRetryAfterSeconds", 30, 1, 3_600);
  private final int p99Millis = MetergateTarget.intProperty("p99Millis", 1000, 1, 3_600_000);
  private final int deliverP99Millis = MetergateTarget.intProperty("deliverP99Millis", 5000, 1, 3_600_000);
  private final String eventName = target.eventNameOr("gatling_stream");
  private final String eventNameJson = MetergateTarget.jsonString(eventName);
  private final Duration ramp = pace.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : pace;
  private final Duration maxDuration = Duration.ofSeconds(target.durationSeconds).plus(ramp).plusSeconds(60);

  // Run-wide tallies, printed by after(). Touched from Gatling's actor threads, hence atomics.
  private final LongAdder batchesSent = new LongAdder();
  private final LongAdder batchesAcked = new LongAdder();
  private final LongAdder eventsAcked = new LongAdder();
  private final LongAdder throttled = new LongAdder();
  private final LongAdder retryAfterMillis = new LongAdder();
  private final LongAdder expired = new LongAdder();
  private final LongAdder transientErrors = new LongAdder();
  private final LongAdder rejectedBatches = new LongAdder();
  private final LongAdder rejectedEvents = new LongAdder();
  private final LongAdder uncertainEvents = new LongAdder();
  private final LongAdder sessionsOpened = new LongAdder();
  private final AtomicLong inFlightEvents = new AtomicLong();
  private final AtomicLong firstSendNanos = new AtomicLong();
  private final AtomicLong lastAckNanos = new AtomicLong();
  private final AtomicReference<String> firstError = new AtomicReference<>();
  private final LongAdder maxedOut = new LongAdder();

  // ------------------------------------------------------------------ requests

  /** Opens (or renews) this producer's meter event session with the secret key; 3 tries. */
  private final ChainBuilder openSession = tryMax(3).on(
          exec(s -> s.remove("newToken").remove("expiresAt")),
          exec(http(s -> s.getInt("sessions") == 0 ? "open session" : "renew session")
              .post("/v2/billing/meter_event_session")
              .header("Authorization", "Bearer " + target.apiKey)
              .header("Content-Type", MetergateTarget.JSON)
              .header("Idempotency-Key", s -> UUID.randomUUID().toString())
              .body(StringBody("{}"))
              .check(
                  status().is(200),
                  jmesPath("authentication_token").saveAs("newToken"),
                  jmesPath("expires_at").saveAs("expiresAt"))),
          doIf(s -> !s.contains("newToken")).then(pause(Duration.ofSeconds(1))))
      .exitHereIf(s -> !s.contains("newToken"))
      .exec(this::sessionOpened);

  /**
   * One attempt to deliver the current batch. Checks are declared in evaluation order: the values
   * the handler needs are saved first, then the status is validated (200, 429 and an expired
   * session are expected answers; anything else is KO).
   */
  private final HttpRequestActionBuilder streamRequest = http(s -> s.getString("requestName"))
      .post("/v2/billing/meter_event_stream")
      .header("Authorization", s -> "Bearer " + s.getString("token"))
      .header("Content-Type", MetergateTarget.JSON)
      .header("Idempotency-Key", s -> s.getString("idempotencyKey"))
      .body(StringBody(s -> s.getString("batch")))
      .check(status().saveAs("status"))
      .checkIf((response, s) -> response.status().code() != 200).then(
          bodyString().saveAs("errorBody"),
          header("Retry-After").optional().saveAs("retryAfter"))
      .checkIf((response, s) -> response.status().code() == 401).then(
          jmesPath("error.code").optional().saveAs("errorCode"))
      .check(status().in(200, 401, 429))
      .checkIf((response, s) -> response.status().code() == 401).then(
          jmesPath("error.code").is(EXPIRED_CODE));

  private final ScenarioBuilder producer = scenario("stream producer")
      .exec(s -> s.set("sessions", 0).set("batchSeq", 0L))
      .exec(openSession)
      .during(Duration.ofSeconds(target.durationSeconds), "loop", false).on(
          pace(pace),
          exec(this::nextBatch),
          group("deliver batch").on(
              asLongAs(s -> !s.getBoolean("done")).on(
                  doIf(this::needsSession).then(openSession),
                  exec(this::beforeSend),
                  exec(streamRequest),
                  exec(this::afterSend),
                  doIf(s -> s.getLong("backoffMs") > 0).then(
                      pause(s -> Duration.ofMillis(s.getLong("backoffMs")))))));

  public StreamProducersSimulation() {
    System.out.printf(Locale.ROOT,
        "metergate: stream producers, %s%n"
            + "metergate: meter event name %s (%s), %d events/s = %.2f batches/s of %d, %d producers, pace %d ms,"
            + " %d customers, renew sessions %ds before expiry or after %ds, hard limit %ds%n",
        target.describe(), eventName, target.eventName == null ? "created in setup" : "existing meter",
        eventsPerSecond, batchesPerSecond, batchSize, producers, pace.toMillis(), customers,
        renewBeforeExpirySeconds, renewAfterSeconds, maxDuration.toSeconds());
    setUp(producer.injectOpen(rampUsers(producers).during(ramp)))
        .protocols(target.protocol())
        .maxDuration(maxDuration)
        .assertions(
            global().failedRequests().count().is(0L),
            details("deliver batch", "stream batch").successfulRequests().count().gt(0L),
            details("deliver batch", "stream batch").responseTime().percentile(99.0).lt(p99Millis),
            details("deliver batch").responseTime().percentile(99.0).lt(deliverP99Millis));
  }

  @Override
  public void before() {
    if (target.eventName == null) {
      String id = target.createMeter(eventName, "Gatling stream " + target.runId);
      System.out.println("metergate: setup created meter " + id + " for event name " + eventName);
    }
  }

  @Override
  public void after() {
    long acked = eventsAcked.sum();
    long first = firstSendNanos.get();
    long last = lastAckNanos.get();
    double seconds = first == 0 || last <= first ? 0 : (last - first) / 1e9;
    long unconfirmed = uncertainEvents.sum() + Math.max(0, inFlightEvents.get());
    StringBuilder sb = new StringBuilder();
    sb.append("\n================ Metergate stream summary ================\n");
    sb.append(String.format(Locale.ROOT, "run id               %s%n", target.runId));
    sb.append(String.format(Locale.ROOT, "event name           %s%n", eventName));
    sb.append(String.format(Locale.ROOT, "target               %d events/s (%.2f batches/s, %d producers)%n",
        eventsPerSecond, batchesPerSecond, producers));
    sb.append(String.format(Locale.ROOT, "achieved             %.0f events/s over %.1f s (first send to last ack)%n",
        seconds > 0 ? acked / seconds : 0.0, seconds));
    sb.append(String.format(Locale.ROOT, "acknowledged         %d events in %d batches (%d batches started)%n",
        acked, batchesAcked.sum(), batchesSent.sum()));
    sb.append(String.format(Locale.ROOT, "sessions opened      %d (%d producers, so %d renewals)%n",
        sessionsOpened.sum(), producers, Math.max(0, sessionsOpened.sum() - producers)));
    sb.append(String.format(Locale.ROOT, "429 throttled        %d (resent after Retry-After; %.1f s waited in total)%n",
        throttled.sum(), retryAfterMillis.sum() / 1000.0));
    sb.append(String.format(Locale.ROOT, "401 session expired  %d (renewed and resent)%n", expired.sum()));
    sb.append(String.format(Locale.ROOT, "5xx / no response    %d (resent after backoff)%n", transientErrors.sum()));
    sb.append(String.format(Locale.ROOT, "rejected batches     %d (%d events; other 4xx, dropped)%n",
        rejectedBatches.sum(), rejectedEvents.sum()));
    sb.append(String.format(Locale.ROOT, "abandoned batches    %d (after %d attempts)%n", maxedOut.sum(), maxAttempts));
    sb.append(String.format(Locale.ROOT, "unconfirmed events   %d (may or may not be stored)%n", unconfirmed));
    if (firstError.get() != null) {
      sb.append("first error          ").append(firstError.get()).append('\n');
    }
    sb.append("verify rows          expect ")
        .append(unconfirmed == 0 ? Long.toString(acked) : acked + ".." + (acked + unconfirmed)).append(":\n");
    sb.append("  psql -h 127.0.0.1 -U postgres metergate -c \"select count(*) from meter_events where identifier like '")
        .append(target.runId).append("-%'\"\n");
    sb.append("==========================================================\n");
    System.out.print(sb);
    System.out.flush();
  }

  // ------------------------------------------------------------------ session state (per user)

  private boolean needsSession(Session s) {
    return !s.contains("token") || System.currentTimeMillis() >= s.getLong("renewAt");
  }

  private Session sessionOpened(Session s) {
    long now = System.currentTimeMillis();
    long renewAt = now + renewAfterSeconds * 1000L;
    String expiresAt = s.getString("expiresAt");
    if (expiresAt != null) {
      try {
        long expires = OffsetDateTime.parse(expiresAt).toInstant().toEpochMilli();
        renewAt = Math.min(renewAt, expires - renewBeforeExpirySeconds * 1000L);
      } catch (DateTimeParseException e) {
        firstError.compareAndSet(null, "session expires_at is not RFC 3339: " + expiresAt);
      }
    }
    // Never renew more often than every 5 s, whatever the settings and the server's clock say.
    renewAt = Math.max(renewAt, now + 5_000L);
    sessionsOpened.increment();
    return s.set("token", s.getString("newToken"))
        .set("renewAt", renewAt)
        .set("sessions", s.getInt("sessions") + 1)
        .remove("newToken");
  }

  // ------------------------------------------------------------------ batches

  private Session nextBatch(Session s) {
    long seq = s.getLong("batchSeq") + 1;
    String prefix = target.runId + "-" + s.userId() + "-" + seq + "-";
    String ts = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
    ThreadLocalRandom rnd = ThreadLocalRandom.current();
    StringBuilder sb = new StringBuilder(64 + batchSize * (150 + eventNameJson.length() + prefix.length()));
    sb.append("{\"events\":[");
    for (int i = 0; i < batchSize; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append("{\"event_name\":").append(eventNameJson)
          .append(",\"identifier\":\"").append(prefix).append(i)
          .append("\",\"payload\":{\"stripe_customer_id\":\"cus_").append(rnd.nextInt(customers))
          .append("\",\"value\":\"1\"},\"timestamp\":\"").append(ts).append("\"}");
    }
    sb.append("]}");
    batchesSent.increment();
    return s.set("batchSeq", seq)
        .set("batch", sb.toString())
        .set("batchEvents", batchSize)
        .set("idempotencyKey", UUID.randomUUID().toString())
        .set("attempts", 0)
        .set("uncertain", false)
        .set("done", false)
        .set("backoffMs", 0L)
        .set("requestName", "stream batch");
  }

  private Session beforeSend(Session s) {
    firstSendNanos.compareAndSet(0, System.nanoTime());
    inFlightEvents.addAndGet(s.getInt("batchEvents"));
    return s.removeAll("status", "errorBody", "errorCode", "retryAfter");
  }

  private Session afterSend(Session s) {
    int events = s.getInt("batchEvents");
    inFlightEvents.addAndGet(-events);
    int attempts = s.getInt("attempts") + 1;
    Integer status = s.contains("status") ? s.getInt("status") : null;
    boolean uncertain = s.getBoolean("uncertain");
    boolean done = false;
    long backoffMs = 0;
    String reason = null;
    if (status != null && status == 200) {
      batchesAcked.increment();
      eventsAcked.add(events);
      lastAckNanos.accumulateAndGet(System.nanoTime(), Math::max);
      done = true;
    } else if (status != null && status == 429) {
      throttled.increment();
      backoffMs = retryAfterMillis(s.getString("retryAfter"));
      retryAfterMillis.add(backoffMs);
      reason = "resend after 429";
    } else if (status != null && status == 401 && EXPIRED_CODE.equals(s.getString("errorCode"))) {
      expired.increment();
      s = s.remove("token");
      reason = "resend after 401";
    } else if (status == null || status >= 500) {
      transientErrors.increment();
      uncertain = true;
      noteError(status, s.getString("errorBody"));
      backoffMs = Math.min(5_000L, 250L << Math.min(attempts - 1, 5)) + ThreadLocalRandom.current().nextLong(100);
      reason = "resend after error";
    } else {
      rejectedBatches.increment();
      rejectedEvents.add(events);
      noteError(status, s.getString("errorBody"));
      done = true;
    }
    if (!done && attempts >= maxAttempts) {
      maxedOut.increment();
      noteError(status, "gave up after " + attempts + " attempts");
      done = true;
    }
    if (done && uncertain && (status == null || status != 200)) {
      uncertainEvents.add(events); // an attempt without a clear answer may have been stored
    }
    return s.set("attempts", attempts)
        .set("uncertain", uncertain)
        .set("done", done)
        .set("backoffMs", done ? 0L : backoffMs)
        .set("requestName", reason == null ? "stream batch" : "stream batch (" + reason + ")");
  }

  private long retryAfterMillis(String header) {
    long seconds = 1;
    if (header != null) {
      try {
        seconds = Long.parseLong(header.trim());
      } catch (NumberFormatException e) {
        seconds = 1; // an HTTP date is allowed by RFC 9110 but not sent by Metergate
      }
    }
    seconds = Math.max(0, Math.min(seconds, maxRetryAfterSeconds));
    // A little jitter so that producers throttled together do not all come back in the same tick.
    return seconds * 1000L + ThreadLocalRandom.current().nextLong(50);
  }

  private void noteError(Integer status, String body) {
    firstError.compareAndSet(null, (status == null ? "no response" : "HTTP " + status) + ": "
        + MetergateTarget.abbreviate(body, 300));
  }
}
