package io.metergate.testing;

import com.stripe.StripeClient;
import io.metergate.accounts.AccountAdmin;
import io.metergate.accounts.ApiKeys;
import io.metergate.app.Bootstrap;
import io.metergate.app.Config;
import io.metergate.app.DatabaseTarget;
import io.metergate.app.Gateway;
import io.metergate.app.Migrations;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** A real gateway in this JVM, on free ports, against a fresh PostgreSQL database. */
public final class TestGateway implements AutoCloseable {
  public static final String DEV_KEY = Config.DEFAULT_BOOTSTRAP_KEY;

  private final DatabaseTarget db;
  private final Config config;
  private final byte[] secret;
  private final Vertx vertx;
  private final Gateway gateway;
  private final boolean ownsDatabase;

  private TestGateway(DatabaseTarget db, Config config, byte[] secret, Vertx vertx, Gateway gateway,
                      boolean ownsDatabase) {
    this.db = db;
    this.config = config;
    this.secret = secret;
    this.vertx = vertx;
    this.gateway = gateway;
    this.ownsDatabase = ownsDatabase;
  }

  public static TestGateway start() {
    return start(Map.of());
  }

  /** Starts with extra METERGATE_* settings layered over the defaults. */
  public static TestGateway start(Map<String, String> env) {
    return launch(TestDatabase.freshDatabase(), env, true);
  }

  /**
   * Another gateway on an existing database (another replica, or a restart): close() leaves the
   * database to whoever created it.
   */
  public static TestGateway startOn(DatabaseTarget db, Map<String, String> env) {
    return launch(db, env, false);
  }

  private static TestGateway launch(DatabaseTarget db, Map<String, String> env, boolean ownsDatabase) {
    Map<String, String> all = new HashMap<>(env);
    all.put("METERGATE_HTTP_PORT", Integer.toString(freePort()));
    all.put("METERGATE_MANAGEMENT_PORT", Integer.toString(freePort()));
    all.putIfAbsent("METERGATE_HOST", "127.0.0.1");
    Config config = Config.fromEnv(all);
    Migrations.run(db);
    byte[] secret = Bootstrap.run(db, config);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Vertx vertx = io.metergate.app.Main.createVertx(config, registry);
    try {
      Gateway gateway = Gateway.start(vertx, config, db, secret, registry)
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      return new TestGateway(db, config, secret, vertx, gateway, ownsDatabase);
    } catch (Exception e) {
      vertx.close();
      throw new IllegalStateException("gateway did not start: " + e.getMessage(), e);
    }
  }

  /** The gateway's own Vert.x, e.g. to publish on its event bus. */
  public Vertx vertx() {
    return vertx;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + config.httpPort();
  }

  public String managementUrl() {
    return "http://127.0.0.1:" + config.managementPort();
  }

  public StripeClient client() {
    return client(DEV_KEY);
  }

  public StripeClient client(String key) {
    return StripeClient.builder()
        .setApiKey(key)
        .setApiBase(baseUrl())
        .setMeterEventsBase(baseUrl())
        .setMaxNetworkRetries(0)
        .build();
  }

  public byte[] sessionSecret() {
    return secret.clone();
  }

  public DatabaseTarget database() {
    return db;
  }

  /** A key for a brand-new account, in test or live mode. */
  public String newAccountKey(boolean live) {
    try (Connection c = TestDatabase.connect(db, db.database())) {
      AccountAdmin admin = new AccountAdmin(c);
      return admin.addKey(admin.createAccount(), ApiKeys.generate(live)).key();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs a query that returns one number, e.g. a count. */
  public long queryLong(String sql, Object... args) {
    try (Connection c = TestDatabase.connect(db, db.database()); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs a query whose rows are one JSON text each. */
  public List<JsonObject> queryJson(String sql, Object... args) {
    try (Connection c = TestDatabase.connect(db, db.database()); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      List<JsonObject> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new JsonObject(rs.getString(1)));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Polls until {@code done} holds (at most 30 s: a deadline, not a timing assertion) and returns the value. */
  public <T> T await(Supplier<T> probe, Predicate<T> done) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    T value = probe.get();
    while (!done.test(value)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not reached within 30 s; last value: " + value);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
      value = probe.get();
    }
    return value;
  }

  /** Starts the graceful stop and returns at once; close() afterwards still cleans up. */
  public java.util.concurrent.CompletableFuture<Void> stopAsync() {
    return gateway.stop().toCompletionStage().toCompletableFuture();
  }

  public int pruneDedupWindow() {
    try {
      return gateway.pruneDedupWindow().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Folds every committed event into the usage aggregates now; returns the folded mark. */
  public long foldUsage() {
    try {
      return gateway.foldUsage().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public long storedEvents() {
    return queryLong("SELECT count(*) FROM meter_events");
  }

  @Override
  public void close() {
    try {
      gateway.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      // the database is dropped regardless
    }
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // as above
    }
    if (ownsDatabase) {
      TestDatabase.drop(db);
    }
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
