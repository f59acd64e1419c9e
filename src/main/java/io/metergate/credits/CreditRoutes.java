package io.metergate.credits;

import io.metergate.accounts.Principal;
import io.metergate.common.FormDecoder;
import io.metergate.common.ListRequest;
import io.metergate.common.Params;
import io.metergate.customers.CustomerStore;
import io.metergate.http.ApiServices;
import io.metergate.http.Http;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * /v1/billing/credit_grants (create, retrieve, update, list, expire, void); the credit balance
 * summary and credit balance transactions are mounted from here too.
 */
public final class CreditRoutes {
  static final String GRANTS_URL = "/v1/billing/credit_grants";
  private static final Set<String> LIST_PARAMS = ListRequest.paramsWith("customer", "customer_account");
  private static final Set<String> LIST_EXPANDABLE = Set.of("data.amount", "data.applicability_config",
      "data.test_clock");

  private final GrantStore store;
  private final CreditBalanceRoutes balances;

  public CreditRoutes(ApiServices services) {
    CustomerStore customers = new CustomerStore(services.pool());
    this.store = new GrantStore(services.pool(), customers);
    this.balances = new CreditBalanceRoutes(new CreditBalanceStore(services.pool()), store, customers);
  }

  public void mount(Router router) {
    router.post(GRANTS_URL).handler(this::createGrant);
    router.get(GRANTS_URL).handler(this::listGrants);
    router.get(GRANTS_URL + "/:id").handler(this::retrieveGrant);
    router.post(GRANTS_URL + "/:id").handler(this::updateGrant);
    router.post(GRANTS_URL + "/:id/expire").handler(ctx -> endGrant(ctx, store::expire));
    router.post(GRANTS_URL + "/:id/void").handler(ctx -> endGrant(ctx, store::voidGrant));
    router.route(GRANTS_URL + "*").handler(ctx -> ctx.fail(404));
    balances.mount(router);
  }

  private void createGrant(RoutingContext ctx) {
    GrantParams.Draft draft = GrantParams.create(Http.formParams(ctx));
    respond(ctx, store.create(Http.principal(ctx), draft));
  }

  private void retrieveGrant(RoutingContext ctx) {
    Params p = Http.queryParams(ctx).allowOnly(Set.of("expand"));
    ListRequest.checkExpand(p, GrantParams.EXPANDABLE);
    respond(ctx, store.find(Http.principal(ctx), Http.pathId(ctx, GrantStore.RESOURCE)));
  }

  private void updateGrant(RoutingContext ctx) {
    GrantParams.Change change = GrantParams.update(Http.formParams(ctx));
    respond(ctx, store.update(Http.principal(ctx), Http.pathId(ctx, GrantStore.RESOURCE), change));
  }

  private void endGrant(RoutingContext ctx, BiFunction<Principal, String, Future<CreditGrant>> end) {
    Params p = Http.formParams(ctx).allowOnly(Set.of("expand"));
    ListRequest.checkExpand(p, GrantParams.EXPANDABLE);
    respond(ctx, end.apply(Http.principal(ctx), Http.pathId(ctx, GrantStore.RESOURCE)));
  }

  /**
   * The spec gives the credit balance transaction list the url /v1/billing/credit_grants, and SDKs
   * auto-paginate by requesting that url with starting_after set to the last transaction: a cbtxn_
   * cursor (never a grant's) marks those requests, which are served as the transaction list.
   */
  private void listGrants(RoutingContext ctx) {
    Map<String, Object> query = FormDecoder.decode(ctx.request().query());
    if (isTransactionCursor(query.get("starting_after")) || isTransactionCursor(query.get("ending_before"))) {
      balances.listTransactions(ctx);
      return;
    }
    Params p = new Params(query, Params.Style.FORM).allowOnly(LIST_PARAMS);
    ListRequest page = ListRequest.from(p);
    ListRequest.checkExpand(p, LIST_EXPANDABLE);
    GrantParams.refuseCustomerAccount(p);
    String customer = p.optionalString("customer", 5000);
    store.list(Http.principal(ctx), customer, page)
        .onSuccess(result -> {
          JsonArray data = new JsonArray();
          result.items().forEach(g -> data.add(CreditJson.render(g)));
          Http.ok(ctx, Http.list(GRANTS_URL, data, result.hasMore()));
        })
        .onFailure(ctx::fail);
  }

  private static boolean isTransactionCursor(Object cursor) {
    return cursor instanceof String s && s.startsWith("cbtxn_");
  }


  private static void respond(RoutingContext ctx, Future<CreditGrant> grant) {
    grant.onSuccess(g -> Http.ok(ctx, CreditJson.render(g))).onFailure(ctx::fail);
  }
}
