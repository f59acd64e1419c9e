package io.metergate.load;

import io.vertx.core.buffer.Buffer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** A Stripe v1 form body or query string, built in order: {@code a[b][0][c]=v&...}. */
final class Form {
  private final StringBuilder sb = new StringBuilder();

  Form add(String name, Object value) {
    if (sb.length() > 0) {
      sb.append('&');
    }
    sb.append(enc(name)).append('=').append(enc(String.valueOf(value)));
    return this;
  }

  Buffer buffer() {
    return Buffer.buffer(sb.toString());
  }

  @Override
  public String toString() {
    return sb.toString();
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
