package io.metergate.app;

import io.metergate.accounts.KeyAuthenticator;
import io.metergate.alerts.AlertTrigger;
import io.metergate.events.EventLog;
import io.metergate.http.ApiServices;
import io.metergate.idempotency.IdempotencyStore;
import io.metergate.http.ApiVerticle;
import io.metergate.http.ManagementVerticle;
import io.metergate.ingest.AccountRateLimiter;
import io.metergate.ingest.DedupWindowPruner;
import io.metergate.ingest.EventWriter;
import io.metergate.ingest.WriterStats;
import io.metergate.meters.ActiveMeterCache;
import io.metergate.meters.MeterStore;
import io.metergate.session.SessionTokens;
import io.metergate.usage.UsageFoldVerticle;
import io.metergate.usage.UsageFolder;
import io.metergate.webhooks.WebhookDeliveryVerticle;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Assembles and deploys the running gateway; the blocking preparation happens before, in Main. */
public final class Gateway {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
  /** Stripe keeps idempotency keys for at least 24 hours. */
  static final int IDEMPOTENCY_RETENTION_SECONDS = 24 * 3600;
  private final Vertx vertx;
  private final Pool pool;
  private final Config config;
  private String apiDeployment;
  private String managementDeployment;
  private String webhookDeployment;
  private String foldDeployment;
  private UsageFolder folder;
  private long pruneTimer;
  private DedupWindowPruner pruner;
  private volatile boolean draining;

  private Gateway(Vertx vertx, Pool pool, Config config) {
    this.vertx = vertx;
    this.pool = pool;
    this.config = config;
  }

  public static Future<Gateway> start(Vertx vertx, Config config, DatabaseTarget db, byte[] sessionSecret,
                                      PrometheusMeterRegistry registry) {
    Pool pool = PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(config.poolSize()).setMaxWaitQueueSize(config.poolWaitQueue())
            .setName("metergate"))
        .with(new NetClientOptions().setConnectTimeout(5_000).setTcpKeepAlive(true))
        .connectingTo(db.connectOptions())
        .using(vertx)
        .build();
    Gateway gateway = new Gateway(vertx, pool, config);
    return pool.query("SELECT 1").execute()
        .recover(err -> Future.failedFuture(new ConfigException("The database " + db.describe()
            + " did not answer the warm-up query: " + err.getMessage())))
        .compose(v -> gateway.deploy(sessionSecret, registry))
        .onFailure(err -> pool.close())
        .map(gateway);
  }

  private Future<Void> deploy(byte[] sessionSecret, PrometheusMeterRegistry registry) {
    ActiveMeterCache meterCache = new ActiveMeterCache(config.cacheTtlMillis());
    MeterStore meterStore = new MeterStore(pool, meterCache);
    meterCache.loader(meterStore::findByEventName);
    WriterStats stats = new WriterStats(registry);
    EventWriter.Options writerOptions = new EventWriter.Options(config.batchMaxEvents(), config.batchLingerMillis(),
        config.writerConcurrency(), config.writerQueueEvents(), config.dedupWindowSeconds(),
        config.flushTimeoutMillis());
    IdempotencyStore idempotency = new IdempotencyStore(pool, IDEMPOTENCY_RETENTION_SECONDS);
    ApiServices services = new ApiServices(config.host(), config.httpPort(), config.bodyLimitBytes(),
        config.shutdownGraceSeconds(), config.accessLog(), pool, new KeyAuthenticator(pool, config.keyCacheTtlMillis()), new SessionTokens(sessionSecret),
        meterCache, meterStore, idempotency, writerOptions, stats, rateLimiter(config),
        Counter.builder("metergate_sessions_issued").description("Meter event sessions created").register(registry),
        Clock.systemUTC());
    long saturatedAt = (long) config.writerQueueEvents() * config.eventLoops() * 9 / 10;
    pruner = new DedupWindowPruner(pool, config.dedupWindowSeconds());
    folder = new UsageFolder(pool, config.usageFoldChunkEvents(), AlertTrigger::fire);
    pruneTimer = vertx.setPeriodic(60_000, id -> {
      pruner.prune();
      idempotency.prune().onFailure(err -> LOG.warn("Could not prune idempotency keys: {}", err.getMessage()));
      EventLog.prune(pool).onFailure(err -> LOG.warn("Could not prune expired events: {}", err.getMessage()));
    });
    return vertx.deployVerticle(() -> new ApiVerticle(services), new DeploymentOptions().setInstances(config.eventLoops()))
        .onSuccess(id -> apiDeployment = id)
        .compose(v -> vertx.deployVerticle(new ManagementVerticle(config.host(), config.managementPort(), pool,
            registry, stats::queuedEvents, saturatedAt, () -> draining)))
        .onSuccess(id -> managementDeployment = id)
        .compose(v -> vertx.deployVerticle(new WebhookDeliveryVerticle(pool, new WebhookDeliveryVerticle.Options(
            config.webhookTimeoutMillis(), config.webhookConcurrency(), config.webhookFirstRetryMillis(),
            config.webhookRetryHours()), registry)))
        .onSuccess(id -> webhookDeployment = id)
        .compose(v -> vertx.deployVerticle(new UsageFoldVerticle(folder, config.usageFoldIntervalMillis(), registry)))
        .onSuccess(id -> foldDeployment = id)
        .mapEmpty();
  }

  /** Stops the API first (draining its writers), then management, then the pool. */
  public Future<Void> stop() {
    draining = true;
    vertx.cancelTimer(pruneTimer);
    long started = System.nanoTime();
    Future<Void> api = apiDeployment == null ? Future.succeededFuture() : vertx.undeploy(apiDeployment);
    return api
        .eventually(() -> foldDeployment == null ? Future.succeededFuture() : vertx.undeploy(foldDeployment))
        .eventually(() -> webhookDeployment == null ? Future.succeededFuture() : vertx.undeploy(webhookDeployment))
        .onComplete(ar -> LOG.info("API stopped and writers drained in {} ms", elapsedMillis(started)))
        .eventually(() -> managementDeployment == null ? Future.succeededFuture() : vertx.undeploy(managementDeployment))
        .eventually(pool::close)
        .onComplete(ar -> LOG.info("Gateway stopped in {} ms", elapsedMillis(started)));
  }

  private static long elapsedMillis(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }

  /** Null when rate limiting is off (the default). */
  private static AccountRateLimiter rateLimiter(Config config) {
    int rate = config.rateLimitEventsPerSecond();
    return rate == 0 ? null : new AccountRateLimiter(rate, config.rateLimitBurst() == 0 ? rate : config.rateLimitBurst());
  }

  /** One pruning pass now (it also runs every minute). */
  public Future<Integer> pruneDedupWindow() {
    return pruner.prune();
  }

  /**
   * Folds now until every event committed before the call is in the aggregates (it also runs every
   * METERGATE_USAGE_FOLD_INTERVAL_MS); completes with the folded mark.
   */
  public Future<Long> foldUsage() {
    return foldUntilCaughtUp(0);
  }

  private Future<Long> foldUntilCaughtUp(int passes) {
    return folder.foldOnce().compose(pass -> {
      if (pass.ran() && pass.unfolded() == 0 && !pass.more()) {
        return Future.succeededFuture(pass.foldedThrough());
      }
      if (passes >= 1000) {
        return Future.failedFuture(new IllegalStateException("usage folding did not catch up"));
      }
      return vertx.timer(5).compose(t -> foldUntilCaughtUp(passes + 1));
    });
  }

  public Config config() {
    return config;
  }
}
