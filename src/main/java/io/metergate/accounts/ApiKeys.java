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

  /**
   * What may appear in logs and error messages: a known prefix and the last four characters, and
   * nothing at all of a credential that does not look like one of ours.
   */
  public static String hint(String key) {
    if (key == null) {
      return "****";
    }
    for (String prefix : new String[] {"sk_test_", "sk_live_", "ekt_test_", "ekt_live_"}) {
      if (key.startsWith(prefix) && key.length() >= prefix.length() + 12) {
        return prefix + "****" + key.substring(key.length() - 4);
      }
    }
    return "****";
  }
}
