package io.metergate.app;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the database at start-up, before any event loop exists (this is blocking JDBC):
 * the configured URL; else the local server at 127.0.0.1:5432; else an embedded PostgreSQL whose
 * data stays under a local folder.
 */
public final class Database {
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);
  static final String DEFAULT_DATABASE = "metergate";
  static final java.util.List<String> SSL_MODES =
      java.util.List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

  private Database() {}

  /** Blocking (JDBC, and waiting for a database that is still starting): the main thread only. */
  public static DatabaseTarget resolve(Config config) {
    Blocking.requireOffEventLoop("Resolving the database");
    if (config.databaseUrl().isPresent()) {
      return awaitConfigured(parseUrl(config.databaseUrl().get(), config), config.databaseWaitSeconds());
    }
    DatabaseTarget local = new DatabaseTarget("127.0.0.1", 5432, DEFAULT_DATABASE, "postgres", null, "local", null);
    try {
      ensureDatabase(local);
      return local;
    } catch (SQLException e) {
      LOG.info("No usable PostgreSQL at 127.0.0.1:5432 ({}); starting an embedded one", firstLine(e));
    }
    return embedded(config);
  }

  /**
   * Connects to the configured database, retrying failures that can pass (refused, timed out, still
   * starting up) for up to {@code waitSeconds}, so a pod that starts before its database does not
   * crash-loop. Wrong credentials or a missing database fail at once. Runs on the main thread before
   * any event loop exists (see {@link #resolve}), so sleeping here blocks nothing.
   */
  static DatabaseTarget awaitConfigured(DatabaseTarget t, int waitSeconds) {
    long deadline = System.nanoTime() + waitSeconds * 1_000_000_000L;
    long backoffMillis = 250;
    while (true) {
      try (Connection ignored = connect(t, t.database(), 5)) {
        return t;
      } catch (SQLException e) {
        if (!transientFailure(e) || System.nanoTime() >= deadline) {
          throw new ConfigException("Cannot connect to the configured database " + t.host() + ":" + t.port() + "/"
              + t.database() + " as '" + t.user() + "'" + (waitSeconds > 0 && transientFailure(e)
              ? " (waited " + waitSeconds + " s)" : "") + ": " + firstLine(e) + ". Check METERGATE_DATABASE_URL.");
        }
        LOG.info("Waiting for the database {}:{} ({}); retrying in {} ms", t.host(), t.port(), firstLine(e),
            backoffMillis);
        try {
          Thread.sleep(backoffMillis);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new ConfigException("Interrupted while waiting for the database.");
        }
        backoffMillis = Math.min(backoffMillis * 2, 5_000);
      }
    }
  }

  /** Connection-level failures (class 08) and "the database system is starting up" (57P03). */
  static boolean transientFailure(SQLException e) {
    String state = e.getSQLState();
    return state != null && (state.startsWith("08") || state.equals("57P03"));
  }

  /** postgresql://user:password@host:port/db (postgres:// and jdbc:postgresql:// also accepted). */
  static DatabaseTarget parseUrl(String url, Config config) {
    String u = url.startsWith("jdbc:") ? url.substring(5) : url;
    URI uri;
    try {
      uri = URI.create(u);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("METERGATE_DATABASE_URL is not a valid URL: " + e.getMessage());
    }
    if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new ConfigException("METERGATE_DATABASE_URL must look like postgresql://user:password@host:5432/database"
          + " (got scheme '" + uri.getScheme() + "').");
    }
    String user = "postgres";
    String password = null;
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      user = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
      password = parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : null;
    }
    user = config.databaseUser().orElse(user);
    password = config.databasePassword().orElse(password);
    String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
    String database = path.isEmpty() ? DEFAULT_DATABASE : path;
    int port = uri.getPort() < 0 ? 5432 : uri.getPort();
    String sslMode = null;
    String sslRootCert = null;
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        String[] kv = pair.split("=", 2);
        String value = kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "";
        switch (kv[0]) {
          case "sslmode" -> sslMode = value;
          case "sslrootcert" -> sslRootCert = value;
          default -> throw new ConfigException("METERGATE_DATABASE_URL parameter '" + kv[0]
              + "' is not supported (supported: sslmode, sslrootcert).");
        }
      }
    }
    if (sslMode != null && !SSL_MODES.contains(sslMode)) {
      throw new ConfigException("METERGATE_DATABASE_URL sslmode must be one of " + String.join(", ", SSL_MODES)
          + " (got '" + sslMode + "').");
    }
    if (sslMode != null && sslMode.startsWith("verify") && sslRootCert == null) {
      throw new ConfigException("METERGATE_DATABASE_URL sslmode=" + sslMode
          + " needs sslrootcert=<path of the CA certificate> to verify the server against.");
    }
    return new DatabaseTarget(uri.getHost(), port, database, user, password, "configured", null, sslMode,
        sslRootCert);
  }

  private static DatabaseTarget embedded(Config config) {
    try {
      Files.createDirectories(config.embeddedDataDir());
      EmbeddedPostgres pg = EmbeddedPostgres.builder()
          .setDataDirectory(config.embeddedDataDir())
          .setCleanDataDirectory(false)
          .setPort(config.embeddedPort())
          .start();
      DatabaseTarget t = new DatabaseTarget("127.0.0.1", pg.getPort(), DEFAULT_DATABASE, "postgres", null,
          "embedded (data in " + config.embeddedDataDir().toAbsolutePath() + ")", pg);
      ensureDatabase(t);
      return t;
    } catch (IOException | SQLException | RuntimeException e) {
      throw new ConfigException("No PostgreSQL answered at 127.0.0.1:5432 and the embedded PostgreSQL could not"
          + " start under " + config.embeddedDataDir().toAbsolutePath() + ": " + firstLine(e)
          + ". Set METERGATE_DATABASE_URL to a PostgreSQL server.");
    }
  }

  /** Creates the target database on first use (the server's own "postgres" database must exist). */
  static void ensureDatabase(DatabaseTarget t) throws SQLException {
    try (Connection c = connect(t, "postgres", 2);
         var check = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      check.setString(1, t.database());
      if (!check.executeQuery().next()) {
        try (var create = c.createStatement()) {
          create.execute("CREATE DATABASE \"" + t.database().replace("\"", "\"\"") + "\"");
          LOG.info("Created database {}", t.database());
        } catch (SQLException e) {
          if (!"42P04".equals(e.getSQLState())) {
            throw e;
          }
        }
      }
    }
  }

  static Connection connect(DatabaseTarget t, String database, int timeoutSeconds) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", t.user());
    if (t.password() != null) {
      props.setProperty("password", t.password());
    }
    props.setProperty("connectTimeout", Integer.toString(timeoutSeconds));
    props.setProperty("loginTimeout", Integer.toString(timeoutSeconds));
    return DriverManager.getConnection(t.jdbcUrl(database), props);
  }

  private static String firstLine(Throwable e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
