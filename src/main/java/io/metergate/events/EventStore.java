package io.metergate.events;

import io.metergate.accounts.Principal;
import io.metergate.common.ApiError;
import io.metergate.common.ListRequest;
import io.metergate.common.Paging;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/** Reads of recorded events, scoped to the caller's account and mode. */
final class EventStore {

  private final Pool pool;

  EventStore(Pool pool) {
    this.pool = pool;
  }

  Future<StoredEvent> find(Principal who, String publicId) {
    return pool.preparedQuery(EventSql.FIND).execute(Tuple.of(publicId, who.accountId(), who.livemode()))
        .map(rows -> {
          if (rows.size() == 0) {
            throw ApiError.notFound("event", publicId, "id");
          }
          return StoredEvent.fromRow(rows.iterator().next());
        });
  }

  Future<Paging.Page<StoredEvent>> list(Principal who, EventFilter f, ListRequest page) {
    Future<Long> bound = Paging.bound(pool, page, EventSql.CURSOR_ID, "event", who.accountId(), who.livemode());
    return bound.compose(id -> pool.preparedQuery(Paging.backwards(page) ? EventSql.LIST_BEFORE : EventSql.LIST_AFTER)
            .execute(Tuple.tuple().addLong(who.accountId()).addBoolean(who.livemode()).addLong(id)
                .addString(f.typePattern())
                .addArrayOfString(f.types() == null ? null : f.types().toArray(String[]::new))
                .addLong(f.createdFrom()).addLong(f.createdBefore()).addBoolean(f.deliverySuccess())
                .addInteger(page.limit() + 1)))
        .map(rows -> Paging.page(Paging.rows(rows, StoredEvent::fromRow), page));
  }
}
