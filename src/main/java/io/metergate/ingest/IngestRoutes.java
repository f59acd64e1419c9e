package io.metergate.ingest;

import io.metergate.accounts.Principal;
import io.metergate.common.ApiError;
import io.metergate.common.ListRequest;
import io.metergate.common.LogThrottle;
import io.metergate.common.Params;
import io.metergate.http.Http;
import io.metergate.meters.ActiveMeterCache;
import io.metergate.meters.Meter;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The event routes: v1 and v2 single events and the v2 stream. One instance per event loop. */
public final class IngestRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(IngestRoutes.class);
  private static final LogThrottle LOOKUP_FAILURES = new LogThrottle(10_000);
  public static final int MAX_STREAM_EVENTS = 100;

  private final EventWriter writer;
  private final ActiveMeterCache meters;
  private final Clock clock;
  private final Counter invalid;
  private final Counter rateLimited;
  private final AccountRateLimiter limiter;

  /** {@code limiter} may be null: no per-account limit. */
  public IngestRoutes(EventWriter writer, ActiveMeterCache meters, Clock clock, WriterStats stats,
                      AccountRateLimiter limiter) {
    this.writer = writer;
    this.meters = meters;
    this.clock = clock;
    this.invalid = stats.rejected("invalid");
    this.rateLimited = stats.rejected("account_rate_limited");
    this.limiter = limiter;
  }

  /** Refused before anything is queued, so one account's flood leaves the writer to the others. */
  private Future<EventWriter.Result> submit(Principal who, List<MeterEvent> events) {
    if (limiter == null) {
      return writer.submit(events);
    }
    long bucket = who.accountId() * 2 + (who.livemode() ? 1 : 0);
    int wait = limiter.acquire(bucket, events.size(), System.nanoTime());
    if (wait > 0) {
      rateLimited.increment(events.size());
      return Future.failedFuture(ApiError.rateLimited("This account is sending events faster than its limit;"
          + " retry after the Retry-After delay.", wait));
    }
    // events the writer refused or could not store were not delivered: they do not use up the budget
    return writer.submit(events).onFailure(err -> limiter.refund(bucket, events.size()));
  }

  public void mount(Router router) {
    router.post("/v1/billing/meter_events").handler(this::createEventV1);
    router.post("/v2/billing/meter_events").handler(this::createEventV2);
    router.post("/v2/billing/meter_event_stream").handler(this::streamEvents);
  }

  private void createEventV1(RoutingContext ctx) {
    Params p = Http.formParams(ctx);
    ListRequest.checkExpand(p, Set.of());
    createSingle(ctx, p, IngestRoutes::renderV1);
  }

  private void createEventV2(RoutingContext ctx) {
    createSingle(ctx, Http.jsonParams(ctx), IngestRoutes::renderV2);
  }

  private void createSingle(RoutingContext ctx, Params p, Renderer renderer) {
    Principal who = Http.principal(ctx);
    Instant now = clock.instant();
    String idempotencyKey = ctx.get(Http.IDEMPOTENCY_KEY);
    EventInput input = countingInvalid(1, () -> EventInput.parse(p, now, idempotencyKey));
    resolve(who, List.of(input))
        .compose(events -> submit(who, events).map(result -> {
          if (result.duplicates().get(0)) {
            throw ApiError.invalid("duplicate_meter_event", "An event with identifier '" + input.identifier()
                + "' was already received within the last 24 hours.", p.path("identifier"));
          }
          return events.get(0);
        }))
        .onSuccess(event -> Http.ok(ctx, renderer.render(event, who, now)))
        .onFailure(ctx::fail);
  }

  /**
   * All or nothing: every event is validated before any is queued, and the first bad one is named
   * (events[3].payload.value). Duplicates are skipped silently so a client may resend a batch whose
   * acknowledgement it never saw.
   */
  private void streamEvents(RoutingContext ctx) {
    Principal who = Http.principal(ctx);
    Params p = Http.jsonParams(ctx).allowOnly(Set.of("events"));
    List<Object> raw = p.optionalArray("events");
    if (raw == null) {
      throw ApiError.missing("events");
    }
    if (raw.isEmpty() || raw.size() > MAX_STREAM_EVENTS) {
      throw ApiError.invalid(raw.isEmpty() ? "parameter_invalid_empty" : "too_many_events",
          "events must hold between 1 and " + MAX_STREAM_EVENTS + " events; got " + raw.size() + ".", "events");
    }
    Instant now = clock.instant();
    List<EventInput> inputs = new ArrayList<>(raw.size());
    countingInvalid(raw.size(), () -> {
      for (int i = 0; i < raw.size(); i++) {
        inputs.add(EventInput.parse(p.element("events", i, raw.get(i)), now));
      }
      return inputs;
    });
    resolve(who, inputs)
        .compose(events -> submit(who, events))
        .onSuccess(result -> Http.ok(ctx, new JsonObject()))
        .onFailure(ctx::fail);
  }

  /** Binds every input to its meter; one lookup per distinct event name, usually from the cache. */
  private Future<List<MeterEvent>> resolve(Principal who, List<EventInput> inputs) {
    Map<String, Optional<Meter>> known = new HashMap<>(4);
    List<Future<?>> loads = new ArrayList<>(0);
    for (EventInput in : inputs) {
      if (known.containsKey(in.eventName())) {
        continue;
      }
      Optional<Meter> cached = meters.cached(who.accountId(), who.livemode(), in.eventName());
      known.put(in.eventName(), cached);
      if (cached == null) {
        loads.add(meters.load(who.accountId(), who.livemode(), in.eventName())
            .onSuccess(m -> known.put(in.eventName(), m)));
      }
    }
    Future<?> ready = loads.isEmpty() ? Future.succeededFuture() : Future.all(loads);
    return ready
        .recover(err -> {
          if (LOOKUP_FAILURES.allow()) {
            LOG.warn("Meter lookups are failing, answering 503: {}", err.toString());
          }
          return Future.failedFuture(ApiError.unavailable("Could not look up meters: the database is unavailable.", 1));
        })
        .map(v -> countingInvalid(inputs.size(), () -> {
          List<MeterEvent> events = new ArrayList<>(inputs.size());
          for (EventInput in : inputs) {
            events.add(in.bind(who, known.get(in.eventName())));
          }
          return events;
        }));
  }

  /** Counts the request's events as rejected when a validation step refuses it (all or nothing). */
  private <T> T countingInvalid(int events, java.util.function.Supplier<T> step) {
    try {
      return step.get();
    } catch (ApiError e) {
      invalid.increment(events);
      throw e;
    }
  }

  private interface Renderer {
    JsonObject render(MeterEvent e, Principal who, Instant created);
  }

  private static JsonObject renderV1(MeterEvent e, Principal who, Instant created) {
    return new JsonObject()
        .put("object", "billing.meter_event")
        .put("created", created.getEpochSecond())
        .put("event_name", e.eventName())
        .put("identifier", e.identifier())
        .put("livemode", who.livemode())
        .put("payload", new JsonObject(new HashMap<>(e.payload())))
        .put("timestamp", e.timestamp().getEpochSecond());
  }

  private static JsonObject renderV2(MeterEvent e, Principal who, Instant created) {
    return new JsonObject()
        .put("object", "v2.billing.meter_event")
        .put("created", Http.rfc3339(created))
        .put("event_name", e.eventName())
        .put("identifier", e.identifier())
        .put("livemode", who.livemode())
        .put("payload", new JsonObject(new HashMap<>(e.payload())))
        .put("timestamp", Http.rfc3339(e.timestamp()));
  }
}
