package io.metergate.ingest;

import io.metergate.accounts.Principal;
import io.metergate.common.ApiError;
import io.metergate.common.Params;
import io.metergate.meters.Meter;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * One meter event as the client sent it, checked for shape (names, lengths, types, timestamp
 * window) but not yet against its meter. {@link #bind} finishes validation once the meter is known.
 */
public record EventInput(String eventName, String identifier, Map<String, String> payload, Instant timestamp,
                         Params params) {
  public static final int MAX_IDENTIFIER = 100;
  public static final int MAX_EVENT_NAME = 100;
  public static final int MAX_PAYLOAD_KEYS = 20;
  public static final int MAX_PAYLOAD_KEY = 100;
  public static final int MAX_PAYLOAD_VALUE = 100;
  public static final Duration MAX_AGE = Duration.ofDays(35);
  public static final Duration MAX_AHEAD = Duration.ofMinutes(5);

  static final Set<String> FIELDS = Set.of("event_name", "payload", "identifier", "timestamp");
  static final Set<String> V1_FIELDS = Set.of("event_name", "payload", "identifier", "timestamp", "expand");

  /** Reads and checks the event-level fields; v1 timestamps are Unix seconds, v2 RFC 3339. */
  public static EventInput parse(Params p, Instant now) {
    return parse(p, now, null);
  }

  /**
   * {@code idempotencyKey}, when the request carries one, fixes the generated identifier: a request
   * executed twice under one key then deduplicates instead of counting twice.
   */
  public static EventInput parse(Params p, Instant now, String idempotencyKey) {
    p.allowOnly(p.style() == Params.Style.FORM ? V1_FIELDS : FIELDS);
    String eventName = p.requiredString("event_name", MAX_EVENT_NAME);
    String identifier = p.optionalString("identifier", MAX_IDENTIFIER);
    Map<String, String> payload = p.requiredStringMap("payload", MAX_PAYLOAD_KEYS, MAX_PAYLOAD_KEY, MAX_PAYLOAD_VALUE);
    Instant timestamp = timestamp(p, now);
    if (identifier == null) {
      identifier = idempotencyKey == null ? UUID.randomUUID().toString() : fromIdempotencyKey(idempotencyKey);
    }
    return new EventInput(eventName, identifier, payload, timestamp, p);
  }

  static String fromIdempotencyKey(String key) {
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
          .digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return "idk_" + java.util.HexFormat.of().formatHex(digest, 0, 20);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Instant timestamp(Params p, Instant now) {
    Instant t;
    if (p.style() == Params.Style.FORM) {
      Long seconds = p.optionalInteger("timestamp");
      if (seconds == null) {
        return now;
      }
      long nowSeconds = now.getEpochSecond();
      if (seconds < nowSeconds - MAX_AGE.getSeconds()) {
        throw tooOld(p);
      }
      if (seconds > nowSeconds + MAX_AHEAD.getSeconds()) {
        throw tooNew(p);
      }
      t = Instant.ofEpochSecond(seconds);
    } else {
      String text = p.optionalString("timestamp", 64);
      if (text == null) {
        return now;
      }
      try {
        t = OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException e) {
        throw ApiError.invalid("parameter_invalid_timestamp",
            "Invalid timestamp: must be an RFC 3339 date-time such as 2024-06-01T12:00:00Z.", p.path("timestamp"));
      }
    }
    if (t.isBefore(now.minus(MAX_AGE))) {
      throw tooOld(p);
    }
    if (t.isAfter(now.plus(MAX_AHEAD))) {
      throw tooNew(p);
    }
    return t;
  }

  private static ApiError tooOld(Params p) {
    return ApiError.invalid("timestamp_too_far_in_past",
        "The timestamp must be no more than 35 days in the past.", p.path("timestamp"));
  }

  private static ApiError tooNew(Params p) {
    return ApiError.invalid("timestamp_in_future",
        "The timestamp must be no more than 5 minutes in the future.", p.path("timestamp"));
  }

  /** Checks the event against its meter (existence, status, customer and value keys). */
  public MeterEvent bind(Principal who, Optional<Meter> maybeMeter) {
    Meter meter = maybeMeter.orElseThrow(() -> ApiError.invalid("no_meter",
        "No active meter was found for event_name '" + eventName + "'.", params.path("event_name")));
    if (!meter.active()) {
      throw ApiError.invalid("archived_meter",
          "The meter for event_name '" + eventName + "' (" + meter.publicId() + ") is inactive.",
          params.path("event_name"));
    }
    Params payloadParams = params.requiredObject("payload");
    String customer = payload.get(meter.customerPayloadKey());
    if (customer == null || customer.isBlank()) {
      throw ApiError.invalid("payload_no_customer_defined",
          "The payload must contain the customer under '" + meter.customerPayloadKey() + "'.",
          payloadParams.path(meter.customerPayloadKey()));
    }
    BigDecimal value = null;
    if (meter.needsValue()) {
      String raw = payload.get(meter.valuePayloadKey());
      if (raw == null) {
        throw ApiError.invalid("payload_no_value_defined",
            "The payload must contain the value under '" + meter.valuePayloadKey() + "'.",
            payloadParams.path(meter.valuePayloadKey()));
      }
      value = Params.parseDecimal(raw);
      if (value == null) {
        throw ApiError.invalid("payload_invalid_value",
            "The value must be a decimal number with at most 20 integer and 12 fractional digits.",
            payloadParams.path(meter.valuePayloadKey()));
      }
    }
    return new MeterEvent(who.accountId(), who.livemode(), meter.id(), eventName, identifier, customer, value,
        timestamp, payload, meter.latestWins());
  }
}
