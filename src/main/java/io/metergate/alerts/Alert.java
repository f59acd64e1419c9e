package io.metergate.alerts;

import java.time.Instant;

/** A billing alert as stored; {@code meter} is the meter's public id, {@code customer} the filter or null. */
public record Alert(
    long id,
    String publicId,
    long accountId,
    boolean livemode,
    String title,
    long meterId,
    String meter,
    long gte,
    String customer,
    String status,
    long countsAfterId,
    Instant created) {}
