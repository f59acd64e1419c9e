package io.metergate.catalog;

import java.time.Instant;
import java.util.Map;

/** A product as stored; {@code id} is internal, {@code publicId} the API's prod_... */
public record Product(
    long id,
    String publicId,
    boolean livemode,
    String name,
    String description,
    boolean active,
    Map<String, String> metadata,
    Instant created,
    Instant updated) {}
