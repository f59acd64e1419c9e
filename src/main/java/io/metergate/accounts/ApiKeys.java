package io.metergate.accounts;

import io.metergate.common.Ids;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.regex.Pattern;

/** Secret API keys: {@code sk_test_...} or {@code sk_live_...}, stored only as SHA-256 digests. */
public final class ApiKeys {
  private static final Pattern FORMAT = Pattern.compile("sk_(test|live)_[A-Za-z0-9_]{8,200}");

  private ApiKeys() {}

  public static boolean wellFormed(String key) {
    return key != null && FORMAT.matcher(key).matches();
  }

  public static boolean livemode(String key) {
    return key.startsWith("sk_live_");
  }

  public static String generate(boolean livemode) {
    return (livemode ? "sk_live_" : "sk_test_") + Ids.random(32);
  }

  /** Random 190-bit keys need no slow password hash; a digest keeps the database from holding keys. */
  public static byte[] hash(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What may appear in logs and error messages: the prefix and the last four characters. */
  public static String hint(String key) {
    if (key == null || key.length() < 12) {
      return "****";
    }
    return key.substring(0, 8) + "****" + key.substring(key.length() - 4);
  }
}
