package io.metergate.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * What "the same parameters" means for an idempotent retry: method, path and body. Form bodies are
 * compared as a sorted set of pairs, because stripe-java serialises parameters from a HashMap and
 * their order is not stable; JSON bodies as sent.
 */
public final class Fingerprint {
  private Fingerprint() {}

  public static byte[] of(String method, String path, String contentType, String body) {
    String canonical = body == null ? "" : body;
    if (contentType != null && contentType.startsWith("application/x-www-form-urlencoded")) {
      String[] pairs = canonical.split("&");
      Arrays.sort(pairs);
      canonical = String.join("&", pairs);
    }
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update((method + "\n" + path + "\n").getBytes(StandardCharsets.UTF_8));
      return sha.digest(canonical.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
