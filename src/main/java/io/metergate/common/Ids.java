package io.metergate.common;

import java.security.SecureRandom;

/** Public identifiers and secrets: a Stripe-style prefix followed by random base62 characters. */
public final class Ids {
  private static final char[] ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private Ids() {}

  public static String newId(String prefix) {
    return prefix + random(24);
  }

  public static String random(int length) {
    byte[] bytes = new byte[length];
    RANDOM.nextBytes(bytes);
    StringBuilder sb = new StringBuilder(length);
    for (byte b : bytes) {
      sb.append(ALPHABET[(b & 0xff) % ALPHABET.length]);
    }
    return sb.toString();
  }

  public static byte[] randomBytes(int length) {
    byte[] bytes = new byte[length];
    RANDOM.nextBytes(bytes);
    return bytes;
  }
}
