package io.metergate.usage;

import io.metergate.alerts.AlertTrigger;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Takes a canceled event out of the usage numbers, inside the cancellation's transaction. An event
 * the folder has not reached yet needs nothing more (readers and the folder skip canceled events);
 * a folded one leaves its minute and hour, a new latest event is found where it was the latest,
 * and the progress of alerts that counted it is recomputed.
 */
public final class UsageCancellation {
  /** The canceled event as stored. {@code value} is null for count meters. */
  public record Canceled(long id, long meterId, String customerId, BigDecimal value, OffsetDateTime timestamp,
                         boolean latestWins) {}

  private final Clock clock;

  public UsageCancellation(Clock clock) {
    this.clock = clock;
  }

  /** Must run first in the transaction: holds folder passes off until it commits. */
  public Future<Void> lock(SqlConnection tx) {
    return tx.query(UsageSql.SHARED_FOLD_LOCK).execute().mapEmpty();
  }

  public Future<Void> retract(SqlConnection tx, Canceled e) {
    return tx.query(UsageSql.FOLDED_THROUGH).execute().compose(rows -> {
      long folded = rows.iterator().next().getLong(0);
      if (e.id() > folded) {
        return Future.succeededFuture();
      }
      long minute = Math.floorDiv(e.timestamp().toEpochSecond(), 60);
      BigDecimal value = e.value() == null ? BigDecimal.ZERO : e.value();
      return tx.preparedQuery(UsageSql.RETRACT).execute(Tuple.of(e.meterId(), e.customerId(), minute, value))
          .compose(kept -> relatest(tx, e, minute, folded, kept.iterator().next()))
          .compose(v -> recomputeAlerts(tx, e));
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

  private Future<Void> recomputeAlerts(SqlConnection tx, Canceled e) {
    return tx.preparedQuery(UsageSql.PROGRESS_TO_RECOMPUTE).execute(Tuple.of(e.meterId(), e.customerId(),
        e.timestamp())).compose(rows -> {
          List<AlertTrigger.Pair> pairs = new ArrayList<>();
          rows.forEach(r -> pairs.add(new AlertTrigger.Pair(r.getLong(0), e.customerId())));
          return AlertUsage.recompute(tx, pairs, clock.instant());
        });
  }
}
