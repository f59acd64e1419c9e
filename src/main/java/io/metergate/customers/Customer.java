package io.metergate.customers;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** A customer as stored; {@code id} is internal, {@code publicId} the API's cus_...; balance in currency. */
public record Customer(
    long id,
    String publicId,
    long accountId,
    boolean livemode,
    String name,
    String email,
    String phone,
    String description,
    JsonObject metadata,
    long balance,
    String currency,
    Instant created) {}
