package io.metergate.usage;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a meter turns events into numbers, independent of storage. {@code sum} adds values,
 * {@code count} counts events, {@code last} takes the latest event's value. With an
 * event_time_window (pre-aggregated ingestion) only the latest event of each hour or UTC day
 * counts; it is then placed in the summary window holding its timestamp.
 */
public final class Aggregation {
  public static final long HOUR = 3600;
  public static final long DAY = 86400;

  public enum Formula { SUM, COUNT, LAST }

  /** {@code bucketSeconds}: 0 for raw meters, else 3600 or 86400 (the meter's event_time_window). */
  public record Spec(Formula formula, long bucketSeconds) {
    public static Spec of(String formula, String eventTimeWindow) {
      Formula f = switch (formula) {
        case "sum" -> Formula.SUM;
        case "count" -> Formula.COUNT;
        case "last" -> Formula.LAST;
        default -> throw new IllegalArgumentException("unknown formula " + formula);
      };
      long bucket = eventTimeWindow == null ? 0 : "hour".equals(eventTimeWindow) ? HOUR : DAY;
      return new Spec(f, bucket);
    }

    public boolean windowed() {
      return bucketSeconds > 0;
    }
  }

  /**
   * One summary window: [start, end) in Unix seconds, its value, how many events made it and the
   * latest of them (null unless the meter keeps latest events).
   */
  public record Window(long start, long end, BigDecimal value, long events, UsageItem.Latest latest) {}

  /** The minutes [fromMinute, toMinute) whose usage a summary of [start, end) needs. */
  public record Range(long fromMinute, long toMinute) {}

  private Aggregation() {}

  /**
   * A windowed meter needs whole buckets: the latest event of a bucket decides, even when it lies
   * outside the requested range (then the bucket contributes nothing).
   */
  public static Range fetchRange(Spec spec, long start, long end) {
    if (!spec.windowed()) {
      return new Range(start / 60, end / 60);
    }
    long b = spec.bucketSeconds();
    return new Range(Math.floorDiv(start, b) * b / 60, Math.floorDiv(end + b - 1, b) * b / 60);
  }

  /**
   * Summarizes {@code items} (everything {@link #fetchRange} asked for) over [start, end) in windows
   * of {@code grouping} seconds (0: one window for the whole range). With a grouping, windows
   * without events are left out; without one, the single window is always returned. Windows come
   * oldest first.
   */
  public static List<Window> summarize(Spec spec, long start, long end, long grouping, Collection<UsageItem> items) {
    long size = grouping == 0 ? end - start : grouping;
    TreeMap<Long, Acc> windows = new TreeMap<>();
    if (spec.windowed()) {
      for (UsageItem.Latest e : latestPerBucket(spec.bucketSeconds(), items)) {
        long at = Math.floorDiv(e.micros(), 1_000_000L);
        if (at >= start && at < end) {
          windows.computeIfAbsent((at - start) / size, k -> new Acc()).addEvent(e);
        }
      }
    } else {
      for (UsageItem item : items) {
        long at = item.minute() * 60;
        if (at >= start && at < end && item.count() > 0) {
          windows.computeIfAbsent((at - start) / size, k -> new Acc()).add(item);
        }
      }
    }
    if (grouping == 0 && windows.isEmpty()) {
      windows.put(0L, new Acc());
    }
    List<Window> out = new ArrayList<>(windows.size());
    windows.forEach((index, acc) -> {
      long from = start + index * size;
      out.add(new Window(from, Math.min(from + size, end), acc.value(spec.formula()), acc.events, acc.latest));
    });
    return out;
  }

  private static Collection<UsageItem.Latest> latestPerBucket(long bucketSeconds, Collection<UsageItem> items) {
    long bucketMicros = bucketSeconds * 1_000_000L;
    Map<Long, UsageItem.Latest> buckets = new HashMap<>();
    for (UsageItem item : items) {
      UsageItem.Latest e = item.latest();
      if (e != null && item.count() > 0) {
        buckets.merge(Math.floorDiv(e.micros(), bucketMicros), e, UsageItem::newer);
      }
    }
    return buckets.values();
  }

  private static final class Acc {
    BigDecimal sum = BigDecimal.ZERO;
    long events;
    UsageItem.Latest latest;

    void add(UsageItem item) {
      sum = sum.add(item.sum());
      events += item.count();
      latest = UsageItem.newer(latest, item.latest());
    }

    void addEvent(UsageItem.Latest e) {
      if (e.value() != null) {
        sum = sum.add(e.value());
      }
      events++;
      latest = UsageItem.newer(latest, e);
    }

    BigDecimal value(Formula formula) {
      return switch (formula) {
        case SUM -> sum;
        case COUNT -> BigDecimal.valueOf(events);
        case LAST -> latest == null || latest.value() == null ? BigDecimal.ZERO : latest.value();
      };
    }
  }
}
