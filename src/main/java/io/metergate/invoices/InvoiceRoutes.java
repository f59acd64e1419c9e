package io.metergate.invoices;

import io.metergate.accounts.Principal;
import io.metergate.catalog.PriceStore;
import io.metergate.common.ApiError;
import io.metergate.common.ListRequest;
import io.metergate.common.Metadata;
import io.metergate.common.ParamRules;
import io.metergate.common.Params;
import io.metergate.customers.CustomerStore;
import io.metergate.http.ApiServices;
import io.metergate.http.Http;
import io.metergate.subscriptions.SubscriptionStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;

/** /v1/invoices: create, retrieve, update, list, delete, finalize, void, pay; lines and previews mount here. */
public final class InvoiceRoutes {
  private static final Set<String> CREATE = Set.of("customer", "currency", "description", "metadata", "auto_advance",
      "collection_method", "days_until_due", "pending_invoice_items_behavior", "expand");
  private static final Set<String> UPDATE = Set.of("description", "metadata", "auto_advance", "collection_method",
      "days_until_due", "expand");

  private final InvoiceStore invoices;
  private final LineRoutes lines;
  private final InvoiceItemRoutes items;
  private final PreviewRoutes previews;

  public InvoiceRoutes(ApiServices services) {
    CustomerStore customers = new CustomerStore(services.pool());
    PriceStore prices = new PriceStore(services.pool());
    this.invoices = new InvoiceStore(services.pool(), customers, services.clock());
    LineStore lineStore = new LineStore(services.pool(), invoices, customers, new LinePricer(prices), services.clock());
    this.lines = new LineRoutes(lineStore, invoices);
    this.items = new InvoiceItemRoutes(lineStore);
    this.previews = new PreviewRoutes(new Preview(services.pool(), customers, new SubscriptionStore(services.pool()),
        services.meterStore(), services.clock()));
  }

  public void mount(Router router) {
    previews.mount(router);
    router.post("/v1/invoices").handler(this::createInvoice);
    router.get("/v1/invoices").handler(this::listInvoices);
    router.get("/v1/invoices/:id").handler(this::retrieveInvoice);
    router.post("/v1/invoices/:id").handler(this::updateInvoice);
    router.delete("/v1/invoices/:id").handler(this::deleteInvoice);
    router.post("/v1/invoices/:id/finalize").handler(ctx -> transition(ctx, Set.of("auto_advance"),
        invoices::finalizeInvoice));
    router.post("/v1/invoices/:id/void").handler(ctx -> transition(ctx, Set.of(), invoices::voidInvoice));
    router.post("/v1/invoices/:id/pay").handler(this::payInvoice);
    lines.mount(router);
    items.mount(router);
  }

  private void createInvoice(RoutingContext ctx) {
    Params p = Http.formParams(ctx).allowOnly(CREATE);
    ListRequest.checkExpand(p, Set.of());
    String method = p.optionalEnum("collection_method", List.of("charge_automatically", "send_invoice"));
    Integer days = daysUntilDue(p, method == null ? "charge_automatically" : method);
    String behavior = p.optionalEnum("pending_invoice_items_behavior", List.of("exclude", "include"));
    InvoiceStore.Create c = new InvoiceStore.Create(p.requiredString("customer", 255), currency(p),
        p.optionalString("description", 1500), Metadata.parse(p).applyTo(new JsonObject()),
        method == null ? "charge_automatically" : method, days,
        Boolean.TRUE.equals(ParamRules.optionalBoolean(p, "auto_advance")), "include".equals(behavior));
    respond(ctx, invoices.create(Http.principal(ctx), c));
  }

  private void retrieveInvoice(RoutingContext ctx) {
    Params p = Http.queryParams(ctx).allowOnly(Set.of("expand"));
    ListRequest.checkExpand(p, Set.of());
    respond(ctx, invoices.find(Http.principal(ctx), Http.pathId(ctx, "invoice")));
  }

  private void updateInvoice(RoutingContext ctx) {
    Params p = Http.formParams(ctx).allowOnly(UPDATE);
    ListRequest.checkExpand(p, Set.of());
    String method = p.optionalEnum("collection_method", List.of("charge_automatically", "send_invoice"));
    Integer days = p.has("days_until_due") ? daysUntilDue(p, method == null ? "send_invoice" : method) : null;
    InvoiceStore.Update u = new InvoiceStore.Update(p.clearableString("description", 1500),
        p.isEmptyValue("description"), Metadata.parse(p), ParamRules.optionalBoolean(p, "auto_advance"), method, days);
    respond(ctx, invoices.update(Http.principal(ctx), Http.pathId(ctx, "invoice"), u));
  }

  private void deleteInvoice(RoutingContext ctx) {
    Http.queryParams(ctx).allowOnly(Set.of());
    invoices.delete(Http.principal(ctx), Http.pathId(ctx, "invoice")).onSuccess(b -> Http.ok(ctx, b))
        .onFailure(ctx::fail);
  }

  private interface Transition {
    Future<InvoiceView> apply(Principal who, String id);
  }

  private void transition(RoutingContext ctx, Set<String> accepted, Transition t) {
    Set<String> allowed = new java.util.HashSet<>(accepted);
    allowed.add("expand");
    Params p = Http.formParams(ctx).allowOnly(allowed);
    ListRequest.checkExpand(p, Set.of());
    respond(ctx, t.apply(Http.principal(ctx), Http.pathId(ctx, "invoice")));
  }

  /** No payments are collected here: paying means recording a payment made elsewhere. */
  private void payInvoice(RoutingContext ctx) {
    Params p = Http.formParams(ctx).allowOnly(Set.of("paid_out_of_band", "expand"));
    ListRequest.checkExpand(p, Set.of());
    if (!Boolean.TRUE.equals(ParamRules.optionalBoolean(p, "paid_out_of_band"))) {
      throw ApiError.of(400, "invalid_request_error", "parameter_unsupported",
          "This gateway collects no payments: pay an invoice with paid_out_of_band=true to record a payment made"
              + " elsewhere.", "paid_out_of_band");
    }
    respond(ctx, invoices.pay(Http.principal(ctx), Http.pathId(ctx, "invoice")));
  }

  private void listInvoices(RoutingContext ctx) {
    Params p = Http.queryParams(ctx).allowOnly(ListRequest.paramsWith("customer", "status"));
    ListRequest page = ListRequest.from(p);
    ListRequest.checkExpand(p, Set.of());
    String status = p.optionalEnum("status", List.of("draft", "open", "paid", "uncollectible", "void"));
    Principal who = Http.principal(ctx);
    invoices.list(who, p.optionalString("customer", 255), status, page)
        .onSuccess(result -> {
          JsonArray data = new JsonArray();
          result.invoices().forEach(v -> data.add(render(v)));
          Http.ok(ctx, Http.list("/v1/invoices", data, result.hasMore()));
        })
        .onFailure(ctx::fail);
  }

  static void respond(RoutingContext ctx, Future<InvoiceView> view) {
    view.onSuccess(v -> Http.ok(ctx, render(v))).onFailure(ctx::fail);
  }

  static JsonObject render(InvoiceView v) {
    String id = v.invoice().publicId();
    return InvoiceJson.invoice(v, v.invoice().livemode(), id, "manual", "/v1/invoices/" + id + "/lines", null);
  }

  static String currency(Params p) {
    String currency = p.optionalString("currency", 3);
    if (currency != null && !currency.matches("[a-z]{3}")) {
      throw ApiError.invalid("parameter_invalid_string", "currency must be a lower-case three-letter ISO code.",
          "currency");
    }
    return currency;
  }

  private static Integer daysUntilDue(Params p, String method) {
    Long days = p.optionalInteger("days_until_due");
    if ("send_invoice".equals(method) && days == null && p.has("collection_method")) {
      throw ApiError.missing("days_until_due");
    }
    if (days != null && "charge_automatically".equals(method)) {
      throw ApiError.invalid("parameter_invalid", "days_until_due applies only with collection_method=send_invoice.",
          "days_until_due");
    }
    if (days != null && (days < 0 || days > 3650)) {
      throw ApiError.invalid("parameter_invalid_integer", "days_until_due must be between 0 and 3650.", "days_until_due");
    }
    return days == null ? null : days.intValue();
  }
}
