package io.metergate.events;

import io.metergate.common.Ids;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * Records Stripe events (GET /v1/events) and queues one webhook delivery per matching enabled
 * endpoint, in one statement of the caller's transaction: an event that commits is delivered.
 */
public final class EventLog {
  /** The API version events are rendered in, the one stripe-java 33.3.0 pins. */
  public static final String API_VERSION = "2026-07-29.dahlia";

  public record NewEvent(long accountId, boolean livemode, String type, JsonObject dataObject) {}

  /** Stripe keeps events for 30 days. */
  static final int RETENTION_DAYS = 30;
  private static final int PRUNE_SLICE = 1000;

  private EventLog() {}

  /** Deletes one slice of events past retention, with their deliveries; returns how many events went. */
  public static Future<Integer> prune(Pool pool) {
    return pool.withTransaction(tx -> tx.preparedQuery(EventSql.EXPIRED).execute(Tuple.of(RETENTION_DAYS, PRUNE_SLICE))
        .compose(rows -> {
          Long[] ids = new Long[rows.size()];
          int i = 0;
          for (var r : rows) {
            ids[i++] = r.getLong(0);
          }
          if (ids.length == 0) {
            return Future.succeededFuture(0);
          }
          Tuple args = Tuple.tuple().addArrayOfLong(ids);
          return tx.preparedQuery(EventSql.DELETE_DELIVERIES).execute(args)
              .compose(v -> tx.preparedQuery(EventSql.DELETE_EVENTS).execute(args))
              .map(deleted -> deleted.rowCount());
        }));
  }

  /** Returns the new events' evt_ ids in input order. Call inside a transaction (tx). */
  public static Future<List<String>> record(SqlClient tx, List<NewEvent> events) {
    if (events.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    int n = events.size();
    String[] ids = new String[n];
    Long[] accounts = new Long[n];
    Boolean[] modes = new Boolean[n];
    String[] types = new String[n];
    String[] objects = new String[n];
    for (int i = 0; i < n; i++) {
      NewEvent e = events.get(i);
      ids[i] = Ids.newId("evt_");
      accounts[i] = e.accountId();
      modes[i] = e.livemode();
      types[i] = e.type();
      objects[i] = e.dataObject().encode();
    }
    Tuple args = Tuple.tuple().addArrayOfString(ids).addArrayOfLong(accounts).addArrayOfBoolean(modes)
        .addArrayOfString(types).addArrayOfString(objects).addString(API_VERSION);
    return tx.preparedQuery(EventSql.RECORD).execute(args).map(rows -> {
      List<String> out = new ArrayList<>(n);
      for (String id : ids) {
        out.add(id);
      }
      return out;
    });
  }
}
