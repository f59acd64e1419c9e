package io.metergate.events;

import io.metergate.common.Ids;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
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

  private EventLog() {}

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
