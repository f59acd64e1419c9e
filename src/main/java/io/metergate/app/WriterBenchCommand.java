package io.metergate.app;

import io.metergate.accounts.AccountAdmin;
import io.metergate.common.Ids;
import io.metergate.ingest.EventWriter;
import io.metergate.ingest.MeterEvent;
import io.metergate.ingest.WriterStats;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.cumulative.CumulativeDistributionSummary;
import io.micrometer.core.instrument.cumulative.CumulativeTimer;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.pause.PauseDetector;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code bench-writer}: the PostgreSQL ceiling for our exact schema, indexes and insert statement,
 * with no HTTP in front. One real {@link EventWriter} per event loop, with the options the gateway
 * would use, kept saturated with 100-event submissions shaped like stream requests. Committed
 * events are counted after the warm-up; at the end a SQL count checks that every committed event
 * of this run is stored.
 *
 * <p>It writes real rows (identifiers {@code wb<time>-<hex>-<loop>-<seq>}) into the configured
 * database, under a dedicated bench account and meter: point METERGATE_DATABASE_URL at a
 * benchmark database (load-tests/bench.sh uses metergate_bench).
 */
final class WriterBenchCommand {
  static final String USAGE = String.join("\n",
      "Usage: metergate bench-writer [options]   (uses METERGATE_* settings; writes rows into that database)",
      "  --seconds S              measured seconds after warm-up (default 20)",
      "  --warmup S               warm-up seconds, not counted (default 5)",
      "  --event-loops N          event loops, one writer each (default METERGATE_EVENT_LOOPS or CPU count)",
      "  --writer-concurrency N   flushes in flight per writer (default METERGATE_WRITER_CONCURRENCY or 2)",
      "  --batch-max N            events per flush at most (default METERGATE_BATCH_MAX_EVENTS or 2000)",
      "  --linger-ms N            batch linger (default METERGATE_BATCH_LINGER_MS or 0)",
      "  --queue N                writer queue bound in events (default METERGATE_WRITER_QUEUE_EVENTS or 20000)",
      "  --outstanding N          submissions kept outstanding per event loop (default: enough for full",
      "                           batches, (concurrency + 1) x batch-max events, capped by --queue)",
      "  --events-per-submission N  events per submission, 1..100 (default 100, one stream request)",
      "  --customers N            distinct customers (default 1000)",
      "  --json-out FILE          also write the report as JSON");

  static final String BENCH_EVENT_NAME = "metergate_bench_writer";
  static final String BENCH_DISPLAY_NAME = "Metergate writer benchmark";
  static final String COMMIT_TIMER = "metergate_writer_commit";
  static final String BATCH_SUMMARY = "metergate_writer_batch_events";
  static final long DRAIN_TIMEOUT_S = 60;
  static final BigDecimal ONE = new BigDecimal("1");

  private WriterBenchCommand() {}

  // ------------------------------------------------------------------ options

  static final class Options {
    int seconds = 20;
    int warmup = 5;
    Integer eventLoops;
    Integer writerConcurrency;
    Integer batchMax;
    Integer lingerMs;
    Integer queue;
    Integer outstanding;
    int eventsPerSubmission = 100;
    int customers = 1000;
    String jsonOut;

    static Options parse(String[] args) {
      Options o = new Options();
      for (int i = 0; i < args.length; i++) {
        String name = args[i];
        String value = null;
        int eq = name.indexOf('=');
        if (name.startsWith("--") && eq > 0) {
          value = name.substring(eq + 1);
          name = name.substring(0, eq);
        }
        if (name.equals("--help") || name.equals("-h")) {
          return null;
        }
        if (value == null) {
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException(name + " needs a value");
          }
          value = args[++i];
        }
        switch (name) {
          case "--seconds" -> o.seconds = intIn(name, value, 1, 86_400);
          case "--warmup" -> o.warmup = intIn(name, value, 0, 3_600);
          case "--event-loops" -> o.eventLoops = intIn(name, value, 1, 256);
          case "--writer-concurrency" -> o.writerConcurrency = intIn(name, value, 1, 64);
          case "--batch-max" -> o.batchMax = intIn(name, value, 1, 100_000);
          case "--linger-ms" -> o.lingerMs = intIn(name, value, 0, 1000);
          case "--queue" -> o.queue = intIn(name, value, 1, 10_000_000);
          case "--outstanding" -> o.outstanding = intIn(name, value, 1, 1_000_000);
          case "--events-per-submission" -> o.eventsPerSubmission = intIn(name, value, 1, 100);
          case "--customers" -> o.customers = intIn(name, value, 1, 100_000_000);
          case "--json-out" -> o.jsonOut = value;
          default -> throw new IllegalArgumentException("unknown option " + name);
        }
      }
      return o;
    }

    private static int intIn(String name, String value, int min, int max) {
      try {
        int n = Integer.parseInt(value.trim());
        if (n >= min && n <= max) {
          return n;
        }
      } catch (NumberFormatException e) {
        // below
      }
      throw new IllegalArgumentException(name + " must be a whole number from " + min + " to " + max
          + " (got '" + value + "')");
    }
  }

  /** The writer settings actually used: flags, else the gateway's configuration. */
  record Settings(int eventLoops, int writerConcurrency, int batchMax, long lingerMs, int queue, int outstanding,
                  int eventsPerSubmission, int poolSize, int poolWaitQueue) {
    EventWriter.Options writerOptions() {
      return new EventWriter.Options(batchMax, lingerMs, writerConcurrency, queue, 24 * 3600, 60_000);
    }
  }

  static Settings settings(Options o, Config c, Map<String, String> env) {
    int loops = o.eventLoops != null ? o.eventLoops : c.eventLoops();
    int concurrency = o.writerConcurrency != null ? o.writerConcurrency : c.writerConcurrency();
    int batchMax = o.batchMax != null ? o.batchMax : c.batchMaxEvents();
    long linger = o.lingerMs != null ? o.lingerMs : c.batchLingerMillis();
    int queue = o.queue != null ? o.queue : c.writerQueueEvents();
    int eps = o.eventsPerSubmission;
    if (queue < eps) {
      throw new IllegalArgumentException("--queue (" + queue + ") must hold at least one submission of " + eps
          + " events");
    }
    int maxOutstanding = queue / eps;
    int outstanding;
    if (o.outstanding != null) {
      if (o.outstanding > maxOutstanding) {
        throw new IllegalArgumentException("--outstanding " + o.outstanding + " x " + eps + " events exceeds the"
            + " writer queue bound of " + queue + " events (at most " + maxOutstanding + ")");
      }
      outstanding = o.outstanding;
    } else {
      long wanted = ((long) concurrency + 1) * batchMax;
      outstanding = (int) Math.max(1, Math.min(maxOutstanding, (wanted + eps - 1) / eps));
    }
    // the gateway's default pool size follows the loops and concurrency; an explicit setting wins
    boolean poolSet = env.get("METERGATE_DB_POOL_SIZE") != null && !env.get("METERGATE_DB_POOL_SIZE").isBlank();
    int poolSize = poolSet ? c.poolSize() : loops * concurrency + 2;
    return new Settings(loops, concurrency, batchMax, linger, queue, outstanding, eps, poolSize, c.poolWaitQueue());
  }

  // ------------------------------------------------------------------ entry point

  static int run(String[] args) {
    Options o;
    try {
      o = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bench-writer: " + e.getMessage());
      System.err.println(USAGE);
      return 64;
    }
    if (o == null) {
      System.out.println(USAGE);
      return 0;
    }
    Map<String, String> env = System.getenv();
    Config config = Config.fromEnv(env);
    Settings s;
    try {
      s = settings(o, config, env);
    } catch (IllegalArgumentException e) {
      System.err.println("bench-writer: " + e.getMessage());
      return 64;
    }
    DatabaseTarget db = Database.resolve(config);
    try {
      return new Bench(o, s, db).run();
    } finally {
      if (db.embedded() != null) {
        try {
          db.embedded().close();
        } catch (Exception ignored) {
          // exiting
        }
      }
    }
  }

  // ------------------------------------------------------------------ recording

  /** Growable primitive list; each instance is confined to one thread or guarded by its owner. */
  static final class LongList {
    long[] values = new long[1024];
    int size;

    void add(long v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    void addAll(LongList other) {
      for (int i = 0; i < other.size; i++) {
        add(other.values[i]);
      }
    }

    long[] sorted() {
      long[] a = Arrays.copyOf(values, size);
      Arrays.sort(a);
      return a;
    }
  }

  /** Nearest-rank percentile of a sorted array. */
  static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
  }

  /**
   * A registry that also hands every flush the writer records (its commit time and batch size)
   * to the benchmark, so percentiles are exact and limited to the measured window. The writer's
   * own code path is unchanged: it records into WriterStats as in the gateway.
   */
  static final class TapRegistry extends SimpleMeterRegistry {
    volatile long windowStartNs = Long.MAX_VALUE;
    volatile long windowEndNs = Long.MAX_VALUE;
    private final LongList commitNanos = new LongList();
    private final LongList batchEvents = new LongList();
    private long flushesTotal;

    private boolean inWindow(long now) {
      return now >= windowStartNs && now < windowEndNs;
    }

    synchronized void commit(long nanos) {
      flushesTotal++;
      if (inWindow(System.nanoTime())) {
        commitNanos.add(nanos);
      }
    }

    synchronized void batch(double events) {
      if (inWindow(System.nanoTime())) {
        batchEvents.add((long) events);
      }
    }

    synchronized long[] commitNanosSorted() {
      return commitNanos.sorted();
    }

    synchronized long[] batchEventsSorted() {
      return batchEvents.sorted();
    }

    synchronized long flushesTotal() {
      return flushesTotal;
    }

    @Override
    protected Timer newTimer(Meter.Id id, DistributionStatisticConfig config, PauseDetector pauseDetector) {
      if (!id.getName().equals(COMMIT_TIMER)) {
        return super.newTimer(id, config, pauseDetector);
      }
      return new CumulativeTimer(id, clock, config, pauseDetector, getBaseTimeUnit(), false) {
        @Override
        protected void recordNonNegative(long amount, TimeUnit unit) {
          super.recordNonNegative(amount, unit);
          commit(unit.toNanos(amount));
        }
      };
    }

    @Override
    protected DistributionSummary newDistributionSummary(Meter.Id id, DistributionStatisticConfig config,
                                                         double scale) {
      if (!id.getName().equals(BATCH_SUMMARY)) {
        return super.newDistributionSummary(id, config, scale);
      }
      return new CumulativeDistributionSummary(id, clock, config, scale, false) {
        @Override
        protected void recordNonNegative(double amount) {
          super.recordNonNegative(amount);
          batch(amount);
        }
      };
    }
  }

  // ------------------------------------------------------------------ one event loop

  /** One writer on one event loop, kept saturated. Every field is touched only from its event loop. */
  static final class LoopVerticle extends AbstractVerticle {
    final int index;
    final Bench bench;
    EventWriter writer;
    Context ctx;
    long warmupEndNs;
    long endNs;
    int outstanding;
    long seq;
    boolean stopping;
    boolean pumping;
    boolean closing;
    // results (read by the main thread only after the loop has finished)
    long windowEvents;
    long committedEvents;
    long duplicateEvents;
    long failedSubmissions;
    long failedEvents;
    String firstFailure;
    final LongList ackNanos = new LongList();
    final AtomicLong progress = new AtomicLong();

    LoopVerticle(int index, Bench bench) {
      this.index = index;
      this.bench = bench;
    }

    @Override
    public void start() {
      ctx = context;
      writer = new EventWriter(vertx, bench.pool, bench.settings.writerOptions(), bench.stats);
      bench.loops.add(this);
    }

    void begin(long warmupEndNs, long endNs) {
      this.warmupEndNs = warmupEndNs;
      this.endNs = endNs;
      pump();
    }

    private void pump() {
      if (pumping) {
        return; // a synchronous completion inside submit(); the loop below carries on
      }
      pumping = true;
      try {
        while (!stopping && outstanding < bench.settings.outstanding()) {
          if (System.nanoTime() >= endNs) {
            stopping = true;
            break;
          }
          submitOne();
        }
      } finally {
        pumping = false;
      }
      if (stopping && outstanding == 0 && !closing) {
        closing = true;
        writer.close().onComplete(ar -> bench.loopDone(this));
      }
    }

    private void submitOne() {
      int n = bench.settings.eventsPerSubmission();
      List<MeterEvent> events = new ArrayList<>(n);
      Instant ts = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      ThreadLocalRandom rnd = ThreadLocalRandom.current();
      String prefix = bench.identifierPrefix + index + "-";
      for (int i = 0; i < n; i++) {
        String customer = "cus_" + rnd.nextInt(bench.options.customers);
        events.add(new MeterEvent(bench.accountId, false, bench.meterId, BENCH_EVENT_NAME, prefix + seq++, customer,
            ONE, ts, Map.of("stripe_customer_id", customer, "value", "1"), false));
      }
      outstanding++;
      long started = System.nanoTime();
      writer.submit(events).onComplete(ar -> {
        outstanding--;
        long now = System.nanoTime();
        if (ar.succeeded()) {
          int duplicates = ar.result().duplicates().cardinality();
          int stored = n - duplicates;
          committedEvents += stored;
          duplicateEvents += duplicates;
          if (now >= warmupEndNs && now < endNs) {
            windowEvents += stored;
            ackNanos.add(now - started);
          }
          progress.lazySet(committedEvents);
        } else {
          failedSubmissions++;
          failedEvents += n;
          if (firstFailure == null) {
            firstFailure = String.valueOf(ar.cause().getMessage());
          }
          stopping = true; // a ceiling with failures is no ceiling; stop this loop and report
        }
        pump();
      });
    }
  }

  // ------------------------------------------------------------------ the run

  static final class Bench {
    final Options options;
    final Settings settings;
    final DatabaseTarget db;
    final String runId;
    final String identifierPrefix;
    final TapRegistry registry = new TapRegistry();
    final WriterStats stats = new WriterStats(registry);
    final List<LoopVerticle> loops = new CopyOnWriteArrayList<>();
    CountDownLatch finished;
    Pool pool;
    long accountId;
    long meterId;
    String meterPublicId;

    Bench(Options options, Settings settings, DatabaseTarget db) {
      this.options = options;
      this.settings = settings;
      this.db = db;
      String hex = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL | 0x1000000L).substring(1);
      this.runId = "wb" + DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC).format(Instant.now())
          + "-" + hex;
      this.identifierPrefix = runId + "-";
    }

    void loopDone(LoopVerticle loop) {
      finished.countDown();
    }

    int run() {
      System.err.printf(Locale.ROOT, "bench-writer: run %s on %s%n", runId, db.describe());
      Migrations.run(db);
      try {
        prepareMeter();
      } catch (SQLException e) {
        System.err.println("bench-writer: could not prepare the bench account and meter: " + e.getMessage());
        return 2;
      }
      System.err.printf(Locale.ROOT, "bench-writer: %d event loops, writer concurrency %d, batch max %d, linger %d ms,"
              + " queue %d events, %d submissions of %d events outstanding per loop, pool %d, %d customers,"
              + " warm-up %d s, measured %d s%n",
          settings.eventLoops(), settings.writerConcurrency(), settings.batchMax(), settings.lingerMs(),
          settings.queue(), settings.outstanding(), settings.eventsPerSubmission(), settings.poolSize(),
          options.customers, options.warmup, options.seconds);

      Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(settings.eventLoops()));
      pool = PgBuilder.pool()
          .with(new PoolOptions().setMaxSize(settings.poolSize()).setMaxWaitQueueSize(settings.poolWaitQueue())
              .setName("metergate-bench"))
          .with(new NetClientOptions().setConnectTimeout(5_000))
          .connectingTo(db.connectOptions())
          .using(vertx)
          .build();
      finished = new CountDownLatch(settings.eventLoops());
      long startNs;
      long warmupEndNs;
      long endNs;
      boolean drained;
      try {
        await(pool.query("SELECT 1").execute(), 15, "the warm-up query");
        AtomicLong nextIndex = new AtomicLong();
        await(vertx.deployVerticle(() -> new LoopVerticle((int) nextIndex.getAndIncrement(), this),
            new DeploymentOptions().setInstances(settings.eventLoops())), 15, "deploying the loops");
        startNs = System.nanoTime();
        warmupEndNs = startNs + TimeUnit.SECONDS.toNanos(options.warmup);
        endNs = warmupEndNs + TimeUnit.SECONDS.toNanos(options.seconds);
        registry.windowStartNs = warmupEndNs;
        registry.windowEndNs = endNs;
        for (LoopVerticle loop : loops) {
          long w = warmupEndNs;
          long e = endNs;
          loop.ctx.runOnContext(v -> loop.begin(w, e));
        }
        drained = waitAndReport(startNs, warmupEndNs, endNs);
      } catch (IllegalStateException e) {
        System.err.println("bench-writer: " + e.getMessage());
        closeQuietly(vertx);
        return 2;
      }
      closeQuietly(vertx);
      if (!drained) {
        System.err.println("bench-writer: the writers did not drain within " + DRAIN_TIMEOUT_S
            + " s after the end; no result");
        return 3;
      }
      return report();
    }

    /** Looks up (or creates) the bench account's meter; blocking JDBC, before any event loop exists. */
    private void prepareMeter() throws SQLException {
      try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, account_id, public_id FROM meters"
            + " WHERE event_name = ? AND display_name = ? AND livemode = false AND status = 'active'"
            + " ORDER BY id LIMIT 1")) {
          ps.setString(1, BENCH_EVENT_NAME);
          ps.setString(2, BENCH_DISPLAY_NAME);
          try (ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
              meterId = rs.getLong(1);
              accountId = rs.getLong(2);
              meterPublicId = rs.getString(3);
              System.err.println("bench-writer: using the existing bench meter " + meterPublicId);
              return;
            }
          }
        }
        String account = new AccountAdmin(c).createAccount();
        meterPublicId = Ids.newId("mtr_");
        try (PreparedStatement ps = c.prepareStatement("""
            INSERT INTO meters (public_id, account_id, livemode, display_name, event_name, formula,
                                customer_payload_key, value_payload_key)
            SELECT ?, id, false, ?, ?, 'sum', 'stripe_customer_id', 'value' FROM accounts WHERE public_id = ?
            RETURNING id, account_id""")) {
          ps.setString(1, meterPublicId);
          ps.setString(2, BENCH_DISPLAY_NAME);
          ps.setString(3, BENCH_EVENT_NAME);
          ps.setString(4, account);
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            meterId = rs.getLong(1);
            accountId = rs.getLong(2);
          }
        }
        System.err.println("bench-writer: created bench account " + account + " and meter " + meterPublicId);
      }
    }

    /** Main thread: prints progress every 5 s until every loop has drained (bounded). */
    private boolean waitAndReport(long startNs, long warmupEndNs, long endNs) {
      long deadline = endNs + TimeUnit.SECONDS.toNanos(DRAIN_TIMEOUT_S);
      long lastNs = startNs;
      long lastEvents = 0;
      while (true) {
        long now = System.nanoTime();
        long next = Math.min(deadline, now + TimeUnit.SECONDS.toNanos(5));
        try {
          if (finished.await(next - now, TimeUnit.NANOSECONDS)) {
            return true;
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
        now = System.nanoTime();
        if (now >= deadline) {
          return false;
        }
        long events = loops.stream().mapToLong(l -> l.progress.get()).sum();
        double eps = (events - lastEvents) / ((now - lastNs) / 1e9);
        String phase = now < warmupEndNs ? "warmup" : now < endNs ? "measure" : "drain";
        System.err.printf(Locale.ROOT, "bench-writer: t=%5.1fs %-7s committed=%d (%.0f events/s)%n",
            (now - startNs) / 1e9, phase, events, eps);
        lastNs = now;
        lastEvents = events;
      }
    }

    private int report() {
      long windowEvents = 0;
      long committed = 0;
      long duplicates = 0;
      long failedSubmissions = 0;
      long failedEvents = 0;
      String firstFailure = null;
      LongList acks = new LongList();
      JsonArray perLoop = new JsonArray();
      for (LoopVerticle l : loops) {
        windowEvents += l.windowEvents;
        committed += l.committedEvents;
        duplicates += l.duplicateEvents;
        failedSubmissions += l.failedSubmissions;
        failedEvents += l.failedEvents;
        firstFailure = firstFailure != null ? firstFailure : l.firstFailure;
        acks.addAll(l.ackNanos);
        perLoop.add(new JsonObject().put("loop", l.index).put("events_committed", l.committedEvents)
            .put("events_per_s", round(l.windowEvents / (double) options.seconds)));
      }
      long[] commit = registry.commitNanosSorted();
      long[] batches = registry.batchEventsSorted();
      long[] ack = acks.sorted();
      long batchSum = Arrays.stream(batches).sum();
      double eventsPerS = windowEvents / (double) options.seconds;
      double meanBatch = batches.length == 0 ? 0 : batchSum / (double) batches.length;
      double storedCounter = registry.get("metergate_events_stored").counter().count();

      long rows = -1;
      String countSql = "SELECT count(*) FROM meter_events WHERE starts_with(identifier, ?)";
      String verifySql = countSql.replace("?", "'" + identifierPrefix + "'");
      String verifyError = null;
      try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
           PreparedStatement ps = c.prepareStatement(countSql)) {
        ps.setString(1, identifierPrefix);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          rows = rs.getLong(1);
        }
      } catch (SQLException e) {
        verifyError = e.getMessage();
      }
      boolean verified = rows == committed && (long) storedCounter == committed;
      boolean ok = verified && failedEvents == 0 && windowEvents > 0;
      String status = ok ? "ok" : !verified ? "verify_failed" : failedEvents > 0 ? "write_failures" : "no_events";

      JsonObject json = new JsonObject()
          .put("run_id", runId)
          .put("identifier_prefix", identifierPrefix)
          .put("database", db.describe())
          .put("meter", meterPublicId)
          .put("config", new JsonObject()
              .put("event_loops", settings.eventLoops())
              .put("writer_concurrency", settings.writerConcurrency())
              .put("batch_max_events", settings.batchMax())
              .put("linger_ms", settings.lingerMs())
              .put("queue_events", settings.queue())
              .put("outstanding_submissions_per_loop", settings.outstanding())
              .put("events_per_submission", settings.eventsPerSubmission())
              .put("pool_size", settings.poolSize())
              .put("customers", options.customers)
              .put("warmup_s", options.warmup)
              .put("duration_s", options.seconds))
          .put("measured", new JsonObject()
              .put("events_committed", windowEvents)
              .put("events_per_s", round(eventsPerS))
              .put("flushes", batches.length)
              .put("flushes_per_s", round(batches.length / (double) options.seconds))
              .put("batch_events", new JsonObject()
                  .put("mean", round(meanBatch))
                  .put("min", batches.length == 0 ? 0 : batches[0])
                  .put("p50", percentile(batches, 50))
                  .put("max", batches.length == 0 ? 0 : batches[batches.length - 1]))
              .put("commit_latency_ms", latencies(commit))
              .put("submission_latency_ms", latencies(ack)))
          .put("per_loop", perLoop)
          .put("total", new JsonObject()
              .put("events_committed", committed)
              .put("events_stored_counter", (long) storedCounter)
              .put("flushes", registry.flushesTotal())
              .put("duplicates", duplicates)
              .put("failed_submissions", failedSubmissions)
              .put("failed_events", failedEvents))
          .put("verify", new JsonObject()
              .put("sql", verifySql)
              .put("rows", rows)
              .put("expected", committed)
              .put("ok", verified))
          .put("status", status);
      if (firstFailure != null) {
        json.put("first_failure", firstFailure);
      }
      if (verifyError != null) {
        json.getJsonObject("verify").put("error", verifyError);
      }

      JsonObject cl = json.getJsonObject("measured").getJsonObject("commit_latency_ms");
      JsonObject sl = json.getJsonObject("measured").getJsonObject("submission_latency_ms");
      StringBuilder sb = new StringBuilder();
      sb.append("== Metergate writer ceiling (no HTTP) ==\n");
      sb.append(String.format(Locale.ROOT, "run id               %s (identifiers %s<loop>-<seq>)%n", runId,
          identifierPrefix));
      sb.append(String.format(Locale.ROOT, "database             %s%n", db.describe()));
      sb.append(String.format(Locale.ROOT, "writers              %d event loops x %d flushes in flight, batch max %d,"
              + " linger %d ms, queue %d, %d x %d events outstanding per loop%n",
          settings.eventLoops(), settings.writerConcurrency(), settings.batchMax(), settings.lingerMs(),
          settings.queue(), settings.outstanding(), settings.eventsPerSubmission()));
      sb.append(String.format(Locale.ROOT, "measured window      %d s after %d s warm-up%n", options.seconds,
          options.warmup));
      sb.append(String.format(Locale.ROOT, "committed            %d events in the window, %.1f events/s%n",
          windowEvents, eventsPerS));
      sb.append(String.format(Locale.ROOT, "flushes              %d (%.1f/s), events per flush mean %.1f, min %d,"
              + " p50 %d, max %d%n",
          batches.length, batches.length / (double) options.seconds, meanBatch,
          batches.length == 0 ? 0 : batches[0], percentile(batches, 50),
          batches.length == 0 ? 0 : batches[batches.length - 1]));
      sb.append(String.format(Locale.ROOT, "commit latency ms    p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f"
              + "  (per flush, n=%d)%n",
          cl.getDouble("p50"), cl.getDouble("p90"), cl.getDouble("p99"), cl.getDouble("p99_9"),
          cl.getDouble("max"), commit.length));
      sb.append(String.format(Locale.ROOT, "submission latency   p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f"
              + "  (queue + commit at saturation, n=%d)%n",
          sl.getDouble("p50"), sl.getDouble("p90"), sl.getDouble("p99"), sl.getDouble("p99_9"),
          sl.getDouble("max"), ack.length));
      StringBuilder loopsLine = new StringBuilder();
      for (int i = 0; i < perLoop.size(); i++) {
        JsonObject l = perLoop.getJsonObject(i);
        loopsLine.append(i == 0 ? "" : ", ").append("loop ").append(l.getInteger("loop")).append(' ')
            .append(String.format(Locale.ROOT, "%.0f", l.getDouble("events_per_s")));
      }
      sb.append("per loop events/s    ").append(loopsLine).append('\n');
      sb.append(String.format(Locale.ROOT, "failures             %d submissions / %d events failed, %d duplicates%s%n",
          failedSubmissions, failedEvents, duplicates, firstFailure == null ? "" : " (first: " + firstFailure + ")"));
      sb.append(String.format(Locale.ROOT, "verify               %d committed in total, %d rows stored with the run"
              + " prefix, writer counter %d: %s%n",
          committed, rows, (long) storedCounter, verified ? "OK" : "MISMATCH"
              + (verifyError == null ? "" : " (" + verifyError + ")")));
      System.out.print(sb);
      System.out.printf(Locale.ROOT, "writer-ceiling events_per_s=%.0f flushes=%d mean_batch=%.1f commit_p50_ms=%.1f"
              + " commit_p99_ms=%.1f commit_p999_ms=%.1f submit_p99_ms=%.1f committed_total=%d rows=%d verified=%s"
              + " failed_events=%d event_loops=%d writer_concurrency=%d batch_max=%d status=%s%n",
          eventsPerS, batches.length, meanBatch, cl.getDouble("p50"), cl.getDouble("p99"), cl.getDouble("p99_9"),
          sl.getDouble("p99"), committed, rows, verified, failedEvents, settings.eventLoops(),
          settings.writerConcurrency(), settings.batchMax(), status);
      if (options.jsonOut != null) {
        try {
          Files.writeString(Path.of(options.jsonOut), json.encodePrettily() + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
          System.err.println("bench-writer: could not write " + options.jsonOut + ": " + e);
          return 2;
        }
      }
      return ok ? 0 : 1;
    }

    private static JsonObject latencies(long[] sortedNanos) {
      double mean = sortedNanos.length == 0 ? 0 : Arrays.stream(sortedNanos).average().orElse(0);
      return new JsonObject()
          .put("count", sortedNanos.length)
          .put("p50", ms(percentile(sortedNanos, 50)))
          .put("p90", ms(percentile(sortedNanos, 90)))
          .put("p99", ms(percentile(sortedNanos, 99)))
          .put("p99_9", ms(percentile(sortedNanos, 99.9)))
          .put("max", ms(sortedNanos.length == 0 ? 0 : sortedNanos[sortedNanos.length - 1]))
          .put("mean", round(mean / 1e6));
    }

    private static double ms(long nanos) {
      return round(nanos / 1e6);
    }

    private static double round(double v) {
      return Math.round(v * 1000.0) / 1000.0;
    }

    private void closeQuietly(Vertx vertx) {
      if (pool != null) {
        awaitQuietly(pool.close(), 10);
      }
      awaitQuietly(vertx.close(), 10);
    }
  }

  private static <T> T await(Future<T> future, long seconds, String what) {
    Blocking.requireOffEventLoop("Waiting for " + what);
    try {
      return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while " + what);
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IllegalStateException(what + " failed: " + cause.getMessage());
    }
  }

  private static void awaitQuietly(Future<?> future, long seconds) {
    Blocking.requireOffEventLoop("Waiting to close");
    try {
      future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // best effort while exiting
    }
  }
}
