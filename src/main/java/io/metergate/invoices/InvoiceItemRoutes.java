package io.metergate.invoices;

import io.metergate.common.ApiError;
import io.metergate.common.ListRequest;
import io.metergate.common.ParamRules;
import io.metergate.common.Params;
import io.metergate.http.Http;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashSet;
import java.util.Set;

/** /v1/invoiceitems: pending items a customer's next invoice can take, or lines of a draft invoice. */
final class InvoiceItemRoutes {
  private final LineStore store;

  InvoiceItemRoutes(LineStore store) {
    this.store = store;
  }

  void mount(Router router) {
    router.post("/v1/invoiceitems").handler(this::createItem);
    router.get("/v1/invoiceitems").handler(this::listItems);
    router.get("/v1/invoiceitems/:id").handler(this::retrieveItem);
    router.post("/v1/invoiceitems/:id").handler(this::updateItem);
    router.delete("/v1/invoiceitems/:id").handler(this::deleteItem);
  }

  private void createItem(RoutingContext ctx) {
    Params p = Http.formParams(ctx);
    Set<String> allowed = new HashSet<>(LineParams.LINE_FIELDS);
    allowed.addAll(Set.of("customer", "invoice", "currency", "unit_amount_decimal", "expand"));
    p.allowOnly(allowed);
    ListRequest.checkExpand(p, Set.of());
    String customer = p.requiredString("customer", 255);
    String invoice = p.optionalString("invoice", 255);
    String currency = InvoiceRoutes.currency(p);
    if (currency == null && !p.has("pricing") && !p.has("price_data") && invoice == null) {
      throw ApiError.missing("currency");
    }
    LineDraft draft = LineParams.forInvoiceItem(p);
    store.createItem(Http.principal(ctx), customer, invoice, draft)
        .onSuccess(item -> Http.ok(ctx, InvoiceJson.invoiceItem(item))).onFailure(ctx::fail);
  }

  private void retrieveItem(RoutingContext ctx) {
    Params p = Http.queryParams(ctx).allowOnly(Set.of("expand"));
    ListRequest.checkExpand(p, Set.of());
    store.findItem(Http.principal(ctx), Http.pathId(ctx, "invoiceitem"))
        .onSuccess(item -> Http.ok(ctx, InvoiceJson.invoiceItem(item))).onFailure(ctx::fail);
  }

  private void updateItem(RoutingContext ctx) {
    Params p = Http.formParams(ctx);
    LineDraft draft = LineParams.forUpdate(p, Set.of("expand"));
    ListRequest.checkExpand(p, Set.of());
    store.updateItem(Http.principal(ctx), Http.pathId(ctx, "invoiceitem"), draft)
        .onSuccess(item -> Http.ok(ctx, InvoiceJson.invoiceItem(item))).onFailure(ctx::fail);
  }

  private void deleteItem(RoutingContext ctx) {
    Http.queryParams(ctx).allowOnly(Set.of());
    store.deleteItem(Http.principal(ctx), Http.pathId(ctx, "invoiceitem"))
        .onSuccess(body -> Http.ok(ctx, body)).onFailure(ctx::fail);
  }

  private void listItems(RoutingContext ctx) {
    Params p = Http.queryParams(ctx).allowOnly(ListRequest.paramsWith("customer", "invoice", "pending"));
    ListRequest page = ListRequest.from(p);
    ListRequest.checkExpand(p, Set.of());
    Boolean pending = ParamRules.optionalBoolean(p, "pending");
    store.listItems(Http.principal(ctx), p.optionalString("customer", 255), p.optionalString("invoice", 255), pending,
            page)
        .onSuccess(result -> {
          JsonArray data = new JsonArray();
          result.items().forEach(i -> data.add(InvoiceJson.invoiceItem(i)));
          Http.ok(ctx, Http.list("/v1/invoiceitems", data, result.hasMore()));
        })
        .onFailure(ctx::fail);
  }

}
