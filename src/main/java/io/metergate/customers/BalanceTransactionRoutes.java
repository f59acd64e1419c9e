package io.metergate.customers;

import io.metergate.common.CreatedRange;
import io.metergate.common.ListRequest;
import io.metergate.common.Params;
import io.metergate.http.Http;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/** /v1/customers/:id/balance_transactions: create, retrieve, update (description, metadata), list. */
final class BalanceTransactionRoutes {
  private static final String PATH = "/v1/customers/:id/balance_transactions";
  private static final Set<String> LIST_PARAMS = ListRequest.paramsWith("created", "invoice");
  private static final Set<String> LIST_EXPANDABLE = Set.of("data.checkout_session", "data.credit_note");

  private final CustomerStore customers;
  private final BalanceTransactionStore store;

  BalanceTransactionRoutes(CustomerStore customers, BalanceTransactionStore store) {
    this.customers = customers;
    this.store = store;
  }

  void mount(Router router) {
    router.post(PATH).handler(this::createTransaction);
    router.get(PATH).handler(this::listTransactions);
    router.get(PATH + "/:transaction").handler(this::retrieveTransaction);
    router.post(PATH + "/:transaction").handler(this::updateTransaction);
    router.route(PATH + "*").handler(ctx -> ctx.fail(404));
  }

  private void createTransaction(RoutingContext ctx) {
    BalanceTransactionParams.Draft draft = BalanceTransactionParams.create(Http.formParams(ctx));
    respond(ctx, customer(ctx).compose(c -> store.create(c, draft)));
  }

  private void retrieveTransaction(RoutingContext ctx) {
    Params p = Http.queryParams(ctx).allowOnly(Set.of("expand"));
    ListRequest.checkExpand(p, BalanceTransactionParams.EXPANDABLE);
    String id = Http.pathId(ctx, BalanceTransactionStore.RESOURCE, "transaction");
    respond(ctx, customer(ctx).compose(c -> store.find(c, id)));
  }

  private void updateTransaction(RoutingContext ctx) {
    BalanceTransactionParams.Change change = BalanceTransactionParams.update(Http.formParams(ctx));
    String id = Http.pathId(ctx, BalanceTransactionStore.RESOURCE, "transaction");
    respond(ctx, customer(ctx).compose(c -> store.update(c, id, change)));
  }

  private void listTransactions(RoutingContext ctx) {
    Params p = Http.queryParams(ctx).allowOnly(LIST_PARAMS);
    ListRequest page = ListRequest.from(p);
    ListRequest.checkExpand(p, LIST_EXPANDABLE);
    CreatedRange created = CreatedRange.parse(p);
    String invoice = p.optionalString("invoice", 5000);
    customer(ctx)
        .compose(c -> store.list(c, created, invoice, page).map(result -> {
          JsonArray data = new JsonArray();
          result.items().forEach(t -> data.add(CustomerJson.render(t)));
          return Http.list("/v1/customers/" + c.publicId() + "/balance_transactions", data, result.hasMore());
        }))
        .onSuccess(body -> Http.ok(ctx, body))
        .onFailure(ctx::fail);
  }

  private Future<Customer> customer(RoutingContext ctx) {
    return customers.find(Http.principal(ctx), Http.pathId(ctx, CustomerStore.RESOURCE));
  }

  private static void respond(RoutingContext ctx, Future<BalanceTransaction> transaction) {
    transaction.onSuccess(t -> Http.ok(ctx, CustomerJson.render(t))).onFailure(ctx::fail);
  }
}
