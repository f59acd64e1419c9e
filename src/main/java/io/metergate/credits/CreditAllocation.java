package io.metergate.credits;

import java.util.List;

/**
 * How credit grants pay for invoice lines (pure; no I/O). Grants are used in Stripe's order:
 * priority (lower first), then earlier expires_at (none last), then promotional before paid, then
 * earlier effective_at, then earlier created, then id. Lines are paid in invoice order: each line
 * takes from the first grant that covers it and has something left, then the next, until the line
 * is paid or no covering grant has anything left. A line never goes below zero.
 */
public final class CreditAllocation {
  /** A line to pay: its position on the invoice, its price (may be null), whether metered, its amount. */
  public record Line(int index, String pricePublicId, boolean metered, long amount) {}

  /** {@code amount} of {@code grant} pays line {@code lineIndex}. */
  public record Allocation(int lineIndex, Grant grant, long amount) {}

  private CreditAllocation() {}

  /** Grants in any order (they are sorted here); only grants in the lines' currency should be passed. */
  public static List<Allocation> allocate(List<Grant> grants, List<Line> lines) {
    throw new UnsupportedOperationException("not built yet");
  }
}
