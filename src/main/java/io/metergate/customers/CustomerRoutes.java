package io.metergate.customers;

import io.metergate.common.ApiError;
import io.metergate.common.CreatedRange;
import io.metergate.common.ListRequest;
import io.metergate.common.Params;
import io.metergate.http.ApiServices;
import io.metergate.http.Http;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/** /v1/customers: create, retrieve, update, list, delete; and their balance transactions. */
public final class CustomerRoutes {
  private static final Set<String> LIST_PARAMS = ListRequest.paramsWith("email", "created");
  private static final Set<String> LIST_EXPANDABLE = Set.of("data.default_source",
      "data.invoice_settings.default_payment_method", "data.test_clock");

  private final CustomerStore store;
  private final BalanceTransactionRoutes balanceTransactions;

  public CustomerRoutes(ApiServices services) {
    this.store = new CustomerStore(services.pool());
    this.balanceTransactions = new BalanceTransactionRoutes(store, new BalanceTransactionStore(services.pool()));
  }

  public void mount(Router router) {
    router.post("/v1/customers").handler(this::createCustomer);
    router.get("/v1/customers").handler(this::listCustomers);
    router.route("/v1/customers/search").handler(ctx -> ctx.fail(ApiError.notImplemented("Customer search")));
    router.get("/v1/customers/:id").handler(this::retrieveCustomer);
    router.post("/v1/customers/:id").handler(this::updateCustomer);
    router.delete("/v1/customers/:id").handler(this::deleteCustomer);
    balanceTransactions.mount(router);
    // Stripe's other customer sub-resources (tax ids, sources, cash balance, ...) are not served here
    router.routeWithRegex("/v1/customers/[^/]+/[^/]+.*").handler(ctx -> ctx.fail(ApiError.notImplemented(
        "A customer sub-resource other than balance_transactions")));
    router.route("/v1/customers*").handler(ctx -> ctx.fail(404));
  }

  private void createCustomer(RoutingContext ctx) {
    CustomerParams.Draft draft = CustomerParams.create(Http.formParams(ctx));
    respond(ctx, store.create(Http.principal(ctx), draft));
  }

  /** A deleted customer retrieves as Stripe's deleted stub, not as a 404. */
  private void retrieveCustomer(RoutingContext ctx) {
    Params p = Http.queryParams(ctx).allowOnly(Set.of("expand"));
    ListRequest.checkExpand(p, CustomerParams.EXPANDABLE);
    store.lookup(Http.principal(ctx), Http.pathId(ctx, CustomerStore.RESOURCE))
        .onSuccess(found -> Http.ok(ctx, found.deleted() ? CustomerJson.deleted(found.customer().publicId())
            : CustomerJson.render(found.customer())))
        .onFailure(ctx::fail);
  }

  private void updateCustomer(RoutingContext ctx) {
    CustomerParams.Change change = CustomerParams.update(Http.formParams(ctx));
    respond(ctx, store.update(Http.principal(ctx), Http.pathId(ctx, CustomerStore.RESOURCE), change));
  }

  private void deleteCustomer(RoutingContext ctx) {
    Http.queryParams(ctx).allowOnly(Set.of());
    Http.formParams(ctx).allowOnly(Set.of());
    store.delete(Http.principal(ctx), Http.pathId(ctx, CustomerStore.RESOURCE))
        .onSuccess(id -> Http.ok(ctx, CustomerJson.deleted(id)))
        .onFailure(ctx::fail);
  }

  private void listCustomers(RoutingContext ctx) {
    Params p = Http.queryParams(ctx).allowOnly(LIST_PARAMS);
    ListRequest page = ListRequest.from(p);
    ListRequest.checkExpand(p, LIST_EXPANDABLE);
    String email = p.optionalString("email", 512);
    CreatedRange created = CreatedRange.parse(p);
    store.list(Http.principal(ctx), email, created, page)
        .onSuccess(result -> {
          JsonArray data = new JsonArray();
          result.items().forEach(c -> data.add(CustomerJson.render(c)));
          Http.ok(ctx, Http.list("/v1/customers", data, result.hasMore()));
        })
        .onFailure(ctx::fail);
  }


  private static void respond(RoutingContext ctx, Future<Customer> customer) {
    customer.onSuccess(c -> Http.ok(ctx, CustomerJson.render(c))).onFailure(ctx::fail);
  }
}
