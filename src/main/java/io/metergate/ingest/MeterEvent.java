package io.metergate.ingest;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/** A validated event, bound to its meter, ready to store. {@code value} is null for count meters. */
public record MeterEvent(
    long accountId,
    boolean livemode,
    long meterId,
    String eventName,
    String identifier,
    String customerId,
    BigDecimal value,
    Instant timestamp,
    Map<String, String> payload) {}
