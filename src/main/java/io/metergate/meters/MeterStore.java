package io.metergate.meters;

import io.metergate.accounts.Principal;
import io.metergate.common.ApiError;
import io.metergate.common.Ids;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Meter persistence; every statement is scoped to the caller's account and mode. */
public final class MeterStore {
  private static final String UNIQUE_VIOLATION = "23505";

  private final Pool pool;
  private final ActiveMeterCache cache;

  public record Page(List<Meter> meters, boolean hasMore) {}

  public MeterStore(Pool pool, ActiveMeterCache cache) {
    this.pool = pool;
    this.cache = cache;
  }

  public Future<Meter> create(Principal who, MeterDraft d) {
    Tuple args = Tuple.of(Ids.newId("mtr_"), who.accountId(), who.livemode(), d.displayName(), d.eventName(),
        d.formula(), d.customerPayloadKey(), d.valuePayloadKey(), d.eventTimeWindow());
    return pool.preparedQuery(MeterSql.INSERT).execute(args)
        .recover(err -> Future.failedFuture(isUniqueViolation(err)
            ? ApiError.invalid("resource_already_exists",
                "A meter with event_name '" + d.eventName() + "' already exists.", "event_name")
            : err))
        .map(MeterStore::single)
        .onSuccess(m -> cache.invalidate(m.accountId(), m.livemode(), m.eventName()));
  }

  public Future<Meter> find(Principal who, String publicId) {
    return pool.preparedQuery(MeterSql.FIND).execute(Tuple.of(publicId, who.accountId(), who.livemode()))
        .map(rows -> {
          if (rows.size() == 0) {
            throw ApiError.notFound("billing.meter", publicId, "id");
          }
          return single(rows);
        });
  }

  public Future<Meter> findByEventName(long accountId, boolean livemode, String eventName) {
    return pool.preparedQuery(MeterSql.FIND_BY_EVENT_NAME).execute(Tuple.of(accountId, livemode, eventName))
        .map(rows -> rows.size() == 0 ? null : single(rows));
  }

  public Future<Meter> rename(Principal who, String publicId, String displayName) {
    return pool.preparedQuery(MeterSql.UPDATE_DISPLAY_NAME)
        .execute(Tuple.of(publicId, who.accountId(), who.livemode(), displayName))
        .map(rows -> {
          if (rows.size() == 0) {
            throw ApiError.notFound("billing.meter", publicId, "id");
          }
          return single(rows);
        });
  }

  public Future<Meter> setStatus(Principal who, String publicId, String status) {
    return pool.preparedQuery(MeterSql.SET_STATUS)
        .execute(Tuple.of(publicId, who.accountId(), who.livemode(), status))
        .compose(rows -> rows.size() > 0
            ? Future.succeededFuture(single(rows))
            : find(who, publicId).compose(m -> Future.failedFuture(ApiError.invalid(
                "inactive".equals(status) ? "meter_already_inactive" : "meter_already_active",
                "The meter " + publicId + " is already " + status + ".", null))))
        .onSuccess(m -> cache.invalidate(m.accountId(), m.livemode(), m.eventName()));
  }

  public Future<Page> list(Principal who, String status, int limit, String startingAfter, String endingBefore) {
    boolean backwards = endingBefore != null;
    String cursor = backwards ? endingBefore : startingAfter;
    Future<Long> bound = cursor == null
        ? Future.succeededFuture(backwards ? 0L : Long.MAX_VALUE)
        : cursorId(who, cursor, backwards ? "ending_before" : "starting_after");
    return bound.compose(id -> pool.preparedQuery(backwards ? MeterSql.LIST_BEFORE : MeterSql.LIST_AFTER)
        .execute(Tuple.of(who.accountId(), who.livemode(), status, id, limit + 1)))
        .map(rows -> {
          List<Meter> meters = new ArrayList<>(rows.size());
          rows.forEach(r -> meters.add(toMeter(r)));
          boolean hasMore = meters.size() > limit;
          if (hasMore) {
            meters.remove(meters.size() - 1);
          }
          if (backwards) {
            Collections.reverse(meters);
          }
          return new Page(meters, hasMore);
        });
  }

  private Future<Long> cursorId(Principal who, String publicId, String param) {
    return pool.preparedQuery(MeterSql.CURSOR_ID).execute(Tuple.of(publicId, who.accountId(), who.livemode()))
        .map(rows -> {
          if (rows.size() == 0) {
            throw ApiError.notFound("billing.meter", publicId, param);
          }
          return rows.iterator().next().getLong(0);
        });
  }

  private static boolean isUniqueViolation(Throwable err) {
    return err instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState());
  }

  private static Meter single(RowSet<Row> rows) {
    return toMeter(rows.iterator().next());
  }

  static Meter toMeter(Row r) {
    return new Meter(r.getLong("id"), r.getString("public_id"), r.getLong("account_id"), r.getBoolean("livemode"),
        r.getString("display_name"), r.getString("event_name"), r.getString("formula"),
        r.getString("customer_payload_key"), r.getString("value_payload_key"), r.getString("event_time_window"),
        r.getString("status"), instant(r.getOffsetDateTime("created_at")), instant(r.getOffsetDateTime("updated_at")),
        instant(r.getOffsetDateTime("deactivated_at")));
  }

  private static java.time.Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }
}
