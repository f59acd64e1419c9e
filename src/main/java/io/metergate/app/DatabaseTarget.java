package io.metergate.app;

import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Where the gateway's PostgreSQL is, how it was chosen (for the start-up log), and TLS as libpq
 * means it: {@code sslMode} disable|allow|prefer|require|verify-ca|verify-full (null: disable),
 * {@code sslRootCert} the CA file that verify-ca and verify-full check the server against.
 */
public record DatabaseTarget(String host, int port, String database, String user, String password,
                             String origin, AutoCloseable embedded, String sslMode, String sslRootCert) {

  public DatabaseTarget(String host, int port, String database, String user, String password, String origin,
                        AutoCloseable embedded) {
    this(host, port, database, user, password, origin, embedded, null, null);
  }

  public String jdbcUrl() {
    return jdbcUrl(database);
  }

  /** The same server and TLS settings, another database (e.g. "postgres" to create ours). */
  public String jdbcUrl(String otherDatabase) {
    StringBuilder url = new StringBuilder("jdbc:postgresql://").append(host).append(':').append(port).append('/')
        .append(otherDatabase);
    if (sslMode != null) {
      url.append("?sslmode=").append(sslMode);
      if (sslRootCert != null) {
        url.append("&sslrootcert=").append(URLEncoder.encode(sslRootCert, StandardCharsets.UTF_8));
      }
    }
    return url.toString();
  }

  public PgConnectOptions connectOptions() {
    PgConnectOptions o = new PgConnectOptions()
        .setHost(host).setPort(port).setDatabase(database).setUser(user)
        .setCachePreparedStatements(true)
        .setPipeliningLimit(256)
        .setReconnectAttempts(0)
        // bounds a statement stuck on locks or a stalled server (the writer answers 503 sooner)
        .addProperty("statement_timeout", "60000")
        // every statement here is a short index-driven one; JIT compiling one whose estimate looks large
        // (a summary over a big unfolded range) costs hundreds of milliseconds and saves nothing
        .addProperty("jit", "off");
    if (password != null) {
      o.setPassword(password);
    }
    if (sslMode != null && !sslMode.equals("disable")) {
      o.setSslMode(SslMode.of(sslMode));
      ClientSSLOptions ssl = new ClientSSLOptions();
      if (sslRootCert != null) {
        ssl.setTrustOptions(new PemTrustOptions().addCertPath(sslRootCert));
      } else {
        // libpq semantics: require/prefer/allow encrypt without verifying the server certificate
        ssl.setTrustAll(true);
      }
      if (sslMode.equals("verify-full")) {
        ssl.setHostnameVerificationAlgorithm("HTTPS");
      }
      o.setSslOptions(ssl);
    }
    return o;
  }

  public String describe() {
    return origin + " PostgreSQL at " + host + ":" + port + "/" + database
        + (sslMode == null || sslMode.equals("disable") ? "" : " (TLS, sslmode=" + sslMode + ")");
  }
}
