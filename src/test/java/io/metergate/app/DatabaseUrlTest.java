package io.metergate.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("METERGATE_DATABASE_URL: credentials, database and TLS settings")
class DatabaseUrlTest {
  private static final Config NO_OVERRIDES = Config.fromEnv(Map.of());

  private static DatabaseTarget parse(String url) {
    return Database.parseUrl(url, NO_OVERRIDES);
  }

  @Test
  @DisplayName("user, URL-encoded password, host, port and database are read; the database defaults to metergate")
  void basics() {
    DatabaseTarget t = parse("postgresql://meter:p%40ss%3Aword@db.internal:6543/usage");
    assertThat(t.user()).isEqualTo("meter");
    assertThat(t.password()).isEqualTo("p@ss:word");
    assertThat(t.host()).isEqualTo("db.internal");
    assertThat(t.port()).isEqualTo(6543);
    assertThat(t.database()).isEqualTo("usage");
    assertThat(parse("postgres://db").database()).isEqualTo("metergate");
    assertThat(parse("jdbc:postgresql://db:5432/x").jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/x");
  }

  @Test
  @DisplayName("every gateway session bounds its statements and never JIT-compiles them")
  void sessionSettings() {
    Map<String, String> settings = parse("postgresql://db/x").connectOptions().getProperties();
    assertThat(settings).containsEntry("statement_timeout", "60000").containsEntry("jit", "off");
  }

  @Test
  @DisplayName("METERGATE_DATABASE_USER and _PASSWORD override the URL's credentials")
  void credentialOverrides() {
    Config c = Config.fromEnv(Map.of("METERGATE_DATABASE_USER", "app", "METERGATE_DATABASE_PASSWORD", "s3cret"));
    DatabaseTarget t = Database.parseUrl("postgresql://ignored:ignored@db/x", c);
    assertThat(t.user()).isEqualTo("app");
    assertThat(t.password()).isEqualTo("s3cret");
  }

  @Test
  @DisplayName("sslmode=require encrypts both drivers' connections without verifying the certificate, as libpq does")
  void sslRequire() {
    DatabaseTarget t = parse("postgresql://db/x?sslmode=require");
    PgConnectOptions o = t.connectOptions();
    assertThat(o.getSslMode()).isEqualTo(SslMode.REQUIRE);
    assertThat(o.getSslOptions().isTrustAll()).isTrue();
    assertThat(t.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/x?sslmode=require");
    assertThat(t.jdbcUrl("postgres")).isEqualTo("jdbc:postgresql://db:5432/postgres?sslmode=require");
    assertThat(t.describe()).contains("TLS, sslmode=require");
  }

  @Test
  @DisplayName("sslmode=verify-full checks the server against the given CA and its host name")
  void sslVerifyFull() {
    DatabaseTarget t = parse("postgresql://db/x?sslmode=verify-full&sslrootcert=/etc/ssl/db%20ca.pem");
    PgConnectOptions o = t.connectOptions();
    assertThat(o.getSslMode()).isEqualTo(SslMode.VERIFY_FULL);
    assertThat(o.getSslOptions().isTrustAll()).isFalse();
    assertThat(o.getSslOptions().getTrustOptions()).isNotNull();
    assertThat(o.getSslOptions().getHostnameVerificationAlgorithm()).isEqualTo("HTTPS");
    assertThat(t.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/x?sslmode=verify-full&sslrootcert=%2Fetc%2Fssl%2Fdb+ca.pem");
  }

  @Test
  @DisplayName("no sslmode means a plain connection, as before")
  void noSsl() {
    DatabaseTarget t = parse("postgresql://db/x");
    assertThat(t.connectOptions().getSslMode()).isEqualTo(SslMode.DISABLE);
    assertThat(t.jdbcUrl()).doesNotContain("ssl");
  }

  @Test
  @DisplayName("a bad sslmode, verify without a CA, or an unknown parameter stops start-up with a clear message")
  void refusals() {
    assertThatThrownBy(() -> parse("postgresql://db/x?sslmode=always")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("sslmode must be one of");
    assertThatThrownBy(() -> parse("postgresql://db/x?sslmode=verify-ca")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("sslrootcert");
    assertThatThrownBy(() -> parse("postgresql://db/x?application_name=x")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("'application_name' is not supported");
    assertThatThrownBy(() -> parse("mysql://db/x")).isInstanceOf(ConfigException.class);
  }
}
