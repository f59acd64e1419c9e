package io.metergate.credits;

import io.metergate.accounts.Principal;
import io.metergate.common.ApiError;
import io.metergate.common.ListRequest;
import io.metergate.common.Params;
import io.metergate.customers.CustomerStore;
import io.metergate.http.Http;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;

/** GET /v1/billing/credit_balance_summary and GET /v1/billing/credit_balance_transactions[/:id]. */
final class CreditBalanceRoutes {
  private static final String SUMMARY = "/v1/billing/credit_balance_summary";
  private static final String TRANSACTIONS = "/v1/billing/credit_balance_transactions";
  private static final Set<String> SUMMARY_PARAMS = Set.of("customer", "customer_account", "filter", "expand");
  private static final Set<String> LIST_PARAMS = ListRequest.paramsWith("customer", "customer_account",
      "credit_grant");
  private static final Set<String> EXPANDABLE = Set.of("credit", "debit", "test_clock");

  private final CreditBalanceStore store;
  private final GrantStore grants;
  private final CustomerStore customers;

  CreditBalanceRoutes(CreditBalanceStore store, GrantStore grants, CustomerStore customers) {
    this.store = store;
    this.grants = grants;
    this.customers = customers;
  }

  void mount(Router router) {
    router.get(SUMMARY).handler(this::summary);
    router.route(SUMMARY).handler(ctx -> ctx.fail(404));
    router.get(TRANSACTIONS).handler(this::listTransactions);
    router.get(TRANSACTIONS + "/:id").handler(this::retrieveTransaction);
    router.route(TRANSACTIONS + "*").handler(ctx -> ctx.fail(404));
  }

  private void summary(RoutingContext ctx) {
    Params p = Http.queryParams(ctx).allowOnly(SUMMARY_PARAMS);
    ListRequest.checkExpand(p, Set.of("balances"));
    GrantParams.refuseCustomerAccount(p);
    String customer = p.requiredString("customer", 5000);
    Params filter = p.requiredObject("filter").allowOnly(Set.of("type", "credit_grant", "applicability_scope"));
    String type = filter.requiredEnum("type", List.of("applicability_scope", "credit_grant"));
    String other = type.equals("credit_grant") ? "applicability_scope" : "credit_grant";
    if (filter.has(other)) {
      throw ApiError.invalid("parameters_exclusive", filter.path(other) + " cannot be used with "
          + filter.path("type") + "=" + type + ".", filter.path(other));
    }
    String grant = type.equals("credit_grant") ? filter.requiredString("credit_grant", 5000) : null;
    Params scopeParams = grant == null ? filter.requiredObject("applicability_scope") : null;
    Scope scope = scopeParams == null ? null : Scope.parse(scopeParams);
    Principal who = Http.principal(ctx);
    customers.findForParam(who, customer, "customer")
        .compose(c -> summaryFilter(who, c.id(), grant, scope, scopeParams, filter.path("credit_grant"))
            .compose(f -> store.summary(c.id(), f))
            .map(balances -> CreditJson.summary(c.publicId(), who.livemode(), balances)))
        .onSuccess(body -> Http.ok(ctx, body))
        .onFailure(ctx::fail);
  }

  private Future<CreditBalanceStore.Filter> summaryFilter(Principal who, long customerId, String grant, Scope scope,
                                                          Params scopeParams, String grantParam) {
    if (grant != null) {
      return store.grantOf(customerId, grant, grantParam).map(id -> new CreditBalanceStore.Filter(id, false, null,
          false));
    }
    if (scope.priceType() != null) {
      return Future.succeededFuture(new CreditBalanceStore.Filter(null, true, null, false));
    }
    return grants.meteredFlags(who, scope.prices()).map(metered -> {
      for (int i = 0; i < scope.prices().size(); i++) {
        if (!metered.containsKey(scope.prices().get(i))) {
          throw ApiError.of(400, "invalid_request_error", "resource_missing",
              "No such price: '" + scope.prices().get(i) + "'", Scope.pricePath(scopeParams, i));
        }
      }
      return new CreditBalanceStore.Filter(null, false, scope.prices(), metered.containsValue(true));
    });
  }

  /** Also serves GET /v1/billing/credit_grants when auto-pagination follows this list's url (see CreditRoutes). */
  void listTransactions(RoutingContext ctx) {
    Params p = Http.queryParams(ctx).allowOnly(LIST_PARAMS);
    ListRequest page = ListRequest.from(p);
    ListRequest.checkExpand(p, Set.of("data.credit", "data.debit", "data.test_clock"));
    GrantParams.refuseCustomerAccount(p);
    String customer = p.requiredString("customer", 5000);
    String grant = p.optionalString("credit_grant", 5000);
    customers.findForParam(Http.principal(ctx), customer, "customer")
        .compose(c -> store.list(c.id(), grant, page))
        .onSuccess(result -> {
          JsonArray data = new JsonArray();
          result.items().forEach(t -> data.add(CreditJson.render(t)));
          // the url the spec gives this list (see CreditRoutes.listGrants)
          Http.ok(ctx, Http.list(CreditRoutes.GRANTS_URL, data, result.hasMore()));
        })
        .onFailure(ctx::fail);
  }

  private void retrieveTransaction(RoutingContext ctx) {
    Params p = Http.queryParams(ctx).allowOnly(Set.of("expand"));
    ListRequest.checkExpand(p, EXPANDABLE);
    store.find(Http.principal(ctx), Http.pathId(ctx, CreditBalanceStore.RESOURCE))
        .onSuccess(t -> Http.ok(ctx, CreditJson.render(t)))
        .onFailure(ctx::fail);
  }
}
