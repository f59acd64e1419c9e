package io.metergate.common;

import java.util.Set;

/**
 * A list's {@code created} filter: {@code created=t} or {@code created[gt|gte|lt|lte]=t}, as the
 * half-open range of Unix seconds [from, before), either end null when open. Clamped to years
 * 1970..9999 so that PostgreSQL never sees a timestamp out of its range.
 */
public record CreatedRange(Long from, Long before) {
  public static final CreatedRange ANY = new CreatedRange(null, null);
  private static final long LAST_SECOND = 253_402_300_800L;

  /** {@code created=t} (that second) or a range {@code created[gte]=...}. */
  public static CreatedRange parse(Params p) {
    if (!p.isObject("created")) {
      Long exact = p.optionalInteger("created");
      return exact == null ? ANY : new CreatedRange(clamp(exact), clamp(exact + 1));
    }
    Params range = p.requiredObject("created").allowOnly(Set.of("gt", "gte", "lt", "lte"));
    Long from = max(plusOne(range.optionalInteger("gt")), range.optionalInteger("gte"));
    Long before = min(range.optionalInteger("lt"), plusOne(range.optionalInteger("lte")));
    return new CreatedRange(from == null ? null : clamp(from), before == null ? null : clamp(before));
  }

  private static long clamp(long unixSeconds) {
    return Math.max(0, Math.min(unixSeconds, LAST_SECOND));
  }

  private static Long plusOne(Long t) {
    return t == null ? null : t + 1;
  }

  private static Long max(Long a, Long b) {
    return a == null ? b : b == null ? a : Long.valueOf(Math.max(a, b));
  }

  private static Long min(Long a, Long b) {
    return a == null ? b : b == null ? a : Long.valueOf(Math.min(a, b));
  }
}
