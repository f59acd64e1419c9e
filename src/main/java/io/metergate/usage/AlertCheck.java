package io.metergate.usage;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.Collection;

/** Called by the folder, inside its pass's transaction, with the alert progress a pass moved. */
@FunctionalInterface
public interface AlertCheck {
  /** An alert and a customer whose usage changed. */
  record Moved(long alertId, String customer) {}

  /** Returns how many alerts fired. */
  Future<Integer> check(SqlConnection tx, Collection<Moved> moved);
}
