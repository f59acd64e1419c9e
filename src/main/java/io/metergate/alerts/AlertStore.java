package io.metergate.alerts;

import io.metergate.accounts.Principal;
import io.metergate.common.ApiError;
import io.metergate.common.Ids;
import io.metergate.common.ListRequest;
import io.metergate.common.Paging;
import io.metergate.usage.UsageLock;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

/** Alert persistence; every statement is scoped to the caller's account and mode. */
public final class AlertStore {
  /** Stripe's limit of alerts watching one meter and customer. */
  static final int MAX_ALERTS_PER_CUSTOMER = 25;
  private static final String[] LEAVES_ACTIVE = {"active"};
  private static final String[] LEAVES_INACTIVE = {"inactive"};
  private static final String[] NOT_ARCHIVED = {"active", "inactive"};

  private final Pool pool;

  public AlertStore(Pool pool) {
    this.pool = pool;
  }

  public Future<Alert> create(Principal who, AlertDraft d) {
    // under the usage lock: no folder pass can fold an event this alert counts before the alert is visible
    return pool.withTransaction(tx -> UsageLock.holdShared(tx)
        .compose(v -> tx.preparedQuery(AlertSql.LOCK_METER).execute(Tuple.of(d.meter(), who.accountId(), who.livemode())))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(ApiError.of(400, "invalid_request_error", "resource_missing",
                "No such billing meter: '" + d.meter() + "'", "usage_threshold[meter]"));
          }
          Row meter = rows.iterator().next();
          if (!"active".equals(meter.getString("status"))) {
            return Future.failedFuture(ApiError.invalid("meter_inactive", "The meter " + d.meter()
                + " is inactive; reactivate it before creating alerts on it.", "usage_threshold[meter]"));
          }
          long meterId = meter.getLong("id");
          return tx.preparedQuery(AlertSql.WATCHING).execute(Tuple.of(meterId, d.customer()))
              .compose(count -> {
                if (count.iterator().next().getLong(0) >= MAX_ALERTS_PER_CUSTOMER) {
                  return Future.failedFuture(ApiError.invalid("alert_limit_reached", "A meter and customer can be"
                      + " watched by at most " + MAX_ALERTS_PER_CUSTOMER + " alerts; archive one first.",
                      "usage_threshold[meter]"));
                }
                return tx.preparedQuery(AlertSql.INSERT).execute(Tuple.of(Ids.newId("alrt_"), who.accountId(),
                    who.livemode(), d.title(), meterId, d.gte(), d.customer()));
              });
        })
        .map(AlertStore::single));
  }

  public Future<Alert> find(Principal who, String publicId) {
    return pool.preparedQuery(AlertSql.FIND).execute(Tuple.of(publicId, who.accountId(), who.livemode()))
        .map(rows -> {
          if (rows.size() == 0) {
            throw ApiError.notFound("billing.alert", publicId, "id");
          }
          return single(rows);
        });
  }

  /**
   * activate and deactivate work between active and inactive; archive from either. An alert already
   * in the target state, or archived, is refused with a code saying which.
   */
  public Future<Alert> setStatus(Principal who, String publicId, String status) {
    String[] from = switch (status) {
      case "active" -> LEAVES_INACTIVE;
      case "inactive" -> LEAVES_ACTIVE;
      default -> NOT_ARCHIVED;
    };
    return pool.preparedQuery(AlertSql.SET_STATUS)
        .execute(Tuple.of(publicId, who.accountId(), who.livemode(), status).addArrayOfString(from))
        .compose(rows -> rows.size() > 0
            ? Future.succeededFuture(single(rows))
            : find(who, publicId).compose(a -> Future.failedFuture(refusal(a, status))));
  }

  private static ApiError refusal(Alert a, String status) {
    if ("archived".equals(a.status())) {
      return ApiError.invalid("alert_archived",
          "The alert " + a.publicId() + " is archived; archiving cannot be undone.", null);
    }
    return ApiError.invalid("alert_already_" + status, "The alert " + a.publicId() + " is already " + status + ".",
        null);
  }

  public Future<Paging.Page<Alert>> list(Principal who, String meter, ListRequest request) {
    boolean backwards = Paging.backwards(request);
    Future<Long> meterId = meter == null ? Future.succeededFuture(null)
        : idOf(AlertSql.METER_ID, who, meter, "billing meter", "meter");
    Future<Long> bound = Paging.bound(pool, request, AlertSql.CURSOR_ID, "billing.alert", who.accountId(),
        who.livemode());
    return Future.all(meterId, bound)
        .compose(v -> pool.preparedQuery(backwards ? AlertSql.LIST_BEFORE : AlertSql.LIST_AFTER)
            .execute(Tuple.of(who.accountId(), who.livemode(), meterId.result(), bound.result(), request.limit() + 1)))
        .map(rows -> Paging.page(Paging.rows(rows, AlertStore::toAlert), request));
  }

  private Future<Long> idOf(String sql, Principal who, String publicId, String resource, String param) {
    return pool.preparedQuery(sql).execute(Tuple.of(publicId, who.accountId(), who.livemode()))
        .map(rows -> {
          if (rows.size() == 0) {
            throw ApiError.notFound(resource, publicId, param);
          }
          return rows.iterator().next().getLong(0);
        });
  }

  private static Alert single(RowSet<Row> rows) {
    return toAlert(rows.iterator().next());
  }

  static Alert toAlert(Row r) {
    return new Alert(r.getLong("id"), r.getString("public_id"), r.getLong("account_id"), r.getBoolean("livemode"),
        r.getString("title"), r.getLong("meter_id"), r.getString("meter"), r.getLong("gte"), r.getString("customer"),
        r.getString("status"), r.getLong("counts_after_id"),
        r.getOffsetDateTime("created_at").toInstant());
  }
}
