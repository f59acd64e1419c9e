package io.metergate.gatling;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jmesPath;
import static io.gatling.javaapi.core.CoreDsl.percent;
import static io.gatling.javaapi.core.CoreDsl.randomSwitch;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * A mix of the management and single-event routes at a modest rate, as a back office and a few
 * low-volume integrations would call them with the secret key.
 *
 * <p>{@code -DusersPerSecond} (default 5) users arrive per second for {@code -DdurationSeconds};
 * each runs one of these flows, picked at random:
 * <ul>
 *   <li>15% create a meter, retrieve it, rename it (POST/GET/POST /v1/billing/meters[/:id])</li>
 *   <li>20% list meters (limit 10) and, when has_more, the next page with starting_after</li>
 *   <li>15% retrieve the run's shared meter</li>
 *   <li>20% POST /v1/billing/meter_events (form)</li>
 *   <li>20% POST /v2/billing/meter_events (JSON)</li>
 *   <li>5% retrieve a meter that does not exist: 404 resource_missing is the expected answer</li>
 *   <li>5% send a v1 event twice: the second answer must be 400 duplicate_meter_event</li>
 * </ul>
 * Every request checks its status and the key fields of the answer; an expected error counts as OK.
 */
public class ManagementMixSimulation extends Simulation {
  private final MetergateTarget target = MetergateTarget.fromSystemProperties();
  private final double usersPerSecond = MetergateTarget.doubleProperty("usersPerSecond", 5.0, 0.01, 10_000.0);
  private final int customers = MetergateTarget.intProperty("customers", 1000, 1, 100_000_000);
  private final int p99Millis = MetergateTarget.intProperty("p99Millis", 1000, 1, 3_600_000);
  /** Meter created in before(); retrieved by the "retrieve shared meter" flow. */
  private final String sharedEventName = "gatling_mix_" + target.runId.toLowerCase(Locale.ROOT);
  /** Event name of the single events: -DeventName, or the shared meter's. */
  private final String eventName = target.eventName != null ? target.eventName : sharedEventName;
  private final String eventNameJson = MetergateTarget.jsonString(eventName);
  private final Duration maxDuration = Duration.ofSeconds(target.durationSeconds).plusSeconds(60);
  private volatile String sharedMeterId;

  private final LongAdder eventsAccepted = new LongAdder();
  private final LongAdder metersCreated = new LongAdder();

  // ------------------------------------------------------------------ flows

  private final ChainBuilder createRetrieveRename = exec(
      http("create meter")
          .post("/v1/billing/meters")
          .header("Content-Type", MetergateTarget.FORM)
          .header("Idempotency-Key", s -> UUID.randomUUID().toString())
          .body(StringBody(s -> MetergateTarget.form(
              "display_name", "Gatling mix " + target.runId + " " + s.userId(),
              "event_name", sharedEventName + "_" + s.userId(),
              "default_aggregation[formula]", "sum",
              "customer_mapping[type]", "by_id",
              "customer_mapping[event_payload_key]", "stripe_customer_id",
              "value_settings[event_payload_key]", "value")))
          .check(status().is(200),
              jmesPath("object").is("billing.meter"),
              jmesPath("id").saveAs("meterId")))
      .exec(s -> {
        metersCreated.increment();
        return s;
      })
      .exec(http("retrieve meter")
          .get("/v1/billing/meters/#{meterId}")
          .check(status().is(200), jmesPath("id").isEL("#{meterId}")))
      .exec(http("rename meter")
          .post("/v1/billing/meters/#{meterId}")
          .header("Content-Type", MetergateTarget.FORM)
          .header("Idempotency-Key", s -> UUID.randomUUID().toString())
          .body(StringBody(s -> MetergateTarget.form("display_name", "Gatling mix renamed " + s.userId())))
          .check(status().is(200), jmesPath("display_name").is(s -> "Gatling mix renamed " + s.userId())));

  private final ChainBuilder listPages = exec(
      http("list meters")
          .get("/v1/billing/meters?limit=10")
          .check(status().is(200),
              jmesPath("object").is("list"),
              jmesPath("has_more").ofBoolean().saveAs("hasMore"),
              jmesPath("data[-1].id").optional().saveAs("lastId")))
      .doIf(s -> s.getBoolean("hasMore") && s.contains("lastId")).then(
          exec(http("list meters, next page")
              .get("/v1/billing/meters?limit=10&starting_after=#{lastId}")
              .check(status().is(200), jmesPath("object").is("list"))));

  private final ChainBuilder retrieveShared = exec(
      http("retrieve shared meter")
          .get(s -> "/v1/billing/meters/" + sharedMeterId)
          .check(status().is(200), jmesPath("event_name").is(sharedEventName)));

  private final ChainBuilder retrieveMissing = exec(
      http("retrieve missing meter (404 expected)")
          .get("/v1/billing/meters/mtr_missing_" + target.runId)
          .check(status().is(404), jmesPath("error.code").is("resource_missing")));

  private final ChainBuilder v1Event = exec(v1EventRequest("v1 meter event", "v1"))
      .exec(this::countEvent);

  private final ChainBuilder v2Event = exec(
      http("v2 meter event")
          .post("/v2/billing/meter_events")
          .header("Content-Type", MetergateTarget.JSON)
          .header("Idempotency-Key", s -> UUID.randomUUID().toString())
          .body(StringBody(s -> "{\"event_name\":" + eventNameJson + ",\"identifier\":\"" + identifier("v2", s)
              + "\",\"payload\":{\"stripe_customer_id\":\"" + customer() + "\",\"value\":\"1\"},\"timestamp\":\""
              + Instant.now().truncatedTo(ChronoUnit.MILLIS) + "\"}"))
          .check(status().is(200), jmesPath("identifier").is(s -> identifier("v2", s))))
      .exec(this::countEvent);

  private final ChainBuilder duplicateEvent = exec(v1EventRequest("v1 meter event (first of a pair)", "dup"))
      .exec(this::countEvent)
      .exec(http("v1 duplicate meter event (400 expected)")
          .post("/v1/billing/meter_events")
          .header("Content-Type", MetergateTarget.FORM)
          .header("Idempotency-Key", s -> UUID.randomUUID().toString())
          .body(StringBody(s -> v1EventForm("dup", s)))
          .check(status().is(400), jmesPath("error.code").is("duplicate_meter_event")));

  private final ScenarioBuilder mix = scenario("management mix")
      .randomSwitch().on(
          percent(15.0).then(createRetrieveRename),
          percent(20.0).then(listPages),
          percent(15.0).then(retrieveShared),
          percent(20.0).then(v1Event),
          percent(20.0).then(v2Event),
          percent(5.0).then(retrieveMissing),
          percent(5.0).then(duplicateEvent));

  public ManagementMixSimulation() {
    System.out.printf(Locale.ROOT, "metergate: management mix, %s%n"
            + "metergate: %.2f users/s, single events to '%s', hard limit %ds%n",
        target.describe(), usersPerSecond, eventName, maxDuration.toSeconds());
    setUp(mix.injectOpen(constantUsersPerSec(usersPerSecond).during(Duration.ofSeconds(target.durationSeconds))))
        .protocols(target.protocol()
            .authorizationHeader("Bearer " + target.apiKey)
            .shareConnections())
        .maxDuration(maxDuration)
        .assertions(
            global().failedRequests().count().is(0L),
            global().successfulRequests().count().gt(0L),
            global().responseTime().percentile(99.0).lt(p99Millis));
  }

  @Override
  public void before() {
    sharedMeterId = target.createMeter(sharedEventName, "Gatling mix " + target.runId);
    System.out.println("metergate: setup created meter " + sharedMeterId + " for event name " + sharedEventName);
  }

  @Override
  public void after() {
    long events = eventsAccepted.sum();
    System.out.print("\n================ Metergate management mix summary ================\n"
        + "run id               " + target.runId + "\n"
        + "meters created       " + metersCreated.sum() + " (plus the shared meter " + sharedMeterId + ")\n"
        + "events accepted      " + events + " (v1, v2 and first-of-pair; duplicates refused)\n"
        + "verify rows          expect " + events + ":\n"
        + "  psql -h 127.0.0.1 -U postgres metergate -c \"select count(*) from meter_events where identifier like '"
        + target.runId + "-%'\"\n"
        + "===================================================================\n");
    System.out.flush();
  }

  // ------------------------------------------------------------------ helpers

  private HttpRequestActionBuilder v1EventRequest(String name, String kind) {
    return http(name)
        .post("/v1/billing/meter_events")
        .header("Content-Type", MetergateTarget.FORM)
        .header("Idempotency-Key", s -> UUID.randomUUID().toString())
        .body(StringBody(s -> v1EventForm(kind, s)))
        .check(status().is(200),
            jmesPath("object").is("billing.meter_event"),
            jmesPath("identifier").is(s -> identifier(kind, s)));
  }

  private String v1EventForm(String kind, Session s) {
    // The customer is fixed per user so that the pair of the duplicate flow is byte-for-byte equal.
    return MetergateTarget.form(
        "event_name", eventName,
        "identifier", identifier(kind, s),
        "payload[stripe_customer_id]", "cus_" + (s.userId() % customers),
        "payload[value]", "1",
        "timestamp", Long.toString(Instant.now().getEpochSecond()));
  }

  private String identifier(String kind, Session s) {
    return target.runId + "-" + kind + "-" + s.userId();
  }

  private String customer() {
    return "cus_" + ThreadLocalRandom.current().nextInt(customers);
  }

  private Session countEvent(Session s) {
    if (!s.isFailed()) {
      eventsAccepted.increment();
    }
    return s;
  }
}
