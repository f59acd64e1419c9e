package io.metergate.alerts;

import io.metergate.accounts.Principal;
import io.metergate.common.ListRequest;
import io.metergate.common.Params;
import io.metergate.http.Http;
import io.metergate.meters.MeterJson;
import io.metergate.meters.MeterStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** /v1/billing/alerts: create, retrieve, list, activate, deactivate, archive. */
public final class AlertRoutes {
  private static final String EXPAND_METER = "usage_threshold.meter";
  private static final Set<String> EXPANDABLE = Set.of(EXPAND_METER);
  private static final Set<String> LIST_EXPANDABLE = Set.of("data." + EXPAND_METER);
  private static final Set<String> LIST_PARAMS = ListRequest.paramsWith("alert_type", "meter");

  private final AlertStore store;
  private final MeterStore meters;

  public AlertRoutes(AlertStore store, MeterStore meters) {
    this.store = store;
    this.meters = meters;
  }

  public void mount(Router router) {
    router.post("/v1/billing/alerts").handler(this::createAlert);
    router.get("/v1/billing/alerts").handler(this::listAlerts);
    router.get("/v1/billing/alerts/:id").handler(this::retrieveAlert);
    router.post("/v1/billing/alerts/:id/activate").handler(ctx -> changeStatus(ctx, "active"));
    router.post("/v1/billing/alerts/:id/deactivate").handler(ctx -> changeStatus(ctx, "inactive"));
    router.post("/v1/billing/alerts/:id/archive").handler(ctx -> changeStatus(ctx, "archived"));
  }

  private void createAlert(RoutingContext ctx) {
    Params p = Http.formParams(ctx);
    AlertDraft draft = AlertDraft.from(p);
    respond(ctx, p, store.create(Http.principal(ctx), draft));
  }

  private void retrieveAlert(RoutingContext ctx) {
    Params p = Http.queryParams(ctx).allowOnly(Set.of("expand"));
    respond(ctx, p, store.find(Http.principal(ctx), Http.pathId(ctx, "billing.alert")));
  }

  private void changeStatus(RoutingContext ctx, String status) {
    Params p = Http.formParams(ctx).allowOnly(Set.of("expand"));
    respond(ctx, p, store.setStatus(Http.principal(ctx), Http.pathId(ctx, "billing.alert"), status));
  }

  private void listAlerts(RoutingContext ctx) {
    Params p = Http.queryParams(ctx).allowOnly(LIST_PARAMS);
    ListRequest page = ListRequest.from(p);
    boolean expandMeter = expands(p, LIST_EXPANDABLE);
    p.optionalEnum("alert_type", List.of("usage_threshold"));
    String meter = p.optionalString("meter", 5000);
    Principal who = Http.principal(ctx);
    store.list(who, meter, page)
        .compose(result -> {
          List<Future<JsonObject>> rendered = new ArrayList<>();
          result.items().forEach(a -> rendered.add(render(who, a, expandMeter)));
          return Future.all(rendered).map(all -> {
            JsonArray data = new JsonArray();
            rendered.forEach(f -> data.add(f.result()));
            return Http.list("/v1/billing/alerts", data, result.hasMore());
          });
        })
        .onSuccess(body -> Http.ok(ctx, body))
        .onFailure(ctx::fail);
  }

  private void respond(RoutingContext ctx, Params p, Future<Alert> alert) {
    boolean expandMeter = expands(p, EXPANDABLE);
    Principal who = Http.principal(ctx);
    alert.compose(a -> render(who, a, expandMeter)).onSuccess(body -> Http.ok(ctx, body)).onFailure(ctx::fail);
  }

  /** Only the meter can be expanded (customers are not objects of this gateway yet). */
  private static boolean expands(Params p, Set<String> expandable) {
    ListRequest.checkExpand(p, expandable);
    List<Object> expand = p.optionalArray("expand");
    return expand != null && !expand.isEmpty();
  }

  private Future<JsonObject> render(Principal who, Alert a, boolean expandMeter) {
    JsonObject json = AlertJson.render(a);
    if (!expandMeter) {
      return Future.succeededFuture(json);
    }
    return meters.find(who, a.meter()).map(m -> {
      json.getJsonObject("usage_threshold").put("meter", MeterJson.render(m));
      return json;
    });
  }
}
