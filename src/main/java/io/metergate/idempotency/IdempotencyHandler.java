package io.metergate.idempotency;

import io.metergate.accounts.Principal;
import io.metergate.common.ApiError;
import io.metergate.http.Http;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Idempotency-Key on every POST but the stream (which deduplicates by event identifier): the first
 * response to a key is recorded before it is sent, and a retry with the same parameters within the
 * retention period gets it again (Idempotent-Replayed: true) without the work being redone.
 */
public final class IdempotencyHandler {
  private static final Logger LOG = LoggerFactory.getLogger(IdempotencyHandler.class);
  public static final int MAX_KEY_LENGTH = 255;


  private final IdempotencyStore store;

  public IdempotencyHandler(IdempotencyStore store) {
    this.store = store;
  }

  public void handle(RoutingContext ctx) {
    String key = ctx.request().getHeader("Idempotency-Key");
    if (key == null || ctx.request().path().endsWith("/meter_event_stream")) {
      ctx.next();
      return;
    }
    if (key.isBlank() || key.length() > MAX_KEY_LENGTH) {
      ctx.fail(ApiError.invalid("idempotency_key_invalid",
          "The Idempotency-Key header must be 1 to " + MAX_KEY_LENGTH + " characters.", null));
      return;
    }
    Principal who = Http.principal(ctx);
    Buffer body = ctx.body().buffer();
    byte[] fingerprint = Fingerprint.of(ctx.request().method().name(), ctx.request().path(),
        ctx.request().getHeader("Content-Type"), body == null ? "" : body.toString());
    store.claim(who, key, fingerprint).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ApiError.unavailable("Could not check the Idempotency-Key: the database is unavailable.", 1));
      } else if (ar.result() instanceof IdempotencyStore.Claimed claimed) {
        proceed(ctx, who, key, claimed.token());
      } else if (ar.result() instanceof IdempotencyStore.Replay replay) {
        ctx.response().putHeader("Idempotent-Replayed", "true");
        Http.send(ctx, replay.status(), Buffer.buffer(replay.body()), null);
      } else if (ar.result() instanceof IdempotencyStore.Mismatch) {
        ctx.fail(ApiError.of(400, "idempotency_error", "idempotency_key_reused",
            "Keys for idempotent requests can only be used with the same parameters they were first used with."
                + " Try a key other than '" + key + "' if you meant to execute a different request.", null));
      } else {
        ctx.fail(ApiError.of(409, "idempotency_error", "idempotency_key_in_use",
            "Another request with the Idempotency-Key '" + key + "' is still being processed. Retry later.", null));
      }
    });
  }

  /**
   * The outcome is recorded (or the claim released) when the request produces its response, even if
   * the client has gone by then: a disconnect must not free the key while the work still runs, or
   * the client's retry would do it twice.
   */
  private void proceed(RoutingContext ctx, Principal who, String key, java.util.UUID token) {
    ctx.put(Http.IDEMPOTENCY_KEY, key);
    ctx.put(Http.RECORDER, (Http.ResponseRecorder) (status, responseBody) -> {
      Future<Void> saved = recordable(status)
          ? store.complete(who, key, token, status, responseBody.toString())
          : store.release(who, key, token);
      return saved.onFailure(err -> LOG.warn("Could not record the outcome of Idempotency-Key {}: {}", key,
          err.getMessage()));
    });
    ctx.next();
  }

  /**
   * As Stripe: only results of work that ran are kept. Validation failures, conflicts, rate limits
   * and server errors are not, so the client can fix and retry under the same key.
   */
  static boolean recordable(int status) {
    return status >= 200 && status < 300;
  }
}
