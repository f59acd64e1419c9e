package io.metergate.credits;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How credit grants pay for invoice lines (pure; no I/O). Grants are used in Stripe's order:
 * priority (lower first), then earlier expires_at (none last), then promotional before paid, then
 * earlier effective_at, then earlier created, then id. Lines are paid in invoice order: each line
 * takes from the first grant that covers it and has something left, then the next, until the line
 * is paid or no covering grant has anything left. A line never goes below zero.
 */
public final class CreditAllocation {
  /** Stripe's order of use; {@link CreditLedger#usable} returns grants in it too. */
  public static final Comparator<Grant> ORDER = Comparator.comparingInt(Grant::priority)
      .thenComparing(Grant::expiresAt, Comparator.nullsLast(Comparator.naturalOrder()))
      .thenComparingInt(g -> "promotional".equals(g.category()) ? 0 : 1)
      .thenComparing(Grant::effectiveAt, Comparator.nullsLast(Comparator.<Instant>naturalOrder()))
      .thenComparing(Grant::created, Comparator.nullsLast(Comparator.<Instant>naturalOrder()))
      .thenComparingLong(Grant::id);

  /** A line to pay: its position on the invoice, its price (may be null), whether metered, its amount. */
  public record Line(int index, String pricePublicId, boolean metered, long amount) {}

  /** {@code amount} of {@code grant} pays line {@code lineIndex}. */
  public record Allocation(int lineIndex, Grant grant, long amount) {}

  private CreditAllocation() {}

  /** Grants in any order (they are sorted here); only grants in the lines' currency should be passed. */
  public static List<Allocation> allocate(List<Grant> grants, List<Line> lines) {
    List<Grant> ordered = new ArrayList<>(grants);
    ordered.sort(ORDER);
    long[] left = new long[ordered.size()];
    for (int g = 0; g < left.length; g++) {
      left[g] = Math.max(0, ordered.get(g).remaining());
    }
    List<Line> inOrder = new ArrayList<>(lines);
    inOrder.sort(Comparator.comparingInt(Line::index));
    List<Allocation> out = new ArrayList<>();
    for (Line line : inOrder) {
      long due = Math.max(0, line.amount());
      for (int g = 0; g < left.length && due > 0; g++) {
        Grant grant = ordered.get(g);
        if (left[g] == 0 || !grant.covers(line.pricePublicId(), line.metered())) {
          continue;
        }
        long used = Math.min(left[g], due);
        out.add(new Allocation(line.index(), grant, used));
        left[g] -= used;
        due -= used;
      }
    }
    return out;
  }
}
