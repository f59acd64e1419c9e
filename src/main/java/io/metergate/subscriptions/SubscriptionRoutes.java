package io.metergate.subscriptions;

import io.metergate.accounts.Principal;
import io.metergate.common.ApiError;
import io.metergate.common.FormDecoder;
import io.metergate.common.ListRequest;
import io.metergate.common.ParamRules;
import io.metergate.common.Params;
import io.metergate.http.ApiServices;
import io.metergate.http.Http;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;

/** /v1/subscriptions: create, retrieve, list, cancel (DELETE); just enough to bill metered usage. */
public final class SubscriptionRoutes {
  private static final String EXPAND_TIERS = "items.data.price.tiers";
  /** latest_invoice is always null here, so expanding it changes nothing. */
  private static final Set<String> EXPANDABLE = Set.of(EXPAND_TIERS, "latest_invoice");
  private static final Set<String> LIST_EXPANDABLE = Set.of("data." + EXPAND_TIERS, "data.latest_invoice");
  private static final Set<String> LIST_PARAMS = ListRequest.paramsWith("customer", "status", "price");
  private static final List<String> LIST_UNSUPPORTED = List.of("plan", "created", "current_period_start",
      "current_period_end", "collection_method", "automatic_tax", "test_clock", "customer_account");
  private static final List<String> STATUSES = List.of("active", "all", "canceled", "ended", "incomplete",
      "incomplete_expired", "past_due", "paused", "trialing", "unpaid");
  private static final List<String> FEEDBACK = List.of("customer_service", "low_quality", "missing_features", "other",
      "switched_service", "too_complex", "too_expensive", "unused");

  private final SubscriptionStore store;
  private final Clock clock;

  public SubscriptionRoutes(ApiServices services) {
    this.store = new SubscriptionStore(services.pool());
    this.clock = services.clock();
  }

  public void mount(Router router) {
    router.get("/v1/subscriptions/search").handler(ctx -> notBuilt(ctx, "Subscription search"));
    router.post("/v1/subscriptions").handler(this::createSubscription);
    router.get("/v1/subscriptions").handler(this::listSubscriptions);
    router.get("/v1/subscriptions/:id").handler(this::retrieveSubscription);
    router.delete("/v1/subscriptions/:id").handler(this::cancelSubscription);
    router.post("/v1/subscriptions/:id").handler(ctx -> notBuilt(ctx, "Updating subscriptions"));
    router.post("/v1/subscriptions/:id/resume").handler(ctx -> notBuilt(ctx, "Resuming subscriptions"));
    router.post("/v1/subscriptions/:id/migrate").handler(ctx -> notBuilt(ctx, "Migrating subscriptions"));
    router.delete("/v1/subscriptions/:id/discount").handler(ctx -> notBuilt(ctx, "Subscription discounts"));
    router.route("/v1/subscription_items*").handler(ctx -> notBuilt(ctx, "Subscription items"));
    router.route("/v1/subscriptions*").handler(ctx -> ctx.fail(404));
  }

  private void createSubscription(RoutingContext ctx) {
    Instant now = now();
    Params form = Http.formParams(ctx);
    SubscriptionDraft draft = SubscriptionDraft.from(form, now, EXPANDABLE);
    respond(ctx, form, now, store.create(Http.principal(ctx), draft, now));
  }

  private void retrieveSubscription(RoutingContext ctx) {
    Params p = Http.queryParams(ctx).allowOnly(Set.of("expand"));
    ListRequest.checkExpand(p, EXPANDABLE);
    respond(ctx, p, now(), store.find(Http.principal(ctx), Http.pathId(ctx, SubscriptionStore.RESOURCE)));
  }

  /**
   * Cancels at once. invoice_now and prorate are refused when true: no invoice or proration is made
   * at cancellation by this gateway.
   */
  private void cancelSubscription(RoutingContext ctx) {
    Params p = deleteParams(ctx).allowOnly(Set.of("expand", "cancellation_details", "invoice_now", "prorate"));
    ListRequest.checkExpand(p, EXPANDABLE);
    ParamRules.refuseTrue(p, "invoice_now", "Metergate makes no final invoice when a subscription is canceled.");
    ParamRules.refuseTrue(p, "prorate", "Metergate makes no proration when a subscription is canceled.");
    Params details = p.optionalObject("cancellation_details");
    String comment = null;
    String feedback = null;
    if (details != null) {
      details.allowOnly(Set.of("comment", "feedback"));
      comment = details.optionalString("comment", 5000);
      feedback = details.optionalEnum("feedback", FEEDBACK);
    }
    Instant now = now();
    String id = Http.pathId(ctx, SubscriptionStore.RESOURCE);
    respond(ctx, p, now, store.cancel(Http.principal(ctx), id, new Subscription.Cancellation(now, comment, feedback)));
  }

  private void listSubscriptions(RoutingContext ctx) {
    Params p = Http.queryParams(ctx);
    ParamRules.refuseUnsupported(p, LIST_UNSUPPORTED);
    p.allowOnly(LIST_PARAMS);
    ListRequest page = ListRequest.from(p);
    ListRequest.checkExpand(p, LIST_EXPANDABLE);
    boolean withTiers = expands(p, "data." + EXPAND_TIERS);
    SubscriptionStore.Filter filter = new SubscriptionStore.Filter(p.optionalString("customer", 255),
        statuses(p.optionalEnum("status", STATUSES)), p.optionalString("price", 255));
    Instant now = now();
    store.list(Http.principal(ctx), filter, page)
        .onSuccess(result -> {
          JsonArray data = new JsonArray();
          result.items().forEach(s -> data.add(SubscriptionJson.render(s, now, withTiers)));
          Http.ok(ctx, Http.list("/v1/subscriptions", data, result.hasMore()));
        })
        .onFailure(ctx::fail);
  }

  /**
   * Subscriptions here are only ever active or canceled: by default the list shows those not
   * canceled, as Stripe's does; ended means canceled; Stripe's other statuses match none.
   */
  private static List<String> statuses(String status) {
    if (status == null) {
      return List.of("active");
    }
    return switch (status) {
      case "all" -> List.of("active", "canceled");
      case "ended" -> List.of("canceled");
      default -> List.of(status);
    };
  }

  /** stripe-java sends DELETE parameters in the query string; a form body is read too. */
  private static Params deleteParams(RoutingContext ctx) {
    String query = ctx.request().query();
    String raw = query == null || query.isEmpty() ? ctx.body().asString() : query;
    return new Params(FormDecoder.decode(raw), Params.Style.FORM);
  }

  private static void respond(RoutingContext ctx, Params p, Instant now, Future<Subscription> subscription) {
    boolean withTiers = expands(p, EXPAND_TIERS);
    subscription.onSuccess(s -> Http.ok(ctx, SubscriptionJson.render(s, now, withTiers))).onFailure(ctx::fail);
  }

  private static boolean expands(Params p, String field) {
    List<Object> expand = p.optionalArray("expand");
    return expand != null && expand.contains(field);
  }

  private static void notBuilt(RoutingContext ctx, String what) {
    ctx.fail(ApiError.notImplemented(what));
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS);
  }
}
