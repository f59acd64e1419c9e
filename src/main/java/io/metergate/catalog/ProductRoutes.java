package io.metergate.catalog;

import io.metergate.common.ApiError;
import io.metergate.common.ListRequest;
import io.metergate.common.ParamRules;
import io.metergate.common.Params;
import io.metergate.http.Http;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** /v1/products: create, retrieve, update, list. */
final class ProductRoutes {
  private static final int MAX_IDS = 100;
  private static final List<String> LIST_UNSUPPORTED = List.of("created", "shippable", "type", "url");
  private static final Set<String> LIST_PARAMS = ListRequest.paramsWith("active", "ids");
  private static final Set<String> LIST_EXPANDABLE = Set.of("data.default_price", "data.tax_code");

  private final ProductStore store;

  ProductRoutes(ProductStore store) {
    this.store = store;
  }

  void mount(Router router) {
    router.get("/v1/products/search").handler(ctx -> ctx.fail(ApiError.notImplemented("Product search")));
    router.post("/v1/products").handler(this::createProduct);
    router.get("/v1/products").handler(this::listProducts);
    router.get("/v1/products/:id").handler(this::retrieveProduct);
    router.post("/v1/products/:id").handler(this::updateProduct);
    router.delete("/v1/products/:id").handler(ctx -> ctx.fail(ApiError.notImplemented("Deleting products")));
    router.route("/v1/products/:id/features*").handler(ctx -> ctx.fail(ApiError.notImplemented("Product features")));
    router.route("/v1/products*").handler(ctx -> ctx.fail(404));
  }

  private void createProduct(RoutingContext ctx) {
    ProductParams.Draft draft = ProductParams.create(Http.formParams(ctx));
    respond(ctx, store.create(Http.principal(ctx), draft));
  }

  private void retrieveProduct(RoutingContext ctx) {
    Params p = Http.queryParams(ctx).allowOnly(Set.of("expand"));
    ListRequest.checkExpand(p, ProductParams.EXPANDABLE);
    respond(ctx, store.find(Http.principal(ctx), Http.pathId(ctx, ProductStore.RESOURCE)));
  }

  private void updateProduct(RoutingContext ctx) {
    ProductParams.Change change = ProductParams.update(Http.formParams(ctx));
    respond(ctx, store.update(Http.principal(ctx), Http.pathId(ctx, ProductStore.RESOURCE), change));
  }

  private void listProducts(RoutingContext ctx) {
    Params p = Http.queryParams(ctx);
    ParamRules.refuseUnsupported(p, LIST_UNSUPPORTED);
    p.allowOnly(LIST_PARAMS);
    ListRequest page = ListRequest.from(p);
    ListRequest.checkExpand(p, LIST_EXPANDABLE);
    store.list(Http.principal(ctx), ParamRules.optionalBoolean(p, "active"), ids(p), page)
        .onSuccess(result -> {
          JsonArray data = new JsonArray();
          result.items().forEach(product -> data.add(ProductJson.render(product)));
          Http.ok(ctx, Http.list("/v1/products", data, result.hasMore()));
        })
        .onFailure(ctx::fail);
  }

  private static List<String> ids(Params p) {
    List<Object> given = p.optionalArray("ids");
    if (given == null) {
      return null;
    }
    if (given.size() > MAX_IDS) {
      throw ApiError.invalid("parameter_invalid_array", "Invalid ids: at most " + MAX_IDS + " are allowed.", "ids");
    }
    List<String> ids = new ArrayList<>(given.size());
    for (int i = 0; i < given.size(); i++) {
      if (!(given.get(i) instanceof String id) || id.isEmpty()) {
        throw ApiError.invalid("parameter_invalid_string", "Invalid " + p.indexPath("ids", i) + ": must be a product id.",
            p.indexPath("ids", i));
      }
      ids.add(Params.storable(id, p.indexPath("ids", i)));
    }
    return ids;
  }


  private static void respond(RoutingContext ctx, Future<Product> product) {
    product.onSuccess(p -> Http.ok(ctx, ProductJson.render(p))).onFailure(ctx::fail);
  }
}
