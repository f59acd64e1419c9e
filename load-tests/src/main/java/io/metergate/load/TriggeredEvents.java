package io.metergate.load;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds recorded billing.alert.triggered events by polling: through GET /v1/events when the gateway
 * has it, else straight from the gateway's events table. Each poll returns the alert ids seen.
 */
interface TriggeredEvents {
  String TYPE = "billing.alert.triggered";

  /** "events_api" or "database". */
  String method();

  /** Alert ids (alrt_...) of triggered events recorded so far (possibly repeated across polls). */
  Future<List<String>> poll();

  Future<Void> close();

  /** The alert id inside a Stripe event object (data.object.alert.id), or null. */
  static String alertId(JsonObject event) {
    JsonObject object = event.getJsonObject("data", new JsonObject()).getJsonObject("object", new JsonObject());
    JsonObject alert = object.getJsonObject("alert");
    return alert == null ? null : alert.getString("id");
  }

  /** GET /v1/events?type=billing.alert.triggered&limit=100: the newest 100 are enough for one probe run. */
  final class EventsApi implements TriggeredEvents {
    static final String PATH = "/v1/events?type=" + TYPE + "&limit=100";
    private final BenchRun run;

    EventsApi(BenchRun run) {
      this.run = run;
    }

    /** Whether the gateway implements the list (a 501 or 404 means it does not). */
    static Future<GatewayHttp.Reply> probe(BenchRun run) {
      return run.withRetries("GET /v1/events", () -> run.api.get("/v1/events?type=" + TYPE + "&limit=1",
          run.secretAuth), run.deadline(2));
    }

    @Override
    public String method() {
      return "events_api";
    }

    @Override
    public Future<List<String>> poll() {
      return run.api.get(PATH, run.secretAuth).compose(r -> {
        if (r.status() != 200) {
          return Future.failedFuture("GET /v1/events answered HTTP " + r.status());
        }
        JsonArray data = r.body().toJsonObject().getJsonArray("data", new JsonArray());
        List<String> ids = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
          String id = TriggeredEvents.alertId(data.getJsonObject(i));
          if (id != null) {
            ids.add(id);
          }
        }
        return Future.succeededFuture(ids);
      });
    }

    @Override
    public Future<Void> close() {
      return Future.succeededFuture();
    }
  }

  /** The events table (read only, one connection): for a gateway without GET /v1/events. */
  final class Database implements TriggeredEvents {
    static final String NEW_EVENTS = "SELECT id, data_object -> 'alert' ->> 'id' AS alert_id FROM events"
        + " WHERE type = $1 AND id > $2 ORDER BY id LIMIT 1000";
    private final Pool pool;
    private long lastId;

    Database(BenchRun run, String url) {
      this.pool = PgBuilder.pool()
          .with(new io.vertx.sqlclient.PoolOptions().setMaxSize(1))
          .connectingTo(PgConnectOptions.fromUri(url).setCachePreparedStatements(true))
          .using(run.vertx)
          .build();
    }

    /** Checks the connection and that the table exists; starts after the events already there. */
    Future<Void> start() {
      return pool.query("SELECT coalesce(max(id), 0) FROM events").execute()
          .map(rows -> {
            lastId = rows.iterator().next().getLong(0);
            return null;
          });
    }

    @Override
    public String method() {
      return "database";
    }

    @Override
    public Future<List<String>> poll() {
      return pool.preparedQuery(NEW_EVENTS).execute(Tuple.of(TYPE, lastId)).map(rows -> {
        List<String> ids = new ArrayList<>(rows.size());
        for (Row r : rows) {
          lastId = Math.max(lastId, r.getLong("id"));
          if (r.getString("alert_id") != null) {
            ids.add(r.getString("alert_id"));
          }
        }
        return ids;
      });
    }

    @Override
    public Future<Void> close() {
      return pool.close();
    }
  }
}
