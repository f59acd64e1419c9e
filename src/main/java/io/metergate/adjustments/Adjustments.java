package io.metergate.adjustments;

import io.metergate.accounts.Principal;
import io.metergate.common.ApiError;
import io.metergate.ingest.IdentifierHash;
import io.metergate.meters.Meter;
import io.metergate.meters.MeterStore;
import io.metergate.usage.UsageCancellation;
import io.metergate.usage.UsageLock;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * Cancels one event by identifier, synchronously: when the call returns, the event no longer counts
 * in any summary or alert. Canceling the same event twice, or one that is unknown, older than 24
 * hours or of another meter, is refused.
 */
public final class Adjustments {
  private final Pool pool;
  private final MeterStore meters;

  public Adjustments(Pool pool, MeterStore meters) {
    this.pool = pool;
    this.meters = meters;
  }

  public Future<Void> cancel(Principal who, CancelRequest r) {
    return meters.findByEventName(who.accountId(), who.livemode(), r.eventName()).compose(meter -> {
      if (meter == null) {
        return Future.failedFuture(ApiError.invalid("no_meter",
            "No meter was found for event_name '" + r.eventName() + "'.", r.eventNameParam()));
      }
      return pool.withTransaction(tx -> UsageLock.holdShared(tx)
          .compose(v -> tx.preparedQuery(AdjustmentSql.FIND_CLAIM)
              .execute(Tuple.of(who.accountId(), who.livemode(), IdentifierHash.of(r.identifier()))))
          .compose(claims -> {
            Long eventId = claims.size() == 0 ? null : claims.iterator().next().getLong(0);
            if (eventId == null) {
              return Future.failedFuture(notFound(r));
            }
            return tx.preparedQuery(AdjustmentSql.LOCK_EVENT).execute(Tuple.of(eventId, who.accountId(), who.livemode()))
                .compose(rows -> rows.size() == 0 ? Future.failedFuture(notFound(r))
                    : cancelEvent(tx, meter, r, rows.iterator().next()));
          }));
    });
  }

  private Future<Void> cancelEvent(SqlConnection tx, Meter meter, CancelRequest r, Row e) {
    if (e.getLong("meter_id") != meter.id() || !r.identifier().equals(e.getString("identifier"))) {
      return Future.failedFuture(notFound(r));
    }
    if (e.getOffsetDateTime("canceled_at") != null) {
      return Future.failedFuture(ApiError.invalid("meter_event_already_canceled",
          "The meter event with identifier '" + r.identifier() + "' is already canceled.", r.identifierParam()));
    }
    UsageCancellation.Canceled canceled = new UsageCancellation.Canceled(e.getLong("id"), meter.id(),
        e.getString("customer_id"), e.getBigDecimal("value"), e.getOffsetDateTime("event_ts"),
        e.getBoolean("latest_wins"));
    return tx.preparedQuery(AdjustmentSql.CANCEL).execute(Tuple.of(canceled.id()))
        .compose(v -> UsageCancellation.retract(tx, canceled));
  }

  private static ApiError notFound(CancelRequest r) {
    return ApiError.of(404, "invalid_request_error", "resource_missing", "No meter event with identifier '"
        + r.identifier() + "' and event_name '" + r.eventName()
        + "' was received in the last 24 hours; only those can be canceled.", r.identifierParam());
  }
}
