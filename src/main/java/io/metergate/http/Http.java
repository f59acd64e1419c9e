package io.metergate.http;

import io.metergate.accounts.Principal;
import io.metergate.common.ApiError;
import io.metergate.common.FormDecoder;
import io.metergate.common.Params;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;

/** Small request and response helpers shared by every feature's handlers. */
public final class Http {
  public static final String PRINCIPAL = "metergate.principal";
  public static final String RECORDER = "metergate.response-recorder";
  /** The Idempotency-Key this request holds, once claimed. */
  public static final String IDEMPOTENCY_KEY = "metergate.idempotency-key";

  /**
   * Sees a response before it is sent (idempotent requests record it); the response is written
   * once the returned future completes, whatever its outcome.
   */
  public interface ResponseRecorder {
    Future<Void> record(int status, Buffer body);
  }

  private Http() {}

  public static Principal principal(RoutingContext ctx) {
    return ctx.get(PRINCIPAL);
  }

  /**
   * An object id from the path. One that could not have been issued (too long, or text PostgreSQL
   * cannot hold) is simply not found, without reaching the database.
   */
  public static String pathId(RoutingContext ctx, String resource) {
    return pathId(ctx, resource, "id");
  }

  /** The path parameter {@code name}, checked as {@link #pathId(RoutingContext, String)} checks ids. */
  public static String pathId(RoutingContext ctx, String resource, String name) {
    String id = ctx.pathParam(name);
    if (id == null || id.isEmpty() || id.length() > 255 || id.indexOf('\u0000') >= 0) {
      throw ApiError.notFound(resource, id == null ? "" : id.replace("\u0000", ""), name);
    }
    try {
      return Params.storable(id, name);
    } catch (ApiError e) {
      throw ApiError.notFound(resource, "", name);
    }
  }

  /** v1 POST: the form body; v1 GET: the query string. Both use bracket notation. */
  public static Params formParams(RoutingContext ctx) {
    String raw = ctx.request().method().name().equals("GET") ? ctx.request().query() : bodyText(ctx);
    return new Params(FormDecoder.decode(raw), Params.Style.FORM);
  }

  public static Params queryParams(RoutingContext ctx) {
    return new Params(FormDecoder.decode(ctx.request().query()), Params.Style.FORM);
  }

  /** v2 POST: a JSON object body (an empty body counts as {}). */
  public static Params jsonParams(RoutingContext ctx) {
    return new Params(jsonBody(ctx).getMap(), Params.Style.JSON);
  }

  public static JsonObject jsonBody(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0) {
      return new JsonObject();
    }
    Object parsed;
    try {
      parsed = Json.decodeValue(body);
    } catch (DecodeException e) {
      throw ApiError.invalid("invalid_json", "The request body is not valid JSON.", null);
    }
    if (!(parsed instanceof JsonObject obj)) {
      throw ApiError.invalid("invalid_json", "The request body must be a JSON object.", null);
    }
    return obj;
  }

  private static String bodyText(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    return body == null ? "" : body.toString();
  }

  public static void ok(RoutingContext ctx, JsonObject body) {
    send(ctx, 200, body.toBuffer(), null);
  }

  /** Every response of the API goes through here. */
  public static void send(RoutingContext ctx, int status, Buffer body, Integer retryAfterSeconds) {
    ResponseRecorder recorder = ctx.get(RECORDER);
    if (recorder == null) {
      write(ctx, status, body, retryAfterSeconds);
      return;
    }
    ctx.remove(RECORDER);
    recorder.record(status, body).onComplete(ar -> write(ctx, status, body, retryAfterSeconds));
  }

  private static void write(RoutingContext ctx, int status, Buffer body, Integer retryAfterSeconds) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json");
    if (retryAfterSeconds != null) {
      ctx.response().putHeader("Retry-After", Integer.toString(retryAfterSeconds));
    }
    ctx.response().end(body);
  }

  public static JsonObject list(String url, JsonArray data, boolean hasMore) {
    return new JsonObject().put("object", "list").put("data", data).put("has_more", hasMore).put("url", url);
  }

  public static Long epoch(Instant t) {
    return t == null ? null : t.getEpochSecond();
  }

  /** v2 timestamps are RFC 3339 strings; stripe-java cannot read numbers there. */
  public static String rfc3339(Instant t) {
    return t == null ? null : t.toString();
  }
}
