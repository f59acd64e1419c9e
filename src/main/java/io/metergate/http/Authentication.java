package io.metergate.http;

import io.metergate.accounts.ApiKeys;
import io.metergate.accounts.KeyAuthenticator;
import io.metergate.accounts.Principal;
import io.metergate.common.ApiError;
import io.metergate.session.SessionTokens;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;

/**
 * Secret keys (Bearer, or HTTP Basic user as curl -u sk_test_...: sends) on every route but the
 * stream; session tokens (Bearer ekt_...) on the stream, verified by signature alone.
 */
public final class Authentication {
  private final KeyAuthenticator keys;
  private final SessionTokens tokens;
  private final Clock clock;

  public Authentication(KeyAuthenticator keys, SessionTokens tokens, Clock clock) {
    this.keys = keys;
    this.tokens = tokens;
    this.clock = clock;
  }

  public void secretKey(RoutingContext ctx) {
    if (ctx.get(Http.PRINCIPAL) != null) {
      ctx.next();
      return;
    }
    String key = credential(ctx);
    if (key == null) {
      ctx.fail(ApiError.unauthorized("api_key_missing", "You did not provide an API key. Provide it in the"
          + " Authorization header using Bearer auth (Authorization: Bearer sk_test_...) or as the HTTP Basic"
          + " username."));
      return;
    }
    if (key.startsWith("ekt_")) {
      ctx.fail(ApiError.unauthorized("secret_key_required",
          "Meter event session tokens are accepted only by POST /v2/billing/meter_event_stream; use a secret key."));
      return;
    }
    keys.authenticate(key).onSuccess(p -> {
      ctx.put(Http.PRINCIPAL, p);
      ctx.next();
    }).onFailure(ctx::fail);
  }

  public void sessionToken(RoutingContext ctx) {
    String token = credential(ctx);
    if (token == null) {
      ctx.fail(ApiError.unauthorized("api_key_missing",
          "Provide a meter event session token as Authorization: Bearer ekt_... (from POST /v2/billing/meter_event_session)."));
      return;
    }
    if (token.startsWith("sk_")) {
      ctx.fail(ApiError.unauthorized("session_token_required",
          "The meter event stream takes a meter event session token, not a secret key. Create one with"
              + " POST /v2/billing/meter_event_session."));
      return;
    }
    SessionTokens.Verification verdict = tokens.verify(token, clock.instant());
    if (verdict instanceof SessionTokens.Valid v) {
      ctx.put(Http.PRINCIPAL, new Principal(v.claims().accountId(), null, v.claims().livemode()));
      ctx.next();
    } else if (verdict instanceof SessionTokens.Expired) {
      ctx.fail(ApiError.sessionExpired());
    } else {
      ctx.fail(ApiError.unauthorized("session_token_invalid",
          "Invalid meter event session token provided: " + ApiKeys.hint(token)));
    }
  }

  private static String credential(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null) {
      return null;
    }
    if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String value = header.substring(7).trim();
      return value.isEmpty() ? null : value;
    }
    if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
      try {
        String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        String user = colon < 0 ? decoded : decoded.substring(0, colon);
        return user.isEmpty() ? null : user;
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    return null;
  }
}
