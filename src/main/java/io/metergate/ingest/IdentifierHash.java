package io.metergate.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/** The dedup key of an identifier: its 128-bit MD5, stored as a uuid (16 bytes instead of up to 100 characters). */
public final class IdentifierHash {
  private IdentifierHash() {}

  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code md5} is reused by the caller (not thread-safe). */
  public static UUID of(MessageDigest md5, String identifier) {
    byte[] d = md5.digest(identifier.getBytes(StandardCharsets.UTF_8));
    long hi = 0;
    long lo = 0;
    for (int i = 0; i < 8; i++) {
      hi = (hi << 8) | (d[i] & 0xff);
      lo = (lo << 8) | (d[i + 8] & 0xff);
    }
    return new UUID(hi, lo);
  }

  public static UUID of(String identifier) {
    return of(newDigest(), identifier);
  }
}
