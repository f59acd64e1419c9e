package io.metergate.load;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * RFC 3339 UTC timestamps with exactly three fraction digits ({@code 2026-11-01T00:00:00.250Z}).
 * The date-time part is cached per second: the load phase formats millions of increasing timestamps.
 * Not thread-safe; one instance per event loop.
 */
final class Rfc3339Millis {
  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

  private long cachedSecond = Long.MIN_VALUE;
  private String cachedPrefix;

  String format(long epochMillis) {
    long second = Math.floorDiv(epochMillis, 1000);
    int millis = Math.floorMod(epochMillis, 1000);
    if (second != cachedSecond) {
      cachedSecond = second;
      cachedPrefix = SECONDS.format(Instant.ofEpochSecond(second));
    }
    StringBuilder sb = new StringBuilder(24).append(cachedPrefix).append('.');
    if (millis < 100) {
      sb.append('0');
    }
    if (millis < 10) {
      sb.append('0');
    }
    return sb.append(millis).append('Z').toString();
  }
}
