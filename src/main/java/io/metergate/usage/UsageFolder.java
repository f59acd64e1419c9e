package io.metergate.usage;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Folds committed raw events into the per-minute and per-hour aggregates and advances alerts, one
 * transaction per pass, one folder at a time across replicas (an advisory lock).
 *
 * <p>Event ids are not committed in the order they are drawn, so "every id up to N is committed"
 * is established in two steps: a pass marks the highest visible id as pending together with the
 * transactions then writing meter_events; a later pass folds up to it once all of those have ended.
 * Readers add the raw events above folded_through, so summaries never wait for the folder.
 */
public final class UsageFolder {
  /** What one pass did. */
  public record Pass(boolean ran, long foldedThrough, long eventsFolded, long unfolded, boolean more,
                     int alertsTriggered) {
    static Pass skipped() {
      return new Pass(false, 0, 0, 0, false, 0);
    }
  }

  private record State(long folded, Long pending, boolean settled, long maxId) {}

  private final Pool pool;
  private final int chunk;
  private final AlertCheck alerts;

  public UsageFolder(Pool pool, int chunkEvents, AlertCheck alerts) {
    this.pool = pool;
    this.chunk = chunkEvents;
    this.alerts = alerts;
  }

  public Future<Pass> foldOnce() {
    return pool.withTransaction(tx -> tx.query(UsageSql.TRY_FOLDER_LOCK).execute().compose(locked ->
        locked.iterator().next().getBoolean(0) ? pass(tx) : Future.succeededFuture(Pass.skipped())));
  }

  private Future<Pass> pass(SqlConnection tx) {
    return tx.query(UsageSql.FOLD_STATE).execute().map(UsageFolder::state).compose(s -> {
      if (s.pending() != null && s.settled() && s.folded() < s.pending()) {
        long upTo = Math.min(s.pending(), s.folded() + chunk);
        return fold(tx, s.folded(), upTo).compose(pass -> {
          boolean caughtUp = upTo == s.pending();
          Future<?> marked = caughtUp && s.maxId() > upTo ? markPending(tx, s.maxId()) : Future.succeededFuture();
          return marked.map(v -> new Pass(true, upTo, pass.eventsFolded(), s.maxId() - upTo, !caughtUp,
              pass.alertsTriggered()));
        });
      }
      boolean idle = s.pending() == null || s.folded() >= s.pending();
      Future<?> marked = idle && s.maxId() > s.folded() ? markPending(tx, s.maxId()) : Future.succeededFuture();
      return marked.map(v -> new Pass(true, s.folded(), 0, s.maxId() - s.folded(), false, 0));
    });
  }

  private Future<Pass> fold(SqlConnection tx, long from, long upTo) {
    return tx.query(UsageSql.USAGE_LOCK_TIMEOUT).execute()
        .compose(v -> tx.query(UsageSql.USAGE_LOCK_EXCLUSIVE).execute())
        .compose(v -> tx.preparedQuery(UsageSql.FOLD).execute(Tuple.of(from, upTo)))
        .compose(rows -> {
          Set<AlertCheck.Moved> moved = new LinkedHashSet<>();
          long events = 0;
          for (Row r : rows) {
            if ("p".equals(r.getString("kind"))) {
              moved.add(new AlertCheck.Moved(r.getLong(1), r.getString(2)));
            } else {
              events = r.getLong(1);
            }
          }
          long folded = events;
          return alerts.check(tx, moved)
              .compose(fired -> tx.preparedQuery(UsageSql.ADVANCE).execute(Tuple.of(upTo))
                  .map(done -> new Pass(true, upTo, folded, 0, false, fired)));
        });
  }

  private static Future<RowSet<Row>> markPending(SqlConnection tx, long maxId) {
    return tx.preparedQuery(UsageSql.MARK_PENDING).execute(Tuple.of(maxId));
  }

  private static State state(RowSet<Row> rows) {
    Row r = rows.iterator().next();
    return new State(r.getLong("folded_through"), r.getLong("pending_through"),
        Boolean.TRUE.equals(r.getBoolean("settled")), r.getLong("max_id"));
  }
}
