package io.metergate.invoices;

import io.metergate.common.ApiError;
import io.metergate.common.ListRequest;
import io.metergate.common.Metadata;
import io.metergate.common.Params;
import io.metergate.http.Http;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An invoice's lines: GET /v1/invoices/:id/lines and, on drafts only, add_lines, remove_lines,
 * update_lines and one line's update. Each bulk call is all or nothing and returns the invoice.
 */
final class LineRoutes {
  private static final Set<String> BULK = Set.of("lines", "invoice_metadata", "expand");
  private static final int MAX_LINES = 100;

  private final LineStore store;
  private final InvoiceStore invoices;

  LineRoutes(LineStore store, InvoiceStore invoices) {
    this.store = store;
    this.invoices = invoices;
  }

  void mount(Router router) {
    router.get("/v1/invoices/:id/lines").handler(this::listLines);
    router.post("/v1/invoices/:id/add_lines").handler(this::addLines);
    router.post("/v1/invoices/:id/remove_lines").handler(this::removeLines);
    router.post("/v1/invoices/:id/update_lines").handler(this::updateLines);
    router.post("/v1/invoices/:id/lines/:line").handler(this::updateLine);
  }

  private void listLines(RoutingContext ctx) {
    Params p = Http.queryParams(ctx).allowOnly(ListRequest.PARAMS);
    ListRequest page = ListRequest.from(p);
    ListRequest.checkExpand(p, Set.of());
    String id = Http.pathId(ctx, "invoice");
    invoices.find(Http.principal(ctx), id)
        .map(v -> {
          JsonArray data = new JsonArray();
          boolean hasMore = page(v.lines(), page, data, id, v.invoice().livemode());
          return Http.list("/v1/invoices/" + id + "/lines", data, hasMore);
        })
        .onSuccess(body -> Http.ok(ctx, body))
        .onFailure(ctx::fail);
  }

  /** Lines keep invoice order; the cursors are line ids. Returns has_more. */
  static boolean page(List<InvoiceLine> lines, ListRequest page, JsonArray out, String invoice, boolean livemode) {
    int from = 0;
    int to = lines.size();
    if (page.startingAfter() != null) {
      from = indexOf(lines, page.startingAfter(), "starting_after") + 1;
    }
    if (page.endingBefore() != null) {
      to = indexOf(lines, page.endingBefore(), "ending_before");
      from = Math.max(0, to - page.limit());
    }
    int end = Math.min(to, from + page.limit());
    lines.subList(from, end).forEach(l -> out.add(InvoiceJson.line(l, invoice, livemode)));
    return page.endingBefore() != null ? from > 0 : end < lines.size();
  }

  private static int indexOf(List<InvoiceLine> lines, String id, String param) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).id().equals(id)) {
        return i;
      }
    }
    throw ApiError.notFound("line_item", id, param);
  }

  private void addLines(RoutingContext ctx) {
    Params p = Http.formParams(ctx).allowOnly(BULK);
    ListRequest.checkExpand(p, Set.of());
    List<LineDraft> drafts = new ArrayList<>();
    forEachLine(p, (line, i) -> drafts.add(LineParams.forAdd(line)));
    InvoiceRoutes.respond(ctx, store.add(Http.principal(ctx), Http.pathId(ctx, "invoice"), drafts,
        Metadata.parse(p, "invoice_metadata")));
  }

  private void removeLines(RoutingContext ctx) {
    Params p = Http.formParams(ctx).allowOnly(BULK);
    ListRequest.checkExpand(p, Set.of());
    List<LineStore.Removal> removals = new ArrayList<>();
    forEachLine(p, (line, i) -> {
      line.allowOnly(Set.of("id", "behavior"));
      String behavior = line.requiredEnum("behavior", List.of("delete", "unassign"));
      removals.add(new LineStore.Removal(line.requiredString("id", 255), "unassign".equals(behavior), "lines[" + i + "]"));
    });
    InvoiceRoutes.respond(ctx, store.remove(Http.principal(ctx), Http.pathId(ctx, "invoice"), removals,
        Metadata.parse(p, "invoice_metadata")));
  }

  private void updateLines(RoutingContext ctx) {
    Params p = Http.formParams(ctx).allowOnly(BULK);
    ListRequest.checkExpand(p, Set.of());
    List<LineStore.Change> changes = new ArrayList<>();
    forEachLine(p, (line, i) -> {
      String id = line.requiredString("id", 255);
      changes.add(new LineStore.Change(id, LineParams.forUpdate(line, Set.of("id")), "lines[" + i + "]"));
    });
    InvoiceRoutes.respond(ctx, store.update(Http.principal(ctx), Http.pathId(ctx, "invoice"), changes,
        Metadata.parse(p, "invoice_metadata")));
  }

  private void updateLine(RoutingContext ctx) {
    Params p = Http.formParams(ctx);
    LineDraft draft = LineParams.forUpdate(p, Set.of("expand"));
    ListRequest.checkExpand(p, Set.of());
    String invoice = Http.pathId(ctx, "invoice");
    String line = Http.pathId(ctx, "line_item", "line");
    store.updateOne(Http.principal(ctx), invoice, line, draft)
        .onSuccess(l -> Http.ok(ctx, InvoiceJson.line(l, invoice, Http.principal(ctx).livemode())))
        .onFailure(ctx::fail);
  }

  private interface LineHandler {
    void accept(Params line, int index);
  }

  private static void forEachLine(Params p, LineHandler handler) {
    List<Object> lines = p.optionalArray("lines");
    if (lines == null || lines.isEmpty()) {
      throw lines == null ? ApiError.missing("lines")
          : ApiError.invalid("parameter_invalid_empty", "lines must hold at least one line.", "lines");
    }
    if (lines.size() > MAX_LINES) {
      throw ApiError.invalid("parameter_invalid_array", "At most " + MAX_LINES + " lines per request.", "lines");
    }
    for (int i = 0; i < lines.size(); i++) {
      Params line = p.element("lines", i, lines.get(i));
      handler.accept(line, i);
    }
  }

}
