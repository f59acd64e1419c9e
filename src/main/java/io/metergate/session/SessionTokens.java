package io.metergate.session;

import io.metergate.common.Ids;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Meter event session tokens that any replica sharing the signing secret verifies without a
 * database round trip: {@code ekt_<mode>_<base64url(claims)>.<base64url(hmac-sha256)>}.
 * Claims: version, account id, livemode, expiry (epoch milliseconds) and the session id's random part.
 */
public final class SessionTokens {
  public static final Duration LIFETIME = Duration.ofMinutes(15);
  private static final byte VERSION = 1;
  private static final int CLAIMS_LENGTH = 1 + 8 + 1 + 8 + 12;
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();

  private final SecretKeySpec key;
  private final ThreadLocal<Mac> macs;

  public record Session(String id, String token, long accountId, boolean livemode, Instant created, Instant expiresAt) {}

  public record Claims(long accountId, boolean livemode, Instant expiresAt) {}

  public sealed interface Verification permits Valid, Expired, Invalid {}
  public record Valid(Claims claims) implements Verification {}
  public record Expired(Claims claims) implements Verification {}
  public record Invalid(String reason) implements Verification {}

  public SessionTokens(byte[] secret) {
    if (secret.length < 32) {
      throw new IllegalArgumentException("the session signing secret must be at least 32 bytes");
    }
    this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
    this.macs = ThreadLocal.withInitial(this::newMac);
  }

  public Session issue(long accountId, boolean livemode, Instant now) {
    Instant created = now.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    return issue(accountId, livemode, created, created.plus(LIFETIME));
  }

  /** Issues a token with an explicit expiry; tests use it to make already-expired tokens. */
  public Session issue(long accountId, boolean livemode, Instant created, Instant expiresAt) {
    byte[] random = Ids.randomBytes(12);
    ByteBuffer claims = ByteBuffer.allocate(CLAIMS_LENGTH)
        .put(VERSION).putLong(accountId).put((byte) (livemode ? 1 : 0))
        .putLong(expiresAt.toEpochMilli()).put(random);
    String body = B64.encodeToString(claims.array());
    String token = prefix(livemode) + body + "." + B64.encodeToString(sign(body));
    String id = "mes_" + (livemode ? "" : "test_") + B64.encodeToString(random);
    return new Session(id, token, accountId, livemode, created, expiresAt);
  }

  public Verification verify(String token, Instant now) {
    if (token == null) {
      return new Invalid("missing");
    }
    boolean livemode;
    if (token.startsWith("ekt_test_")) {
      livemode = false;
    } else if (token.startsWith("ekt_live_")) {
      livemode = true;
    } else {
      return new Invalid("not a session token");
    }
    int dot = token.indexOf('.');
    if (dot < 0 || token.length() > 200) {
      return new Invalid("malformed");
    }
    String body = token.substring(9, dot);
    byte[] claims;
    try {
      claims = B64D.decode(body);
    } catch (IllegalArgumentException e) {
      return new Invalid("malformed");
    }
    // compare the canonical encoding, not decoded bytes: the decoder ignores a final character's spare bits
    byte[] expected = B64.encodeToString(sign(body)).getBytes(StandardCharsets.US_ASCII);
    byte[] given = token.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, given) || claims.length != CLAIMS_LENGTH
        || !B64.encodeToString(claims).equals(body)) {
      return new Invalid("bad signature");
    }
    ByteBuffer buf = ByteBuffer.wrap(claims);
    if (buf.get() != VERSION) {
      return new Invalid("unknown version");
    }
    long accountId = buf.getLong();
    boolean claimedLive = buf.get() == 1;
    Instant expiresAt = Instant.ofEpochMilli(buf.getLong());
    if (claimedLive != livemode) {
      return new Invalid("mode mismatch");
    }
    Claims c = new Claims(accountId, livemode, expiresAt);
    return now.isBefore(expiresAt) ? new Valid(c) : new Expired(c);
  }

  private static String prefix(boolean livemode) {
    return livemode ? "ekt_live_" : "ekt_test_";
  }

  private byte[] sign(String body) {
    Mac mac = macs.get();
    mac.reset();
    return mac.doFinal(body.getBytes(StandardCharsets.US_ASCII));
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Decodes a configured secret: hex, base64 or base64url, at least 32 bytes. */
  public static byte[] decodeSecret(String text) {
    String t = text.trim();
    byte[] bytes;
    if (t.matches("[0-9a-fA-F]+") && t.length() % 2 == 0) {
      bytes = java.util.HexFormat.of().parseHex(t);
    } else if (t.matches("[A-Za-z0-9+/]+={0,2}")) {
      bytes = Base64.getDecoder().decode(t);
    } else if (t.matches("[A-Za-z0-9_-]+={0,2}")) {
      bytes = Base64.getUrlDecoder().decode(t);
    } else {
      throw new IllegalArgumentException("must be hex, base64 or base64url encoded");
    }
    if (bytes.length < 32) {
      throw new IllegalArgumentException("must be at least 32 bytes (64 hex characters)");
    }
    return Arrays.copyOf(bytes, bytes.length);
  }
}
