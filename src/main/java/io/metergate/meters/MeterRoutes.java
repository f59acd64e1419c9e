package io.metergate.meters;

import io.metergate.common.ListRequest;
import io.metergate.common.Params;
import io.metergate.http.Http;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;

/** /v1/billing/meters: create, retrieve, update, list, deactivate, reactivate. */
public final class MeterRoutes {
  private static final Set<String> EXPANDABLE =
      Set.of("customer_mapping", "default_aggregation", "status_transitions", "value_settings");
  private static final Set<String> LIST_PARAMS = ListRequest.paramsWith("status");

  private final MeterStore store;

  public MeterRoutes(MeterStore store) {
    this.store = store;
  }

  public void mount(Router router) {
    router.post("/v1/billing/meters").handler(this::createMeter);
    router.get("/v1/billing/meters").handler(this::listMeters);
    router.get("/v1/billing/meters/:id").handler(this::retrieveMeter);
    router.post("/v1/billing/meters/:id").handler(this::updateMeter);
    router.post("/v1/billing/meters/:id/deactivate").handler(ctx -> changeStatus(ctx, "inactive"));
    router.post("/v1/billing/meters/:id/reactivate").handler(ctx -> changeStatus(ctx, "active"));
  }

  private void createMeter(RoutingContext ctx) {
    Params p = Http.formParams(ctx);
    MeterDraft draft = MeterDraft.from(p);
    ListRequest.checkExpand(p, EXPANDABLE);
    respond(ctx, store.create(Http.principal(ctx), draft));
  }

  private void retrieveMeter(RoutingContext ctx) {
    Params p = Http.queryParams(ctx).allowOnly(Set.of("expand"));
    ListRequest.checkExpand(p, EXPANDABLE);
    respond(ctx, store.find(Http.principal(ctx), Http.pathId(ctx, "billing.meter")));
  }

  private void updateMeter(RoutingContext ctx) {
    Params p = Http.formParams(ctx).allowOnly(Set.of("display_name", "expand"));
    ListRequest.checkExpand(p, EXPANDABLE);
    String displayName = p.optionalString("display_name", 250);
    String id = Http.pathId(ctx, "billing.meter");
    respond(ctx, displayName == null ? store.find(Http.principal(ctx), id) : store.rename(Http.principal(ctx), id, displayName));
  }

  private void changeStatus(RoutingContext ctx, String status) {
    Params p = Http.formParams(ctx).allowOnly(Set.of("expand"));
    ListRequest.checkExpand(p, EXPANDABLE);
    respond(ctx, store.setStatus(Http.principal(ctx), Http.pathId(ctx, "billing.meter"), status));
  }

  private void listMeters(RoutingContext ctx) {
    Params p = Http.queryParams(ctx).allowOnly(LIST_PARAMS);
    ListRequest page = ListRequest.from(p);
    ListRequest.checkExpand(p, Set.of());
    String status = p.optionalEnum("status", List.of("active", "inactive"));
    store.list(Http.principal(ctx), status, page.limit(), page.startingAfter(), page.endingBefore())
        .onSuccess(result -> {
          JsonArray data = new JsonArray();
          result.meters().forEach(m -> data.add(MeterJson.render(m)));
          Http.ok(ctx, Http.list("/v1/billing/meters", data, result.hasMore()));
        })
        .onFailure(ctx::fail);
  }

  private static void respond(RoutingContext ctx, io.vertx.core.Future<Meter> meter) {
    meter.onSuccess(m -> Http.ok(ctx, MeterJson.render(m))).onFailure(ctx::fail);
  }

}
