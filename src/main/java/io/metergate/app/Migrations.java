package io.metergate.app;

import org.flywaydb.core.Flyway;

/** Flyway runs before any verticle deploys: it is blocking JDBC and the schema must be ready first. */
public final class Migrations {
  private Migrations() {}

  public static void run(DatabaseTarget db) {
    Flyway.configure()
        .dataSource(db.jdbcUrl(), db.user(), db.password())
        .locations("classpath:db/migration")
        .load()
        .migrate();
  }
}
