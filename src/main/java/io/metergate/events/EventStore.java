package io.metergate.events;

import io.metergate.accounts.Principal;
import io.metergate.common.ApiError;
import io.metergate.common.ListRequest;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Reads of recorded events, scoped to the caller's account and mode. */
final class EventStore {
  record Page(List<StoredEvent> events, boolean hasMore) {}

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

  Future<Page> list(Principal who, EventFilter f, ListRequest page) {
    boolean backwards = page.endingBefore() != null;
    String cursor = backwards ? page.endingBefore() : page.startingAfter();
    Future<Long> bound = cursor == null
        ? Future.succeededFuture(backwards ? 0L : Long.MAX_VALUE)
        : cursorId(who, cursor, backwards ? "ending_before" : "starting_after");
    return bound.compose(id -> pool.preparedQuery(backwards ? EventSql.LIST_BEFORE : EventSql.LIST_AFTER)
            .execute(Tuple.tuple().addLong(who.accountId()).addBoolean(who.livemode()).addLong(id)
                .addString(f.typePattern())
                .addArrayOfString(f.types() == null ? null : f.types().toArray(String[]::new))
                .addLong(f.createdFrom()).addLong(f.createdBefore()).addBoolean(f.deliverySuccess())
                .addInteger(page.limit() + 1)))
        .map(rows -> {
          List<StoredEvent> events = new ArrayList<>(rows.size());
          rows.forEach(r -> events.add(StoredEvent.fromRow(r)));
          boolean hasMore = events.size() > page.limit();
          if (hasMore) {
            events.remove(events.size() - 1);
          }
          if (backwards) {
            Collections.reverse(events);
          }
          return new Page(events, hasMore);
        });
  }

  private Future<Long> cursorId(Principal who, String publicId, String param) {
    return pool.preparedQuery(EventSql.CURSOR_ID).execute(Tuple.of(publicId, who.accountId(), who.livemode()))
        .map(rows -> {
          if (rows.size() == 0) {
            throw ApiError.notFound("event", publicId, param);
          }
          return rows.iterator().next().getLong(0);
        });
  }
}
