package io.metergate.common;

/**
 * A failure the client should see as a Stripe error object. Thrown or used to fail a Future from
 * anywhere; the HTTP error mapper renders it. No stack trace: these are expected outcomes.
 */
public final class ApiError extends RuntimeException {
  private final int status;
  private final String type;
  private final String code;
  private final String param;
  private final Integer retryAfterSeconds;

  private ApiError(int status, String type, String code, String message, String param, Integer retryAfter) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
    this.code = code;
    this.param = param;
    this.retryAfterSeconds = retryAfter;
  }

  public static ApiError invalid(String code, String message, String param) {
    return new ApiError(400, "invalid_request_error", code, message, param, null);
  }

  public static ApiError missing(String param) {
    return invalid("parameter_missing", "Missing required param: " + param + ".", param);
  }

  public static ApiError unknownParam(String param) {
    return invalid("parameter_unknown", "Received unknown parameter: " + param, param);
  }

  public static ApiError notFound(String resource, String id, String param) {
    return new ApiError(404, "invalid_request_error", "resource_missing",
        "No such " + resource + ": '" + id + "'", param, null);
  }

  public static ApiError unauthorized(String code, String message) {
    return new ApiError(401, "invalid_request_error", code, message, null, null);
  }

  public static ApiError sessionExpired() {
    return new ApiError(401, "temporary_session_expired", "billing_meter_event_session_expired",
        "The meter event session has expired. Create a new session with POST /v2/billing/meter_event_session.",
        null, null);
  }

  public static ApiError rateLimited(String message, int retryAfterSeconds) {
    return new ApiError(429, "rate_limit_error", "rate_limit", message, null, retryAfterSeconds);
  }

  public static ApiError unavailable(String message, int retryAfterSeconds) {
    return new ApiError(503, "api_error", "service_unavailable", message, null, retryAfterSeconds);
  }

  public static ApiError tooLarge(String message) {
    return new ApiError(413, "invalid_request_error", "request_too_large", message, null, null);
  }

  public static ApiError notImplemented(String what) {
    return new ApiError(501, "api_error", "not_implemented",
        what + " is not implemented by this version of Metergate.", null, null);
  }

  public static ApiError internal(String message) {
    return new ApiError(500, "api_error", null, message, null, null);
  }

  public static ApiError of(int status, String type, String code, String message, String param) {
    return new ApiError(status, type, code, message, param, null);
  }

  public int status() { return status; }
  public String type() { return type; }
  public String code() { return code; }
  public String param() { return param; }
  public Integer retryAfterSeconds() { return retryAfterSeconds; }
}
