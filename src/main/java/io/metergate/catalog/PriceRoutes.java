package io.metergate.catalog;

import io.metergate.accounts.Principal;
import io.metergate.common.ApiError;
import io.metergate.common.ListRequest;
import io.metergate.common.ParamRules;
import io.metergate.common.Params;
import io.metergate.http.Http;
import io.metergate.meters.MeterStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** /v1/prices: create, retrieve, update, list; {@code product} and {@code tiers} are expandable. */
final class PriceRoutes {
  private static final Set<String> EXPANDABLE = Set.of("product", "tiers");
  private static final Set<String> LIST_EXPANDABLE = Set.of("data.product", "data.tiers");
  private static final Set<String> LIST_PARAMS =
      ListRequest.paramsWith("active", "product", "type", "currency", "recurring", "lookup_keys");
  private static final int MAX_LOOKUP_KEYS = 10;

  private final PriceStore store;
  private final ProductStore products;
  private final MeterStore meters;

  PriceRoutes(PriceStore store, ProductStore products, MeterStore meters) {
    this.store = store;
    this.products = products;
    this.meters = meters;
  }

  void mount(Router router) {
    router.get("/v1/prices/search").handler(ctx -> ctx.fail(ApiError.notImplemented("Price search")));
    router.post("/v1/prices").handler(this::createPrice);
    router.get("/v1/prices").handler(this::listPrices);
    router.get("/v1/prices/:id").handler(this::retrievePrice);
    router.post("/v1/prices/:id").handler(this::updatePrice);
    router.route("/v1/prices*").handler(ctx -> ctx.fail(404));
  }

  private void createPrice(RoutingContext ctx) {
    Params form = Http.formParams(ctx);
    PriceDraft draft = PriceDraft.from(form, EXPANDABLE);
    Principal who = Http.principal(ctx);
    respond(ctx, form, meterId(who, draft).compose(meterId -> store.create(who, draft, meterId)));
  }

  private void retrievePrice(RoutingContext ctx) {
    Params p = Http.queryParams(ctx).allowOnly(Set.of("expand"));
    ListRequest.checkExpand(p, EXPANDABLE);
    respond(ctx, p, store.find(Http.principal(ctx), Http.pathId(ctx, PriceStore.RESOURCE)));
  }

  private void updatePrice(RoutingContext ctx) {
    Params form = Http.formParams(ctx);
    PriceChange change = PriceChange.from(form, EXPANDABLE);
    respond(ctx, form, store.update(Http.principal(ctx), Http.pathId(ctx, PriceStore.RESOURCE), change));
  }

  private void listPrices(RoutingContext ctx) {
    Params p = Http.queryParams(ctx);
    ParamRules.refuseUnsupported(p, List.of("created"));
    p.allowOnly(LIST_PARAMS);
    ListRequest page = ListRequest.from(p);
    ListRequest.checkExpand(p, LIST_EXPANDABLE);
    Set<String> expand = expanded(p, "data.");
    Principal who = Http.principal(ctx);
    Map<String, Future<Product>> productCache = new HashMap<>();
    store.list(who, filter(p), page)
        .compose(result -> {
          List<Future<JsonObject>> rendered = new ArrayList<>();
          result.items().forEach(price -> rendered.add(render(who, price, expand, productCache)));
          return Future.all(rendered).map(all -> {
            JsonArray data = new JsonArray();
            rendered.forEach(f -> data.add(f.result()));
            return Http.list("/v1/prices", data, result.hasMore());
          });
        })
        .onSuccess(body -> Http.ok(ctx, body))
        .onFailure(ctx::fail);
  }

  private static PriceStore.Filter filter(Params p) {
    String currency = p.optionalString("currency", 3);
    Params recurring = p.optionalObject("recurring");
    String usageType = null;
    String interval = null;
    String meter = null;
    if (recurring != null) {
      recurring.allowOnly(Set.of("usage_type", "interval", "meter"));
      usageType = recurring.optionalEnum("usage_type", List.of("licensed", "metered"));
      interval = recurring.optionalEnum("interval", List.of("day", "week", "month", "year"));
      meter = recurring.optionalString("meter", 255);
    }
    return new PriceStore.Filter(ParamRules.optionalBoolean(p, "active"), p.optionalString("product", 255),
        p.optionalEnum("type", List.of("one_time", "recurring")),
        currency == null ? null : currency.toLowerCase(Locale.ROOT), usageType, interval, meter, lookupKeys(p));
  }

  private static List<String> lookupKeys(Params p) {
    List<Object> given = p.optionalArray("lookup_keys");
    if (given == null) {
      return null;
    }
    if (given.size() > MAX_LOOKUP_KEYS) {
      throw ApiError.invalid("parameter_invalid_array",
          "Invalid lookup_keys: at most " + MAX_LOOKUP_KEYS + " are allowed.", "lookup_keys");
    }
    List<String> keys = new ArrayList<>(given.size());
    for (int i = 0; i < given.size(); i++) {
      String param = p.indexPath("lookup_keys", i);
      if (!(given.get(i) instanceof String key) || key.isEmpty() || key.length() > PriceDraft.MAX_LOOKUP_KEY_LENGTH) {
        throw ApiError.invalid("parameter_invalid_string", "Invalid " + param + ": must be a lookup key.", param);
      }
      keys.add(Params.storable(key, param));
    }
    return keys;
  }

  /** A metered price needs an active meter of the account; unknown is 400 naming recurring[meter]. */
  private Future<Long> meterId(Principal who, PriceDraft d) {
    if (d.recurring() == null || d.recurring().meter() == null) {
      return Future.succeededFuture(null);
    }
    String meter = d.recurring().meter();
    String param = "recurring[meter]";
    return meters.find(who, meter)
        .recover(err -> Future.failedFuture(err instanceof ApiError e && e.status() == 404
            ? ApiError.invalid("resource_missing", "No such billing meter: '" + meter + "'", param) : err))
        .map(m -> {
          if (!m.active()) {
            throw ApiError.invalid("meter_inactive",
                "The meter " + meter + " is inactive; reactivate it before pricing usage with it.", param);
          }
          return m.id();
        });
  }


  private void respond(RoutingContext ctx, Params p, Future<Price> price) {
    Set<String> expand = expanded(p, "");
    Principal who = Http.principal(ctx);
    price.compose(pr -> render(who, pr, expand, new HashMap<>()))
        .onSuccess(body -> Http.ok(ctx, body))
        .onFailure(ctx::fail);
  }

  private Future<JsonObject> render(Principal who, Price price, Set<String> expand,
                                    Map<String, Future<Product>> productCache) {
    JsonObject json = PriceJson.render(price, expand.contains("tiers"));
    if (!expand.contains("product")) {
      return Future.succeededFuture(json);
    }
    return productCache.computeIfAbsent(price.productPublicId(), id -> products.find(who, id))
        .map(product -> json.put("product", ProductJson.render(product)));
  }

  /** Already checked against the expandable set; {@code prefix} is "data." on lists. */
  static Set<String> expanded(Params p, String prefix) {
    List<Object> given = p.optionalArray("expand");
    Set<String> out = new HashSet<>();
    if (given != null) {
      given.forEach(field -> out.add(String.valueOf(field).substring(prefix.length())));
    }
    return out;
  }
}
