package io.metergate.testing;

import io.metergate.app.Config;
import io.metergate.app.DatabaseTarget;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The PostgreSQL server tests run against: METERGATE_TEST_DATABASE_URL when set, else the local
 * server at 127.0.0.1:5432, else a Testcontainers PostgreSQL where Docker exists. Never a mock.
 * Each caller gets a fresh database with a random name, dropped when done.
 */
public final class TestDatabase {
  private static DatabaseTarget server;

  private TestDatabase() {}

  public static synchronized DatabaseTarget freshDatabase() {
    DatabaseTarget s = server();
    String name = "mg_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
    try (Connection c = connect(s, "postgres"); var st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("Could not create test database on " + s.describe() + ": " + e.getMessage(), e);
    }
    return new DatabaseTarget(s.host(), s.port(), name, s.user(), s.password(), "test", null);
  }

  public static void drop(DatabaseTarget db) {
    try (Connection c = connect(db, "postgres"); var st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + db.database() + " WITH (FORCE)");
    } catch (SQLException e) {
      // best effort: a leftover test database does no harm
    }
  }

  public static Connection connect(DatabaseTarget t, String database) throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://" + t.host() + ":" + t.port() + "/" + database, t.user(),
        t.password());
  }

  private static DatabaseTarget server() {
    if (server != null) {
      return server;
    }
    String url = System.getenv("METERGATE_TEST_DATABASE_URL");
    if (url != null && !url.isBlank()) {
      Config cfg = Config.fromEnv(Map.of("METERGATE_DATABASE_URL", url));
      server = io.metergate.app.Database.resolve(cfg);
      return server;
    }
    DatabaseTarget local = new DatabaseTarget("127.0.0.1", 5432, "postgres", "postgres", null, "local", null);
    try (Connection ignored = connect(local, "postgres")) {
      server = local;
      return server;
    } catch (SQLException e) {
      // fall through to Testcontainers
    }
    if (!DockerClientFactory.instance().isDockerAvailable()) {
      throw new IllegalStateException("No PostgreSQL for tests: set METERGATE_TEST_DATABASE_URL, start the local server"
          + " at 127.0.0.1:5432 (pg_ctlcluster 15 main start), or provide Docker for Testcontainers.");
    }
    PostgreSQLContainer container = new PostgreSQLContainer("postgres:15-alpine");
    container.start();
    server = new DatabaseTarget(container.getHost(), container.getMappedPort(5432), "postgres",
        container.getUsername(), container.getPassword(), "testcontainers", container);
    return server;
  }
}
