package io.metergate.session;

import io.metergate.accounts.Principal;
import io.metergate.common.Params;
import io.metergate.http.Http;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.Set;

/** POST /v2/billing/meter_event_session: a 15-minute token for the stream, signed, not stored. */
public final class SessionRoutes {
  private final SessionTokens tokens;
  private final Clock clock;
  private final Counter issued;

  public SessionRoutes(SessionTokens tokens, Clock clock, Counter issued) {
    this.tokens = tokens;
    this.clock = clock;
    this.issued = issued;
  }

  public void mount(Router router) {
    router.post("/v2/billing/meter_event_session").handler(this::createSession);
  }

  private void createSession(RoutingContext ctx) {
    Params p = Http.jsonParams(ctx);
    p.allowOnly(Set.of());
    Principal who = Http.principal(ctx);
    SessionTokens.Session s = tokens.issue(who.accountId(), who.livemode(), clock.instant());
    issued.increment();
    Http.ok(ctx, new JsonObject()
        .put("id", s.id())
        .put("object", "v2.billing.meter_event_session")
        .put("authentication_token", s.token())
        .put("created", Http.rfc3339(s.created()))
        .put("expires_at", Http.rfc3339(s.expiresAt()))
        .put("livemode", s.livemode()));
  }
}
