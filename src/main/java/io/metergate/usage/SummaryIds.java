package io.metergate.usage;

import io.metergate.common.ApiError;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Summaries are computed, not stored, so their ids encode what identifies them: a digest of the
 * meter, customer and grouping, then the window's bounds. A pagination cursor is decoded back to its
 * start_time, and one from another list is refused.
 */
final class SummaryIds {
  private static final Pattern ID = Pattern.compile("mtrusg_([0-9a-f]{16})_(\\d{1,12})_(\\d{1,12})");

  private SummaryIds() {}

  static String of(String list, long start, long end) {
    return "mtrusg_" + list + "_" + start + "_" + end;
  }

  /** Identifies one list: meter, customer and grouping. */
  static String list(String meterId, String customer, long grouping) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest((meterId + "\u0000" + customer + "\u0000" + grouping).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The start_time of a summary of this list, for starting_after or ending_before. */
  static long cursorStart(String list, String id, String param) {
    Matcher m = ID.matcher(id);
    if (!m.matches() || !m.group(1).equals(list)) {
      throw ApiError.notFound("billing.meter_event_summary", id, param);
    }
    return Long.parseLong(m.group(2));
  }
}
