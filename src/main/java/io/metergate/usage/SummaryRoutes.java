package io.metergate.usage;

import io.metergate.accounts.Principal;
import io.metergate.common.ListRequest;
import io.metergate.http.Http;
import io.metergate.meters.Meter;
import io.metergate.meters.MeterStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * GET /v1/billing/meters/:id/event_summaries: computed from the hourly and per-minute aggregates
 * plus the raw events not folded yet, so an acknowledged event counts at once. Newest window first.
 */
public final class SummaryRoutes {
  private final Pool pool;
  private final MeterStore meters;

  public SummaryRoutes(Pool pool, MeterStore meters) {
    this.pool = pool;
    this.meters = meters;
  }

  public void mount(Router router) {
    router.get("/v1/billing/meters/:id/event_summaries").handler(this::listSummaries);
  }

  private void listSummaries(RoutingContext ctx) {
    SummaryRequest q = SummaryRequest.from(Http.queryParams(ctx));
    Principal who = Http.principal(ctx);
    String meterId = Http.pathId(ctx, "billing.meter");
    meters.find(who, meterId)
        .compose(meter -> {
          Aggregation.Spec spec = Aggregation.Spec.of(meter.formula(), meter.eventTimeWindow());
          Aggregation.Range range = Aggregation.fetchRange(spec, q.start(), q.end());
          UsageReader.Request read = new UsageReader.Request(meter.id(), q.customer(), range.fromMinute(),
              range.toMinute());
          return UsageReader.items(pool, List.of(read))
              .map(items -> page(meter, q, Aggregation.summarize(spec, q.start(), q.end(), q.grouping(), items.get(0))));
        })
        .onSuccess(body -> Http.ok(ctx, body))
        .onFailure(ctx::fail);
  }

  private static JsonObject page(Meter meter, SummaryRequest q, List<Aggregation.Window> oldestFirst) {
    String list = SummaryIds.list(meter.publicId(), q.customer(), q.grouping());
    List<Aggregation.Window> windows = new ArrayList<>(oldestFirst);
    Collections.reverse(windows);
    ListRequest page = q.page();
    List<Aggregation.Window> selected;
    boolean hasMore;
    if (page.endingBefore() != null) {
      long before = SummaryIds.cursorStart(list, page.endingBefore(), "ending_before");
      List<Aggregation.Window> newer = windows.stream().filter(w -> w.start() > before).toList();
      int from = Math.max(0, newer.size() - page.limit());
      selected = newer.subList(from, newer.size());
      hasMore = from > 0;
    } else {
      long after = page.startingAfter() == null ? Long.MAX_VALUE
          : SummaryIds.cursorStart(list, page.startingAfter(), "starting_after");
      List<Aggregation.Window> older = windows.stream().filter(w -> w.start() < after).toList();
      selected = older.subList(0, Math.min(page.limit(), older.size()));
      hasMore = older.size() > page.limit();
    }
    JsonArray data = new JsonArray();
    for (Aggregation.Window w : selected) {
      data.add(new JsonObject()
          .put("id", SummaryIds.of(list, w.start(), w.end()))
          .put("object", "billing.meter_event_summary")
          .put("aggregated_value", plain(w.value()))
          .put("end_time", w.end())
          .put("livemode", meter.livemode())
          .put("meter", meter.publicId())
          .put("start_time", w.start()));
    }
    return Http.list("/v1/billing/meters/" + meter.publicId() + "/event_summaries", data, hasMore);
  }

  /** 55 rather than 55.000 or 5.5E+1; integers become JSON integers. */
  static BigDecimal plain(BigDecimal value) {
    BigDecimal v = value.stripTrailingZeros();
    return v.scale() < 0 ? v.setScale(0) : v;
  }
}
