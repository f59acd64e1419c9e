package io.metergate.usage;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

/**
 * The lock that keeps usage changes outside the folder (cancellations, new alerts) apart from a
 * folder pass: they hold it shared for their transaction, a pass holds it exclusively.
 */
public final class UsageLock {
  private UsageLock() {}

  /** Must run first in the caller's transaction: it waits for a running pass and holds the next one off. */
  public static Future<Void> holdShared(SqlConnection tx) {
    return tx.query(UsageSql.USAGE_LOCK_SHARED).execute().mapEmpty();
  }
}
