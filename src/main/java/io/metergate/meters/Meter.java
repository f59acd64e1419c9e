package io.metergate.meters;

import java.time.Instant;

/** A billing meter as stored; {@code id} is internal, {@code publicId} is the API's {@code mtr_...}. */
public record Meter(
    long id,
    String publicId,
    long accountId,
    boolean livemode,
    String displayName,
    String eventName,
    String formula,
    String customerPayloadKey,
    String valuePayloadKey,
    String eventTimeWindow,
    String status,
    Instant created,
    Instant updated,
    Instant deactivatedAt) {

  public boolean active() {
    return "active".equals(status);
  }

  /** The latest event counts rather than every event: formula last, or pre-aggregated windows. */
  public boolean latestWins() {
    return "last".equals(formula) || eventTimeWindow != null;
  }

  public boolean needsValue() {
    return !"count".equals(formula);
  }
}
