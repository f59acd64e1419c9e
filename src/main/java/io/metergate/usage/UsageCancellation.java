package io.metergate.usage;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Takes a canceled event out of the usage numbers, inside the cancellation's transaction (which
 * holds {@link UsageLock} shared, so no folder pass runs meanwhile). An event the folder has not
 * reached yet needs nothing more: readers and the folder skip canceled events. A folded one leaves
 * its minute and hour, a new latest event is found where it was the latest, and it leaves the
 * progress of the alerts that counted it.
 */
public final class UsageCancellation {
  /** The canceled event as stored. {@code value} is null for count meters. */
  public record Canceled(long id, long meterId, String customerId, BigDecimal value, OffsetDateTime timestamp,
                         boolean latestWins) {}

  private UsageCancellation() {}

  public static Future<Void> retract(SqlConnection tx, Canceled e) {
    return tx.query(UsageSql.FOLDED_THROUGH).execute().compose(rows -> {
      long folded = rows.iterator().next().getLong(0);
      if (e.id() > folded) {
        return Future.succeededFuture();
      }
      long minute = Math.floorDiv(e.timestamp().toEpochSecond(), 60);
      BigDecimal value = e.value() == null ? BigDecimal.ZERO : e.value();
      return tx.preparedQuery(UsageSql.RETRACT).execute(Tuple.of(e.meterId(), e.customerId(), minute, value))
          .compose(kept -> relatest(tx, e, minute, folded, kept.iterator().next()))
          .compose(v -> retractFromAlerts(tx, e, folded));
    });
  }

  private static Future<Void> relatest(SqlConnection tx, Canceled e, long minute, long folded, Row kept) {
    if (!e.latestWins() || !Long.valueOf(e.id()).equals(kept.getLong("minute_last"))) {
      return Future.succeededFuture();
    }
    boolean hourToo = Long.valueOf(e.id()).equals(kept.getLong("hour_last"));
    return tx.preparedQuery(UsageSql.RELATEST_MINUTE).execute(Tuple.of(e.meterId(), e.customerId(), minute, folded))
        .compose(v -> hourToo
            ? tx.preparedQuery(UsageSql.RELATEST_HOUR).execute(Tuple.of(e.meterId(), e.customerId(), minute))
            : Future.succeededFuture())
        .mapEmpty();
  }

  private static Future<Void> retractFromAlerts(SqlConnection tx, Canceled e, long folded) {
    Tuple args = Tuple.of(e.id(), e.meterId(), e.customerId(), e.value(), e.timestamp(), folded);
    return tx.preparedQuery(UsageSql.RETRACT_PROGRESS).execute(args).compose(rows -> {
      List<Long> lostLatest = new ArrayList<>();
      rows.forEach(r -> {
        if (Boolean.TRUE.equals(r.getBoolean("lost_latest"))) {
          lostLatest.add(r.getLong("alert_id"));
        }
      });
      if (lostLatest.isEmpty()) {
        return Future.succeededFuture();
      }
      return tx.preparedQuery(UsageSql.RELATEST_PROGRESS).execute(Tuple.tuple()
          .addArrayOfLong(lostLatest.toArray(new Long[0])).addLong(e.meterId()).addLong(folded)
          .addString(e.customerId())).mapEmpty();
    });
  }
}
