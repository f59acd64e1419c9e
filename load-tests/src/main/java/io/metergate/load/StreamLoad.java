package io.metergate.load;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Non-blocking load generator for the Stripe-compatible v2 meter event stream.
 *
 * <p>Opens a meter event session with the API key, then keeps {@code --producers} stream requests
 * of {@code --batch} events in flight (closed loop), or paces them at {@code --rate} events/s
 * (open loop, latency measured from the intended send time). Every event carries a unique
 * identifier {@code <run id>-<sequence>}, so the rows a run stored can be counted in PostgreSQL.
 *
 * <p>All load state lives on a single Vert.x event loop context and is touched only from it; the
 * main thread only waits, prints progress handed over through a queue, and writes the report.
 */
public final class StreamLoad {
  static final int MAX_BATCH = 100;
  static final Set<String> LOOPBACK_HOSTS = Set.of("127.0.0.1", "localhost", "::1", "0:0:0:0:0:0:0:1");
  static final long PROGRESS_EVERY_MS = 5_000;
  /** Held strongly so the level set in main() sticks. */
  static final java.util.logging.Logger QUIET_LOGGER =
      java.util.logging.Logger.getLogger("io.vertx.core.net.impl.ConnectionBase");

  // ---------------------------------------------------------------- options

  /** Command-line options; {@code --flag value} or {@code --flag=value}. */
  static final class Options {
    String baseUrl = "http://127.0.0.1:8080";
    String apiKey = "sk_test_metergate_dev";
    String eventName;
    int producers = 32;
    int batch = 100;
    int durationS = 30;
    int warmupS = 5;
    double rate;
    int customers = 1000;
    String jsonOut;
    boolean allowRemote;
    int requestTimeoutS = 10;
    int drainTimeoutS = 10;
    int maxErrors = 100;
    int renewAfterS = 600;
    String ackedOut;
    boolean retryForever;
    boolean help;

    // derived from baseUrl
    Target target;

    static Options parse(String[] args) {
      Options o = new Options();
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        if (!arg.startsWith("--")) {
          throw new IllegalArgumentException("unexpected argument '" + arg + "'");
        }
        String name = arg;
        String value = null;
        int eq = arg.indexOf('=');
        if (eq > 0) {
          name = arg.substring(0, eq);
          value = arg.substring(eq + 1);
        }
        if (name.equals("--help") || name.equals("--allow-remote") || name.equals("--retry-forever")) {
          if (value != null) {
            throw new IllegalArgumentException(name + " takes no value");
          }
          if (name.equals("--help")) {
            o.help = true;
          } else if (name.equals("--allow-remote")) {
            o.allowRemote = true;
          } else {
            o.retryForever = true;
          }
          continue;
        }
        if (value == null) {
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException(name + " needs a value");
          }
          value = args[++i];
        }
        switch (name) {
          case "--base-url": o.baseUrl = value; break;
          case "--api-key": o.apiKey = value; break;
          case "--event-name": o.eventName = value.isEmpty() ? null : value; break;
          case "--producers": o.producers = intIn(name, value, 1, 10_000); break;
          case "--batch": o.batch = intIn(name, value, 1, MAX_BATCH); break;
          case "--duration": o.durationS = intIn(name, value, 1, 86_400); break;
          case "--warmup": o.warmupS = intIn(name, value, 0, 3_600); break;
          case "--rate": o.rate = rate(value); break;
          case "--customers": o.customers = intIn(name, value, 1, 100_000_000); break;
          case "--json-out": o.jsonOut = value; break;
          case "--request-timeout": o.requestTimeoutS = intIn(name, value, 1, 600); break;
          case "--drain-timeout": o.drainTimeoutS = intIn(name, value, 0, 600); break;
          case "--max-errors": o.maxErrors = intIn(name, value, 1, Integer.MAX_VALUE); break;
          case "--renew-after": o.renewAfterS = intIn(name, value, 1, 86_400); break;
          case "--acked-out": o.ackedOut = value.isEmpty() ? null : value; break;
          default: throw new IllegalArgumentException("unknown option " + name);
        }
      }
      if (!o.help) {
        o.target = Target.parse("--base-url", "target", o.baseUrl, o.allowRemote);
      }
      return o;
    }

    private static int intIn(String name, String value, int min, int max) {
      int n;
      try {
        n = Integer.parseInt(value.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(name + " must be an integer, got '" + value + "'");
      }
      if (n < min || n > max) {
        throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + n);
      }
      return n;
    }

    private static double rate(String value) {
      double r;
      try {
        r = Double.parseDouble(value.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--rate must be a number, got '" + value + "'");
      }
      if (!(r >= 0) || Double.isInfinite(r)) {
        throw new IllegalArgumentException("--rate must be >= 0");
      }
      return r;
    }
  }

  static final String USAGE = String.join("\n",
      "usage: java -jar metergate-load.jar [options]",
      "  --base-url URL          gateway base URL (default http://127.0.0.1:8080; loopback only)",
      "  --api-key KEY           secret API key (default sk_test_metergate_dev)",
      "  --event-name NAME       existing meter event name (default: create meter bench_<random>)",
      "  --producers N           concurrent in-flight stream requests (default 32)",
      "  --batch N               events per request, 1..100 (default 100)",
      "  --duration S            measured seconds after warm-up (default 30)",
      "  --warmup S              warm-up seconds, excluded from the stats (default 5)",
      "  --rate R                target events/s, open loop; 0 = as fast as possible (default 0)",
      "  --customers N           distinct stripe_customer_id values cus_0..cus_N-1 (default 1000)",
      "  --json-out FILE         also write the report as JSON",
      "  --request-timeout S     per-request idle timeout (default 10)",
      "  --drain-timeout S       max seconds to wait for in-flight batches after the end (default 10)",
      "  --max-errors N          stop early after N non-retryable errors (default 100)",
      "  --renew-after S         renew the meter event session after S seconds (default 600)",
      "  --acked-out FILE        write one line per acknowledged batch: <run id> TAB <first seq> TAB <events>",
      "                          (identifiers <run id>-<first seq> .. <run id>-<first seq + events - 1>)",
      "  --retry-forever         for fault tests: also retry setup (meter, session) on 429/5xx/connection errors,",
      "                          send no new batch after the duration (only resend unacknowledged ones until the",
      "                          drain deadline, see --drain-timeout) and do not log each connection reset",
      "  --allow-remote          allow a non-loopback base URL",
      "  --help");

  // ---------------------------------------------------------------- state (event loop only)

  private static final class Batch {
    final Buffer body;
    final long firstSeq;
    final int events;
    final long intendedNs;
    int attempts;
    int sessionRetries;

    Batch(Buffer body, long firstSeq, int events, long intendedNs) {
      this.body = body;
      this.firstSeq = firstSeq;
      this.events = events;
      this.intendedNs = intendedNs;
    }
  }

  /** An HTTP answer that made a setup step fail; retryable ones (429, 5xx) are retried with --retry-forever. */
  private static final class SetupFailure extends RuntimeException {
    final int status;
    final String body;

    SetupFailure(String message, int status, String body) {
      super(message);
      this.status = status;
      this.body = body;
    }

    boolean retryable() {
      return status == 429 || status >= 500;
    }
  }

  /** Batches per session attempt that may be resent after a 401 before the batch is dropped. */
  static final int MAX_SESSION_RETRIES = 3;
  /** How often the main thread flushes --acked-out (it also flushes at the end). */
  static final long ACKED_FLUSH_MS = 200;

  private static final class Stats {
    long requests;
    long batchesAcked;
    long eventsAcked;

    JsonObject json() {
      return new JsonObject().put("requests", requests).put("batches_acked", batchesAcked).put("events_acked", eventsAcked);
    }
  }

  private final Options o;
  private final Vertx vertx;
  private final GatewayHttp http;
  private final Context context;
  private final String runId;
  private final String verifySql;
  private final CompletableFuture<JsonObject> done = new CompletableFuture<>();
  private final Queue<String> messages = new ConcurrentLinkedQueue<>();
  /** Acknowledged batches as {first seq, events}, handed from the event loop to the main thread. */
  private final Queue<long[]> ackedBatches = new ConcurrentLinkedQueue<>();
  private BufferedWriter ackedWriter;
  private long ackedLinesWritten;

  private String eventName;
  private String eventNameJson;
  private boolean meterCreated;
  private String token;
  private long sessionsOpened;
  private long renewTimer = -1;
  private long tokenGeneration;
  private Future<Void> reopening;
  private long sessionReopens;
  private long setupRetries;

  private long startNs;
  private long warmupEndNs;
  private long endNs;
  private long drainDeadlineNs;
  private long intervalNs; // open loop only
  private long openLoopIndex;
  private long wakeTimer = -1;
  private long progressTimer = -1;
  private long endTimer = -1;
  private long drainTimer = -1;
  private boolean finished;
  private String stopReason;

  private long seq;
  private int inFlight;
  private final Stats total = new Stats();
  private final Stats measured = new Stats();
  private final Map<Integer, Long> statusCounts = new TreeMap<>();
  private long connectionErrors;
  private long retries;
  private long droppedBatches;
  private long droppedEvents;
  private long abandonedBatches;
  private long abandonedEvents;
  private long nonRetryableErrors;
  private Integer firstErrorStatus;
  private String firstErrorBody;
  private String firstConnectionError;
  private final Latency latency = new Latency();
  private long lastProgressNs;
  private long lastProgressEvents;

  private StreamLoad(Options o) {
    this.o = o;
    this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    int poolSize = o.producers + 2; // +2 for session renewal and setup next to the producers
    this.http = new GatewayHttp(vertx, o.target, poolSize, o.requestTimeoutS);
    this.context = vertx.getOrCreateContext();
    String hex = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL | 0x1000000L).substring(1);
    this.runId = "lt" + DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC).format(Instant.now())
        + "-" + hex;
    this.verifySql = "select count(*) from meter_events where identifier like '" + runId + "-%'";
  }

  public static void main(String[] args) {
    Options o;
    try {
      o = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("stream-load: " + e.getMessage() + " (see --help)");
      System.exit(2);
      return;
    }
    if (o.help) {
      System.out.println(USAGE);
      return;
    }
    if (o.retryForever) {
      // Vert.x logs every reset connection through java.util.logging; a killed gateway resets them all on purpose.
      QUIET_LOGGER.setLevel(java.util.logging.Level.OFF);
    }
    System.exit(new StreamLoad(o).run());
  }

  /** Runs on the main thread: starts the event loop work, waits (bounded), reports. */
  private int run() {
    long setupBudgetS = 3L * o.requestTimeoutS;
    long hardLimitS = setupBudgetS + o.warmupS + o.durationS + o.drainTimeoutS + 10;
    long hardDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(hardLimitS);
    System.err.printf("stream-load: run id %s, target %s, producers %d, batch %d, warmup %ds, duration %ds, rate %s%n",
        runId, o.baseUrl, o.producers, o.batch, o.warmupS, o.durationS,
        o.rate > 0 ? o.rate + " events/s (open loop)" : "max (closed loop)");
    if (o.ackedOut != null) {
      try {
        ackedWriter = Files.newBufferedWriter(Path.of(o.ackedOut), StandardCharsets.UTF_8);
      } catch (IOException e) {
        System.err.println("stream-load: could not open " + o.ackedOut + ": " + e);
        closeQuietly();
        return 2;
      }
    }
    context.runOnContext(v -> setup());
    JsonObject report = null;
    long waitMs = ackedWriter != null ? ACKED_FLUSH_MS : 500;
    while (report == null) {
      drainMessages();
      if (!drainAcked()) {
        closeQuietly();
        return 2;
      }
      long left = hardDeadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      try {
        report = done.get(Math.min(left, TimeUnit.MILLISECONDS.toNanos(waitMs)), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        // keep waiting, printing progress
      } catch (Exception e) {
        drainMessages();
        drainAcked();
        System.err.println("stream-load: failed: " + BenchRun.rootMessage(e));
        closeQuietly();
        closeAcked();
        return 2;
      }
    }
    drainMessages();
    // Everything acknowledged before finish() is in the queue by now: finish() runs on the event loop after the
    // last acked() it counts, and completes the future the main thread just saw.
    boolean ackedOk = drainAcked();
    if (report == null) {
      System.err.println("stream-load: did not finish within the hard limit of " + hardLimitS + "s; forcing exit");
      System.err.flush();
      closeAcked();
      Runtime.getRuntime().halt(3);
    }
    closeQuietly();
    ackedOk &= drainAcked() && closeAcked();
    if (!ackedOk) {
      return 2;
    }
    if (ackedWriter != null) {
      report.put("acked_out", new JsonObject().put("file", o.ackedOut).put("lines", ackedLinesWritten));
    }
    System.out.println(render(report));
    if (o.jsonOut != null) {
      try {
        Files.writeString(Path.of(o.jsonOut), report.encodePrettily() + "\n", StandardCharsets.UTF_8);
      } catch (IOException e) {
        System.err.println("stream-load: could not write " + o.jsonOut + ": " + e);
        return 2;
      }
    }
    JsonObject totals = report.getJsonObject("total");
    boolean failed = droppedBatchesOf(report) > 0 || totals.getLong("events_acked") == 0;
    return failed ? 1 : 0;
  }

  private static long droppedBatchesOf(JsonObject report) {
    return report.getJsonObject("errors").getLong("dropped_batches");
  }

  /** Main thread: appends acknowledged batches to --acked-out and flushes; false (reported once) on an I/O error. */
  private boolean drainAcked() {
    if (ackedWriter == null) {
      return true;
    }
    long[] a;
    try {
      boolean wrote = false;
      while ((a = ackedBatches.poll()) != null) {
        ackedWriter.write(runId);
        ackedWriter.write('\t');
        ackedWriter.write(Long.toString(a[0]));
        ackedWriter.write('\t');
        ackedWriter.write(Long.toString(a[1]));
        ackedWriter.write('\n');
        ackedLinesWritten++;
        wrote = true;
      }
      if (wrote) {
        ackedWriter.flush();
      }
      return true;
    } catch (IOException e) {
      System.err.println("stream-load: could not write " + o.ackedOut + ": " + e);
      try {
        ackedWriter.close();
      } catch (IOException ignored) {
        // already failing
      }
      ackedWriter = null;
      return false;
    }
  }

  private boolean closeAcked() {
    if (ackedWriter == null) {
      return true;
    }
    try {
      ackedWriter.close();
      return true;
    } catch (IOException e) {
      System.err.println("stream-load: could not write " + o.ackedOut + ": " + e);
      return false;
    }
  }

  private void drainMessages() {
    MainThread.print(messages);
  }

  private void closeQuietly() {
    MainThread.awaitQuietly(http::close);
    MainThread.awaitQuietly(vertx::close);
  }

  private void say(String message) {
    messages.add("stream-load: " + message);
  }

  // ---------------------------------------------------------------- setup (event loop)

  private void setup() {
    long setupDeadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(3L * o.requestTimeoutS);
    Future<String> name;
    if (o.eventName != null) {
      name = Future.succeededFuture(o.eventName);
    } else {
      String fresh = "bench_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffffL);
      name = setupStep("creating meter", setupDeadlineNs, attempt -> createMeter(fresh, attempt));
    }
    name.compose(n -> setupStep("opening the session", setupDeadlineNs, attempt -> openSession()).map(n))
        .onSuccess(this::startLoad)
        .onFailure(done::completeExceptionally);
  }

  /**
   * Runs one setup request; with --retry-forever, resends it after 429, 5xx and connection errors (gateway
   * restarting, database away) until the setup budget is spent.
   */
  private <T> Future<T> setupStep(String what, long deadlineNs, java.util.function.IntFunction<Future<T>> step) {
    io.vertx.core.Promise<T> promise = io.vertx.core.Promise.promise();
    setupAttempt(what, deadlineNs, step, 1, promise);
    return promise.future();
  }

  private <T> void setupAttempt(String what, long deadlineNs, java.util.function.IntFunction<Future<T>> step,
                                int attempt, io.vertx.core.Promise<T> promise) {
    step.apply(attempt).onComplete(ar -> {
      if (ar.succeeded()) {
        promise.complete(ar.result());
        return;
      }
      Throwable err = ar.cause();
      boolean retryable = !(err instanceof SetupFailure) || ((SetupFailure) err).retryable();
      long delayMs = BenchRun.backoffMs(attempt);
      if (!o.retryForever || !retryable || System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs) >= deadlineNs) {
        promise.fail(err);
        return;
      }
      setupRetries++;
      say(what + " failed (" + BenchRun.rootMessage(err) + "); retrying in " + delayMs + " ms");
      vertx.setTimer(delayMs, id -> setupAttempt(what, deadlineNs, step, attempt + 1, promise));
    });
  }

  private Future<String> createMeter(String name, int attempt) {
    Buffer form = new Form().add("display_name", name).add("event_name", name).add("default_aggregation[formula]", "sum")
        .buffer();
    return call("/v1/billing/meters", "Bearer " + o.apiKey, "application/x-www-form-urlencoded", form)
        .compose(r -> {
          if (r.status() != 200) {
            if (attempt > 1 && r.status() == 400 && r.body().toString().contains("resource_already_exists")) {
              // An earlier attempt created it but its answer was lost; the random name is ours.
              meterCreated = true;
              say("meter with event_name " + name + " was created by an earlier attempt");
              return Future.succeededFuture(name);
            }
            return Future.failedFuture(new SetupFailure(
                "creating meter " + name + " failed: HTTP " + r.status() + " " + r.body(), r.status(), r.body().toString()));
          }
          meterCreated = true;
          say("created meter " + r.body().toJsonObject().getString("id") + " with event_name " + name);
          return Future.succeededFuture(name);
        });
  }

  private Future<Void> openSession() {
    return call("/v2/billing/meter_event_session", "Bearer " + o.apiKey, "application/json", Buffer.buffer("{}"))
        .compose(r -> {
          if (r.status() != 200) {
            return Future.failedFuture(new SetupFailure(
                "opening meter event session failed: HTTP " + r.status() + " " + r.body(), r.status(), r.body().toString()));
          }
          JsonObject json = r.body().toJsonObject();
          String t = json.getString("authentication_token");
          if (t == null || t.isEmpty()) {
            return Future.failedFuture("meter event session has no authentication_token: " + r.body());
          }
          token = t;
          tokenGeneration++;
          sessionsOpened++;
          scheduleRenewal(json.getString("expires_at"));
          return Future.<Void>succeededFuture();
        });
  }

  /** Renews --renew-after (10 minutes) after issue, or 2 minutes before expiry if that is sooner. */
  private void scheduleRenewal(String expiresAt) {
    long delayNs = TimeUnit.SECONDS.toNanos(o.renewAfterS);
    if (expiresAt != null) {
      try {
        long untilExpiry = Duration.between(Instant.now(), OffsetDateTime.parse(expiresAt).toInstant()).toNanos();
        delayNs = Math.min(delayNs, untilExpiry - TimeUnit.MINUTES.toNanos(2));
      } catch (RuntimeException e) {
        say("could not parse session expires_at '" + expiresAt + "'; renewing after " + o.renewAfterS + "s");
      }
    }
    armRenewal(Math.max(1_000, TimeUnit.NANOSECONDS.toMillis(delayNs)));
  }

  private void armRenewal(long delayMs) {
    if (finished) {
      return;
    }
    if (renewTimer != -1) {
      vertx.cancelTimer(renewTimer); // a session re-opened after a 401 replaces the pending renewal
    }
    renewTimer = vertx.setTimer(delayMs, id -> {
      renewTimer = -1;
      if (finished) {
        return;
      }
      openSession()
          .onSuccess(v -> say("renewed meter event session"))
          .onFailure(err -> {
            say("session renewal failed (" + err.getMessage() + "); retrying in 5s");
            armRenewal(5_000);
          });
    });
  }

  private Future<GatewayHttp.Reply> call(String path, String authorization, String contentType, Buffer body) {
    return http.post(path, authorization, contentType, body, null);
  }

  // ---------------------------------------------------------------- load (event loop)

  private void startLoad(String name) {
    eventName = name;
    eventNameJson = Json.encode(name);
    startNs = System.nanoTime();
    warmupEndNs = startNs + TimeUnit.SECONDS.toNanos(o.warmupS);
    endNs = warmupEndNs + TimeUnit.SECONDS.toNanos(o.durationS);
    drainDeadlineNs = endNs + TimeUnit.SECONDS.toNanos(o.drainTimeoutS);
    if (o.rate > 0) {
      intervalNs = Math.max(1L, Math.round(o.batch * 1e9 / o.rate));
    }
    lastProgressNs = startNs;
    say("session open; sending events for meter event_name " + name);
    progressTimer = vertx.setPeriodic(PROGRESS_EVERY_MS, id -> progress());
    endTimer = vertx.setTimer(msUntil(endNs), id -> {
      endTimer = -1;
      pump();
    });
    drainTimer = vertx.setTimer(msUntil(drainDeadlineNs), id -> {
      drainTimer = -1;
      if (inFlight > 0) {
        say("drain timeout: " + inFlight + " batches still unconfirmed");
      }
      finish();
    });
    pump();
  }

  private static long msUntil(long deadlineNs) {
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime()) + 1);
  }

  /** Starts as many batches as free producers and the pacing allow; finishes when all is done. */
  private void pump() {
    if (finished) {
      return;
    }
    long now = System.nanoTime();
    while (inFlight < o.producers) {
      long intended;
      if (o.rate <= 0) {
        if (now >= endNs) {
          break;
        }
        intended = now;
      } else {
        long next = startNs + openLoopIndex * intervalNs;
        if (next >= endNs || (o.retryForever && now >= endNs)) {
          break; // with --retry-forever, a backlog left by an outage is not sent during the drain
        }
        if (next > now) {
          armWake(next - now);
          break;
        }
        intended = next;
        openLoopIndex++;
      }
      inFlight++;
      send(newBatch(intended));
    }
    if (inFlight == 0 && (now >= endNs || (o.rate > 0 && startNs + openLoopIndex * intervalNs >= endNs))) {
      finish();
    }
  }

  private void armWake(long delayNs) {
    if (wakeTimer != -1) {
      return;
    }
    long ms = Math.max(1, (delayNs + 999_999) / 1_000_000);
    wakeTimer = vertx.setTimer(ms, id -> {
      wakeTimer = -1;
      pump();
    });
  }

  private Batch newBatch(long intendedNs) {
    String ts = DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    ThreadLocalRandom rnd = ThreadLocalRandom.current();
    StringBuilder sb = new StringBuilder(64 + o.batch * (140 + eventNameJson.length()));
    sb.append("{\"events\":[");
    long firstSeq = seq;
    for (int i = 0; i < o.batch; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append("{\"event_name\":").append(eventNameJson)
          .append(",\"identifier\":\"").append(runId).append('-').append(seq++)
          .append("\",\"payload\":{\"stripe_customer_id\":\"cus_").append(rnd.nextInt(o.customers))
          .append("\",\"value\":\"1\"},\"timestamp\":\"").append(ts).append("\"}");
    }
    sb.append("]}");
    return new Batch(Buffer.buffer(sb.toString()), firstSeq, o.batch, intendedNs);
  }

  private void send(Batch b) {
    if (finished) {
      return;
    }
    b.attempts++;
    if (b.attempts > 1) {
      retries++;
    }
    long sentGeneration = tokenGeneration;
    call("/v2/billing/meter_event_stream", "Bearer " + token, "application/json", b.body)
        .onComplete(ar -> {
          if (finished) {
            return; // reported as in flight at exit
          }
          long now = System.nanoTime();
          boolean inWindow = now >= warmupEndNs && now < endNs;
          total.requests++;
          if (inWindow) {
            measured.requests++;
          }
          if (ar.failed()) {
            connectionErrors++;
            if (firstConnectionError == null) {
              firstConnectionError = BenchRun.rootMessage(ar.cause());
              say("first connection error: " + firstConnectionError);
            }
            retryLater(b, BenchRun.backoffMs(b.attempts));
            return;
          }
          GatewayHttp.Reply r = ar.result();
          if (r.status() == 200) {
            acked(b, now, inWindow);
            return;
          }
          statusCounts.merge(r.status(), 1L, Long::sum);
          if (r.status() == 429) {
            retryLater(b, retryAfterMs(r.retryAfter()));
          } else if (r.status() >= 500) {
            retryLater(b, BenchRun.backoffMs(b.attempts));
          } else if (r.status() == 401 && b.sessionRetries < MAX_SESSION_RETRIES) {
            // The session token was refused (expired, or a gateway that no longer knows its secret): open a new
            // session, as a real client would, and resend the same batch with it.
            b.sessionRetries++;
            if (b.sessionRetries == 1 && sessionReopens == 0) {
              say("session token refused: HTTP 401 " + r.body() + "; opening a new session");
            }
            reopenSession(sentGeneration).onComplete(s -> {
              if (finished) {
                return;
              }
              if (s.failed()) {
                b.sessionRetries--; // the gateway did not answer; that is not the token's fault
                retryLater(b, BenchRun.backoffMs(b.attempts));
              } else {
                retryLater(b, 1);
              }
            });
          } else {
            nonRetryableErrors++;
            droppedBatches++;
            droppedEvents += b.events;
            if (firstErrorStatus == null) {
              firstErrorStatus = r.status();
              firstErrorBody = r.body().toString();
              say("first error: HTTP " + r.status() + " " + firstErrorBody);
            }
            release();
            if (nonRetryableErrors >= o.maxErrors && stopReason == null) {
              stopReason = "stopped early after " + nonRetryableErrors + " non-retryable errors";
              say(stopReason);
              endNs = Math.min(endNs, now);
              drainDeadlineNs = Math.min(drainDeadlineNs, now + TimeUnit.SECONDS.toNanos(o.drainTimeoutS));
            }
            pump();
          }
        });
  }

  /** Opens one new session for all batches refused with the token of {@code generation}. */
  private Future<Void> reopenSession(long generation) {
    if (tokenGeneration > generation) {
      return Future.succeededFuture(); // already replaced since that batch was sent
    }
    if (reopening == null) {
      sessionReopens++;
      reopening = openSession()
          .onComplete(ar -> {
            reopening = null;
            if (ar.failed()) {
              say("re-opening the session failed: " + BenchRun.rootMessage(ar.cause()));
            }
          });
    }
    return reopening;
  }

  private void acked(Batch b, long now, boolean inWindow) {
    if (o.ackedOut != null) {
      ackedBatches.add(new long[] {b.firstSeq, b.events});
    }
    total.batchesAcked++;
    total.eventsAcked += b.events;
    if (inWindow) {
      measured.batchesAcked++;
      measured.eventsAcked += b.events;
    }
    // Latency is kept for every batch meant to be sent after warm-up, including those acknowledged
    // while draining: dropping the slow tail at the end would flatter an overloaded gateway.
    if (b.intendedNs >= warmupEndNs) {
      latency.recordNanos(now - b.intendedNs);
    }
    release();
    pump();
  }

  private void release() {
    inFlight--;
  }

  /** Resends the very same batch (same identifiers) later, unless that is past the drain deadline. */
  private void retryLater(Batch b, long delayMs) {
    if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs) >= drainDeadlineNs) {
      abandonedBatches++;
      abandonedEvents += b.events;
      release();
      pump();
      return;
    }
    vertx.setTimer(delayMs, id -> send(b));
  }

  static long retryAfterMs(String header) {
    if (header != null) {
      try {
        double s = Double.parseDouble(header.trim());
        if (s >= 0) {
          return Math.max(1, Math.min(60_000, Math.round(s * 1000)));
        }
      } catch (NumberFormatException e) {
        // an HTTP date or garbage: fall back
      }
    }
    return 1_000;
  }

  private void progress() {
    long now = System.nanoTime();
    double secs = (now - lastProgressNs) / 1e9;
    double eps = secs > 0 ? (total.eventsAcked - lastProgressEvents) / secs : 0;
    lastProgressNs = now;
    lastProgressEvents = total.eventsAcked;
    String phase = now < warmupEndNs ? "warmup" : now < endNs ? "measure" : "drain";
    long r429 = statusCounts.getOrDefault(429, 0L);
    say(String.format(Locale.ROOT, "t=%5.1fs %-7s acked=%d (%.0f ev/s) in_flight=%d 429=%d errors=%d conn_errors=%d",
        (now - startNs) / 1e9, phase, total.eventsAcked, eps, inFlight, r429,
        statusCounts.values().stream().mapToLong(Long::longValue).sum() - r429, connectionErrors));
  }

  private void finish() {
    if (finished) {
      return;
    }
    finished = true;
    for (long t : new long[] {wakeTimer, progressTimer, endTimer, drainTimer, renewTimer}) {
      if (t != -1) {
        vertx.cancelTimer(t);
      }
    }
    done.complete(report(System.nanoTime()));
  }

  private JsonObject report(long now) {
    // The nominal window (shortened only by an early stop); acknowledgements count by arrival time.
    double windowS = Math.max(0, endNs - warmupEndNs) / 1e9;
    JsonObject m = measured.json()
        .put("window_s", Latency.round(windowS))
        .put("events_per_s", Latency.round(windowS > 0 ? measured.eventsAcked / windowS : 0))
        .put("requests_per_s", Latency.round(windowS > 0 ? measured.batchesAcked / windowS : 0));
    JsonObject byStatus = new JsonObject();
    statusCounts.forEach((k, v) -> byStatus.put(Integer.toString(k), v));
    JsonObject errors = new JsonObject()
        .put("by_status", byStatus)
        .put("rate_limited_429", statusCounts.getOrDefault(429, 0L))
        .put("connection_errors", connectionErrors)
        .put("retries", retries)
        .put("session_reopens", sessionReopens)
        .put("setup_retries", setupRetries)
        .put("dropped_batches", droppedBatches)
        .put("dropped_events", droppedEvents)
        .put("abandoned_batches", abandonedBatches)
        .put("abandoned_events", abandonedEvents)
        .put("in_flight_at_exit_batches", inFlight)
        .put("in_flight_at_exit_events", (long) inFlight * o.batch);
    if (firstErrorStatus != null) {
      errors.put("first_error", new JsonObject().put("status", firstErrorStatus).put("body", firstErrorBody));
    }
    if (firstConnectionError != null) {
      errors.put("first_connection_error", firstConnectionError);
    }
    JsonObject lat = latency.json();
    long unconfirmed = abandonedEvents + (long) inFlight * o.batch;
    JsonObject verify = new JsonObject()
        .put("sql", verifySql)
        .put("psql", "psql -h 127.0.0.1 -U postgres metergate -c \"" + verifySql + "\"")
        .put("expected_rows_min", total.eventsAcked)
        .put("expected_rows_max", total.eventsAcked + unconfirmed);
    JsonObject report = new JsonObject()
        .put("run_id", runId)
        .put("identifier_prefix", runId + "-")
        .put("base_url", o.baseUrl)
        .put("event_name", eventName)
        .put("meter_created", meterCreated)
        .put("mode", o.rate > 0 ? "open_loop" : "closed_loop")
        .put("config", new JsonObject()
            .put("producers", o.producers)
            .put("batch", o.batch)
            .put("warmup_s", o.warmupS)
            .put("duration_s", o.durationS)
            .put("rate_events_per_s", o.rate)
            .put("customers", o.customers)
            .put("retry_forever", o.retryForever))
        .put("measured", m)
        .put("total", total.json().put("events_generated", seq).put("elapsed_s", Latency.round((now - startNs) / 1e9)))
        .put("errors", errors)
        .put("latency_ms", lat)
        .put("sessions_opened", sessionsOpened)
        .put("verify", verify);
    if (o.rate > 0) {
      long next = startNs + openLoopIndex * intervalNs;
      long missed = next < endNs ? (endNs - next + intervalNs - 1) / intervalNs : 0;
      report.put("open_loop", new JsonObject()
          .put("interval_ms", Latency.round(intervalNs / 1e6))
          .put("batches_not_sent", missed));
    }
    if (stopReason != null) {
      report.put("stop_reason", stopReason);
    }
    return report;
  }

  // ---------------------------------------------------------------- text report (main thread)

  static String render(JsonObject r) {
    JsonObject m = r.getJsonObject("measured");
    JsonObject t = r.getJsonObject("total");
    JsonObject e = r.getJsonObject("errors");
    JsonObject l = r.getJsonObject("latency_ms");
    JsonObject v = r.getJsonObject("verify");
    StringBuilder sb = new StringBuilder();
    sb.append("== Metergate stream load: ").append(r.getString("mode")).append(" ==\n");
    sb.append(String.format(Locale.ROOT, "run id               %s (identifiers %s<seq>)%n", r.getString("run_id"),
        r.getString("identifier_prefix")));
    sb.append(String.format(Locale.ROOT, "event name           %s%s%n", r.getString("event_name"),
        r.getBoolean("meter_created") ? " (meter created by this run)" : ""));
    sb.append(String.format(Locale.ROOT, "measured window      %.3f s (after %d s warm-up)%n", m.getDouble("window_s"),
        r.getJsonObject("config").getInteger("warmup_s")));
    sb.append(String.format(Locale.ROOT, "events acked         %d measured, %d total (%d generated)%n",
        m.getLong("events_acked"), t.getLong("events_acked"), t.getLong("events_generated")));
    sb.append(String.format(Locale.ROOT, "requests             %d measured, %d total (%d retries)%n",
        m.getLong("requests"), t.getLong("requests"), e.getLong("retries")));
    sb.append(String.format(Locale.ROOT, "throughput           %.1f events/s, %.1f requests/s%n",
        m.getDouble("events_per_s"), m.getDouble("requests_per_s")));
    sb.append(String.format(Locale.ROOT, "ack latency ms       p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f  (n=%d)%n",
        l.getDouble("p50"), l.getDouble("p90"), l.getDouble("p99"), l.getDouble("p99_9"), l.getDouble("max"),
        l.getLong("count")));
    sb.append(String.format(Locale.ROOT, "429 responses        %d%n", e.getLong("rate_limited_429")));
    sb.append(String.format(Locale.ROOT, "errors by status     %s%n", e.getJsonObject("by_status").encode()));
    sb.append(String.format(Locale.ROOT, "connection errors    %d%n", e.getLong("connection_errors")));
    sb.append(String.format(Locale.ROOT, "dropped (4xx)        %d batches / %d events%n",
        e.getLong("dropped_batches"), e.getLong("dropped_events")));
    sb.append(String.format(Locale.ROOT, "unconfirmed          %d abandoned + %d in flight at exit (events)%n",
        e.getLong("abandoned_events"), e.getLong("in_flight_at_exit_events")));
    if (e.containsKey("first_error")) {
      sb.append("first error          HTTP ").append(e.getJsonObject("first_error").getInteger("status")).append(' ')
          .append(e.getJsonObject("first_error").getString("body")).append('\n');
    }
    if (r.containsKey("open_loop")) {
      long notSent = r.getJsonObject("open_loop").getLong("batches_not_sent");
      sb.append(String.format(Locale.ROOT, "open loop            interval %.3f ms, %d batches not sent%s%n",
          r.getJsonObject("open_loop").getDouble("interval_ms"), notSent,
          notSent > 0 ? " (all producers busy: target rate not reached, raise --producers)" : ""));
    }
    if (r.containsKey("stop_reason")) {
      sb.append("stop reason          ").append(r.getString("stop_reason")).append('\n');
    }
    sb.append(String.format(Locale.ROOT, "sessions opened      %d%n", r.getLong("sessions_opened")));
    long reopens = e.getLong("session_reopens", 0L);
    long setupRetries = e.getLong("setup_retries", 0L);
    if (reopens > 0 || setupRetries > 0) {
      sb.append(String.format(Locale.ROOT, "session reopens      %d after 401, %d setup retries%n", reopens, setupRetries));
    }
    if (r.containsKey("acked_out")) {
      sb.append(String.format(Locale.ROOT, "acked batches file   %s (%d lines)%n",
          r.getJsonObject("acked_out").getString("file"), r.getJsonObject("acked_out").getLong("lines")));
    }
    long min = v.getLong("expected_rows_min");
    long max = v.getLong("expected_rows_max");
    sb.append("verify rows          expect ").append(min == max ? Long.toString(min) : min + ".." + max).append(":\n");
    sb.append("  ").append(v.getString("psql"));
    return sb.toString();
  }
}
