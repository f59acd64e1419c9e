package io.metergate.events;

import io.metergate.common.ListRequest;
import io.metergate.common.Params;
import io.metergate.http.Http;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.Set;

/** GET /v1/events (list with filters) and GET /v1/events/:id. */
public final class EventRoutes {
  private static final Set<String> LIST_PARAMS = ListRequest.paramsWith(EventFilter.PARAMS.toArray(String[]::new));

  private final EventStore store;

  public EventRoutes(Pool pool) {
    this.store = new EventStore(pool);
  }

  public void mount(Router router) {
    router.get("/v1/events").handler(this::listEvents);
    router.get("/v1/events/:id").handler(this::retrieveEvent);
    // any other method or path below /v1/events is an unknown route, as at Stripe
    router.route("/v1/events*").handler(ctx -> ctx.fail(404));
  }

  private void listEvents(RoutingContext ctx) {
    Params p = Http.queryParams(ctx).allowOnly(LIST_PARAMS);
    ListRequest page = ListRequest.from(p);
    ListRequest.checkExpand(p, Set.of());
    EventFilter filter = EventFilter.from(p);
    store.list(Http.principal(ctx), filter, page)
        .onSuccess(result -> {
          JsonArray data = new JsonArray();
          result.items().forEach(e -> data.add(EventJson.render(e)));
          Http.ok(ctx, Http.list("/v1/events", data, result.hasMore()));
        })
        .onFailure(ctx::fail);
  }

  private void retrieveEvent(RoutingContext ctx) {
    Params p = Http.queryParams(ctx).allowOnly(Set.of("expand"));
    ListRequest.checkExpand(p, Set.of());
    store.find(Http.principal(ctx), Http.pathId(ctx, "event"))
        .onSuccess(e -> Http.ok(ctx, EventJson.render(e)))
        .onFailure(ctx::fail);
  }
}
