package io.metergate.webhooks;

import io.metergate.common.ListRequest;
import io.metergate.common.Params;
import io.metergate.http.Http;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.Set;

/** /v1/webhook_endpoints: create, retrieve, update, list, delete. */
public final class WebhookRoutes {
  private static final String RESOURCE = "webhook endpoint";

  private final WebhookEndpointStore store;

  public WebhookRoutes(Pool pool) {
    this.store = new WebhookEndpointStore(pool);
  }

  public void mount(Router router) {
    router.post("/v1/webhook_endpoints").handler(this::createEndpoint);
    router.get("/v1/webhook_endpoints").handler(this::listEndpoints);
    router.get("/v1/webhook_endpoints/:id").handler(this::retrieveEndpoint);
    router.post("/v1/webhook_endpoints/:id").handler(this::updateEndpoint);
    router.delete("/v1/webhook_endpoints/:id").handler(this::deleteEndpoint);
    // any other method or path below /v1/webhook_endpoints is an unknown route, as at Stripe
    router.route("/v1/webhook_endpoints*").handler(ctx -> ctx.fail(404));
  }

  private void createEndpoint(RoutingContext ctx) {
    EndpointParams.Draft draft = EndpointParams.create(Http.formParams(ctx));
    store.create(Http.principal(ctx), draft)
        .onSuccess(e -> Http.ok(ctx, WebhookJson.render(e, true)))
        .onFailure(ctx::fail);
  }

  private void retrieveEndpoint(RoutingContext ctx) {
    Params p = Http.queryParams(ctx).allowOnly(Set.of("expand"));
    ListRequest.checkExpand(p, Set.of());
    respond(ctx, store.find(Http.principal(ctx), Http.pathId(ctx, RESOURCE)));
  }

  private void updateEndpoint(RoutingContext ctx) {
    EndpointParams.Change change = EndpointParams.update(Http.formParams(ctx));
    respond(ctx, store.update(Http.principal(ctx), Http.pathId(ctx, RESOURCE), change));
  }

  private void deleteEndpoint(RoutingContext ctx) {
    Http.queryParams(ctx).allowOnly(Set.of());
    Http.formParams(ctx).allowOnly(Set.of());
    store.delete(Http.principal(ctx), Http.pathId(ctx, RESOURCE))
        .onSuccess(id -> Http.ok(ctx, WebhookJson.deleted(id)))
        .onFailure(ctx::fail);
  }

  private void listEndpoints(RoutingContext ctx) {
    Params p = Http.queryParams(ctx).allowOnly(ListRequest.PARAMS);
    ListRequest page = ListRequest.from(p);
    ListRequest.checkExpand(p, Set.of());
    store.list(Http.principal(ctx), page)
        .onSuccess(result -> {
          JsonArray data = new JsonArray();
          result.items().forEach(e -> data.add(WebhookJson.render(e, false)));
          Http.ok(ctx, Http.list("/v1/webhook_endpoints", data, result.hasMore()));
        })
        .onFailure(ctx::fail);
  }


  private static void respond(RoutingContext ctx, Future<WebhookEndpoint> endpoint) {
    endpoint.onSuccess(e -> Http.ok(ctx, WebhookJson.render(e, false))).onFailure(ctx::fail);
  }
}
