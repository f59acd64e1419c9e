package io.metergate.app;

import io.vertx.pgclient.PgConnectOptions;

/** Where the gateway's PostgreSQL is, and how it was chosen (for the start-up log). */
public record DatabaseTarget(String host, int port, String database, String user, String password,
                             String origin, AutoCloseable embedded) {

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  public PgConnectOptions connectOptions() {
    PgConnectOptions o = new PgConnectOptions()
        .setHost(host).setPort(port).setDatabase(database).setUser(user)
        .setCachePreparedStatements(true)
        .setPipeliningLimit(256)
        .setReconnectAttempts(0);
    if (password != null) {
      o.setPassword(password);
    }
    return o;
  }

  public String describe() {
    return origin + " PostgreSQL at " + host + ":" + port + "/" + database;
  }
}
