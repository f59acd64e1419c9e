package io.metergate.ingest;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * A validated event, bound to its meter, ready to store. {@code value} is null for count meters;
 * {@code latestWins} marks events of meters where the latest event counts (formula last, or an
 * event_time_window), which are indexed for cancellations.
 */
public record MeterEvent(
    long accountId,
    boolean livemode,
    long meterId,
    String eventName,
    String identifier,
    String customerId,
    BigDecimal value,
    Instant timestamp,
    Map<String, String> payload,
    boolean latestWins) {}
