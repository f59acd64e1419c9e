package io.metergate.http;

import io.metergate.common.ApiError;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place failures become Stripe error objects, whatever raised them. */
public final class Errors {
  private static final Logger LOG = LoggerFactory.getLogger(Errors.class);

  private Errors() {}

  public static void handle(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    if (response.ended() || response.closed()) {
      return;
    }
    ApiError error = toApiError(ctx);
    if (response.headWritten()) {
      response.reset();
      return;
    }
    Http.send(ctx, error.status(), render(error).toBuffer(), error.retryAfterSeconds());
  }

  static ApiError toApiError(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof ApiError e) {
      return e;
    }
    int status = failure instanceof HttpException he ? he.getStatusCode() : ctx.statusCode();
    String method = ctx.request().method().name();
    String path = ctx.request().path();
    switch (status) {
      case 404:
      case 405:
        return ApiError.of(404, "invalid_request_error", "resource_missing",
            "Unrecognized request URL (" + method + ": " + path + ").", null);
      case 413:
        return ApiError.tooLarge("The request body is larger than this gateway accepts.");
      case 400:
        return ApiError.invalid("invalid_request", "The request could not be read.", null);
      default:
        LOG.error("Unexpected failure on {} {} (request {})", method, path,
            ctx.response().headers().get(RequestIds.HEADER), failure);
        return ApiError.internal("An unexpected error occurred on the gateway; request "
            + ctx.response().headers().get(RequestIds.HEADER) + " was not completed.");
    }
  }

  public static JsonObject render(ApiError e) {
    JsonObject error = new JsonObject().put("type", e.type()).put("message", e.getMessage());
    if (e.code() != null) {
      error.put("code", e.code());
    }
    if (e.param() != null) {
      error.put("param", e.param());
    }
    return new JsonObject().put("error", error);
  }
}
