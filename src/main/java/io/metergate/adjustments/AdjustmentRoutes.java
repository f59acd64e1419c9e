package io.metergate.adjustments;

import io.metergate.accounts.Principal;
import io.metergate.common.Ids;
import io.metergate.common.ListRequest;
import io.metergate.common.Params;
import io.metergate.http.Http;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.Set;

/** POST /v1/billing/meter_event_adjustments (form) and /v2/billing/meter_event_adjustments (JSON). */
public final class AdjustmentRoutes {
  private final Adjustments adjustments;
  private final Clock clock;

  public AdjustmentRoutes(Adjustments adjustments, Clock clock) {
    this.adjustments = adjustments;
    this.clock = clock;
  }

  public void mount(Router router) {
    router.post("/v1/billing/meter_event_adjustments").handler(this::cancelV1);
    router.post("/v2/billing/meter_event_adjustments").handler(this::cancelV2);
  }

  private void cancelV1(RoutingContext ctx) {
    Params p = Http.formParams(ctx);
    CancelRequest r = CancelRequest.from(p);
    ListRequest.checkExpand(p, Set.of("cancel"));
    Principal who = Http.principal(ctx);
    adjustments.cancel(who, r)
        .onSuccess(v -> Http.ok(ctx, new JsonObject()
            .put("object", "billing.meter_event_adjustment")
            .put("cancel", new JsonObject().put("identifier", r.identifier()))
            .put("event_name", r.eventName())
            .put("livemode", who.livemode())
            .put("status", "complete")
            .put("type", "cancel")))
        .onFailure(ctx::fail);
  }

  private void cancelV2(RoutingContext ctx) {
    CancelRequest r = CancelRequest.from(Http.jsonParams(ctx));
    Principal who = Http.principal(ctx);
    adjustments.cancel(who, r)
        .onSuccess(v -> Http.ok(ctx, new JsonObject()
            .put("id", Ids.newId("mtr_event_adj_"))
            .put("object", "v2.billing.meter_event_adjustment")
            .put("cancel", new JsonObject().put("identifier", r.identifier()))
            .put("created", Http.rfc3339(clock.instant()))
            .put("event_name", r.eventName())
            .put("livemode", who.livemode())
            .put("status", "complete")
            .put("type", "cancel")))
        .onFailure(ctx::fail);
  }
}
