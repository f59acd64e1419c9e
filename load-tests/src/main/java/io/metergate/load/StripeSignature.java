package io.metergate.load;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a {@code Stripe-Signature} header as Stripe's libraries do: {@code t=<unix seconds>} and one
 * or more {@code v1=<hex HMAC-SHA256>} of {@code "<t>." + body}, keyed with the whole endpoint secret,
 * and a timestamp within the tolerance. No Stripe dependency.
 */
final class StripeSignature {
  enum Result { OK, BAD_FORMAT, BAD_SIGNATURE, STALE_TIMESTAMP }

  private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

  private StripeSignature() {}

  static Result verify(String header, byte[] body, String secret, long nowSeconds, long toleranceSeconds) {
    if (header == null || header.isEmpty()) {
      return Result.BAD_FORMAT;
    }
    Long t = null;
    List<String> v1 = new ArrayList<>();
    for (String part : header.split(",")) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        return Result.BAD_FORMAT;
      }
      String key = part.substring(0, eq).trim();
      String value = part.substring(eq + 1).trim();
      if (key.equals("t")) {
        if (t != null || !value.matches("[0-9]{1,18}")) {
          return Result.BAD_FORMAT;
        }
        t = Long.parseLong(value);
      } else if (key.equals("v1")) {
        if (!HEX64.matcher(value).matches()) {
          return Result.BAD_FORMAT;
        }
        v1.add(value);
      }
    }
    if (t == null || v1.isEmpty()) {
      return Result.BAD_FORMAT;
    }
    byte[] expected = HexFormat.of().formatHex(hmac(secret, t, body)).getBytes(StandardCharsets.US_ASCII);
    boolean match = false;
    for (String candidate : v1) {
      match |= MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.US_ASCII));
    }
    if (!match) {
      return Result.BAD_SIGNATURE;
    }
    return Math.abs(nowSeconds - t) > toleranceSeconds ? Result.STALE_TIMESTAMP : Result.OK;
  }

  static byte[] hmac(String secret, long t, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
