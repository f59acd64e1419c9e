package io.metergate.common;

import java.util.Collections;
import java.util.List;

/**
 * Stripe list pages read by id: newest first below a starting_after cursor, or upwards above an
 * ending_before cursor and then reversed. Stores fetch {@code limit + 1} rows to learn has_more.
 */
public final class Paging {
  public record Page<T>(List<T> items, boolean hasMore) {}

  private Paging() {}

  public static boolean backwards(ListRequest r) {
    return r.endingBefore() != null;
  }

  /** The cursor given, or null. */
  public static String cursor(ListRequest r) {
    return backwards(r) ? r.endingBefore() : r.startingAfter();
  }

  public static String cursorParam(ListRequest r) {
    return backwards(r) ? "ending_before" : "starting_after";
  }

  /** The exclusive id bound when no cursor is given. */
  public static long openBound(ListRequest r) {
    return backwards(r) ? 0L : Long.MAX_VALUE;
  }

  /** Rows mapped into a mutable list, for {@link #page}. */
  public static <R, T> List<T> rows(Iterable<R> rows, java.util.function.Function<R, T> map) {
    List<T> out = new java.util.ArrayList<>();
    rows.forEach(r -> out.add(map.apply(r)));
    return out;
  }

  /** {@code rows}: up to limit + 1 items in read order (mutable); the page in newest-first order. */
  public static <T> Page<T> page(List<T> rows, ListRequest r) {
    boolean hasMore = rows.size() > r.limit();
    if (hasMore) {
      rows.remove(rows.size() - 1);
    }
    if (backwards(r)) {
      Collections.reverse(rows);
    }
    return new Page<>(rows, hasMore);
  }
}
