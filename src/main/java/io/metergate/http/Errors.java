package io.metergate.http;

import io.metergate.common.ApiError;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpServerRequest;
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
    if (response.ended()) {
      return;
    }
    ApiError error = toApiError(ctx);
    if (response.headWritten()) {
      response.reset();
      return;
    }
    Http.send(ctx, error.status(), render(error).toBuffer(), error.retryAfterSeconds());
  }

  /**
   * Requests Netty could not decode (request line or headers over the limits, malformed HTTP) never
   * reach the router; they still get a Stripe error object, then the connection is closed.
   */
  public static void undecodable(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    ApiError error;
    if (cause instanceof TooLongHttpLineException) {
      error = ApiError.of(414, "invalid_request_error", "request_uri_too_long",
          "The request URL is longer than this gateway accepts.", null);
    } else if (cause instanceof TooLongHttpHeaderException) {
      error = ApiError.of(431, "invalid_request_error", "request_headers_too_large",
          "The request headers are larger than this gateway accepts.", null);
    } else {
      error = ApiError.invalid("invalid_request", "The request is not valid HTTP.", null);
    }
    request.response().setStatusCode(error.status())
        .putHeader("Content-Type", "application/json")
        .putHeader(RequestIds.HEADER, RequestIds.next())
        .putHeader("Connection", "close")
        .end(render(error).toBuffer());
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
        org.slf4j.MDC.put("request_id", ctx.response().headers().get(RequestIds.HEADER));
        try {
          LOG.error("Unexpected failure on {} {} (request {})", method, path,
              ctx.response().headers().get(RequestIds.HEADER), failure);
        } finally {
          org.slf4j.MDC.remove("request_id");
        }
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
