package io.metergate.ingest;

import java.util.Map;

/**
 * A payload (string keys, string values) as JSON text, written directly: on the hot path this is
 * one pass over the characters instead of a map copy and a general-purpose serialiser.
 */
final class PayloadJson {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private PayloadJson() {}

  static String encode(Map<String, String> payload) {
    StringBuilder sb = new StringBuilder(64 + payload.size() * 32);
    sb.append('{');
    boolean first = true;
    for (Map.Entry<String, String> e : payload.entrySet()) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      string(sb, e.getKey());
      sb.append(':');
      string(sb, e.getValue());
    }
    return sb.append('}').toString();
  }

  private static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20) {
        sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
      } else {
        sb.append(c);
      }
    }
    sb.append('"');
  }
}
