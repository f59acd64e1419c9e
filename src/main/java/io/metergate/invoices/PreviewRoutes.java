package io.metergate.invoices;

import io.metergate.common.Ids;
import io.metergate.common.ListRequest;
import io.metergate.common.Params;
import io.metergate.http.Http;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The upcoming invoice: POST /v1/invoices/create_preview (the current API, which stripe-java
 * calls) and GET /v1/invoices/upcoming/lines (removed from Stripe in 2025-03-31.basil, served as a
 * legacy alias because the seed documents describe it).
 */
final class PreviewRoutes {
  private final Preview preview;

  PreviewRoutes(Preview preview) {
    this.preview = preview;
  }

  void mount(Router router) {
    router.post("/v1/invoices/create_preview").handler(this::createPreview);
    router.get("/v1/invoices/upcoming/lines").handler(this::upcomingLines);
  }

  private void createPreview(RoutingContext ctx) {
    Params p = Http.formParams(ctx).allowOnly(Set.of("customer", "subscription", "expand"));
    ListRequest.checkExpand(p, Set.of());
    String customer = p.requiredString("customer", 255);
    String subscription = p.optionalString("subscription", 255);
    preview.upcoming(Http.principal(ctx), customer, subscription)
        .onSuccess(u -> Http.ok(ctx, InvoiceJson.invoice(u.view(), Http.principal(ctx).livemode(),
            Ids.newId("upcoming_in_"), "upcoming", linesUrl(customer, subscription),
            u.subscription() == null ? null : u.subscription().publicId())))
        .onFailure(ctx::fail);
  }

  private void upcomingLines(RoutingContext ctx) {
    Params p = Http.queryParams(ctx).allowOnly(ListRequest.paramsWith("customer", "subscription"));
    ListRequest page = ListRequest.from(p);
    ListRequest.checkExpand(p, Set.of());
    String customer = p.requiredString("customer", 255);
    String subscription = p.optionalString("subscription", 255);
    preview.upcoming(Http.principal(ctx), customer, subscription)
        .map(u -> {
          JsonArray data = new JsonArray();
          boolean hasMore = LineRoutes.page(u.view().lines(), page, data, null, Http.principal(ctx).livemode());
          return Http.list("/v1/invoices/upcoming/lines", data, hasMore);
        })
        .onSuccess(body -> Http.ok(ctx, body))
        .onFailure(ctx::fail);
  }

  private static String linesUrl(String customer, String subscription) {
    return "/v1/invoices/upcoming/lines?customer=" + URLEncoder.encode(customer, StandardCharsets.UTF_8)
        + (subscription == null ? "" : "&subscription=" + URLEncoder.encode(subscription, StandardCharsets.UTF_8));
  }
}
