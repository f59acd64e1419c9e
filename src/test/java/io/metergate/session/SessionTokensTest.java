package io.metergate.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.metergate.session.SessionTokens.Expired;
import io.metergate.session.SessionTokens.Invalid;
import io.metergate.session.SessionTokens.Session;
import io.metergate.session.SessionTokens.Valid;
import io.metergate.session.SessionTokens.Verification;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("SessionTokens")
class SessionTokensTest {
  private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] OTHER_SECRET = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII);
  private static final Instant NOW = Instant.parse("2024-06-01T12:00:00Z");

  private final SessionTokens tokens = new SessionTokens(SECRET);

  @Test
  @DisplayName("a freshly issued test-mode token verifies as Valid for the same account and mode")
  void issueThenVerifyTest() {
    Session s = tokens.issue(42L, false, NOW);

    Verification v = tokens.verify(s.token(), NOW.plusSeconds(60));

    assertThat(v).isInstanceOf(Valid.class);
    SessionTokens.Claims claims = ((Valid) v).claims();
    assertThat(claims.accountId()).isEqualTo(42L);
    assertThat(claims.livemode()).isFalse();
    assertThat(claims.expiresAt()).isEqualTo(s.expiresAt());
  }

  @Test
  @DisplayName("a freshly issued live-mode token verifies as Valid in live mode")
  void issueThenVerifyLive() {
    Session s = tokens.issue(7L, true, NOW);

    Verification v = tokens.verify(s.token(), NOW);

    assertThat(v).isInstanceOf(Valid.class);
    assertThat(((Valid) v).claims().accountId()).isEqualTo(7L);
    assertThat(((Valid) v).claims().livemode()).isTrue();
  }

  @Test
  @DisplayName("another instance sharing the secret verifies the token (no shared state needed)")
  void otherReplicaVerifies() {
    Session s = tokens.issue(42L, false, NOW);

    assertThat(new SessionTokens(SECRET.clone()).verify(s.token(), NOW)).isInstanceOf(Valid.class);
  }

  @Test
  @DisplayName("the token prefix is ekt_test_ in test mode and ekt_live_ in live mode")
  void prefixByMode() {
    assertThat(tokens.issue(1L, false, NOW).token()).startsWith("ekt_test_");
    assertThat(tokens.issue(1L, true, NOW).token()).startsWith("ekt_live_");
  }

  @Test
  @DisplayName("the session id is mes_test_... in test mode and mes_... in live mode")
  void sessionIdByMode() {
    assertThat(tokens.issue(1L, false, NOW).id()).startsWith("mes_test_");
    assertThat(tokens.issue(1L, true, NOW).id()).startsWith("mes_").doesNotStartWith("mes_test_");
  }

  @Test
  @DisplayName("two sessions issued at the same instant get different ids and tokens")
  void unique() {
    Session a = tokens.issue(1L, false, NOW);
    Session b = tokens.issue(1L, false, NOW);

    assertThat(a.id()).isNotEqualTo(b.id());
    assertThat(a.token()).isNotEqualTo(b.token());
  }

  @Test
  @DisplayName("expires_at is created plus 15 minutes")
  void lifetime() {
    Session s = tokens.issue(1L, false, NOW);

    assertThat(s.created()).isEqualTo(NOW);
    assertThat(s.expiresAt()).isEqualTo(NOW.plus(Duration.ofMinutes(15)));
    assertThat(SessionTokens.LIFETIME).isEqualTo(Duration.ofMinutes(15));
  }

  @Test
  @DisplayName("created is truncated to milliseconds")
  void createdTruncatedToMillis() {
    Session s = tokens.issue(1L, false, NOW.plusNanos(1_234_567));

    assertThat(s.created()).isEqualTo(NOW.plusMillis(1));
  }

  @Test
  @DisplayName("a token whose expiry has passed verifies as Expired, still naming the account")
  void expired() {
    Instant created = NOW.minus(Duration.ofMinutes(30));
    Session s = tokens.issue(42L, false, created, created.plus(Duration.ofMinutes(15)));

    Verification v = tokens.verify(s.token(), NOW);

    assertThat(v).isInstanceOf(Expired.class);
    assertThat(((Expired) v).claims().accountId()).isEqualTo(42L);
  }

  @Test
  @DisplayName("a token is Expired at the exact second it expires")
  void expiredAtBoundary() {
    Session s = tokens.issue(1L, false, NOW);

    assertThat(tokens.verify(s.token(), s.expiresAt().minusMillis(1))).isInstanceOf(Valid.class);
    assertThat(tokens.verify(s.token(), s.expiresAt())).isInstanceOf(Expired.class);
  }

  @Test
  @DisplayName("a token signed with a different secret is Invalid")
  void otherSecret() {
    Session s = new SessionTokens(OTHER_SECRET).issue(42L, false, NOW);

    assertThat(tokens.verify(s.token(), NOW)).isInstanceOf(Invalid.class);
  }

  @Test
  @DisplayName("a token with a tampered claims part is Invalid")
  void tamperedClaims() {
    String token = tokens.issue(42L, false, NOW).token();
    int i = 15;
    char flipped = token.charAt(i) == 'A' ? 'B' : 'A';
    String tampered = token.substring(0, i) + flipped + token.substring(i + 1);

    assertThat(tokens.verify(tampered, NOW)).isInstanceOf(Invalid.class);
  }

  @Test
  @DisplayName("claims forged for another account with the signature of a real token are Invalid")
  void swappedClaims() {
    String mine = tokens.issue(1L, false, NOW).token();
    String theirs = tokens.issue(2L, false, NOW).token();
    String forged = theirs.substring(0, theirs.indexOf('.')) + mine.substring(mine.indexOf('.'));

    assertThat(tokens.verify(forged, NOW)).isInstanceOf(Invalid.class);
  }

  @Test
  @DisplayName("a test-mode token relabelled ekt_live_ is Invalid")
  void testRelabelledLive() {
    String token = tokens.issue(42L, false, NOW).token();

    assertThat(tokens.verify("ekt_live_" + token.substring("ekt_test_".length()), NOW)).isInstanceOf(Invalid.class);
  }

  @Test
  @DisplayName("a live-mode token relabelled ekt_test_ is Invalid")
  void liveRelabelledTest() {
    String token = tokens.issue(42L, true, NOW).token();

    assertThat(tokens.verify("ekt_test_" + token.substring("ekt_live_".length()), NOW)).isInstanceOf(Invalid.class);
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"sk_test_x", "garbage", "", "ekt_test_", "ekt_test_nodot", "ekt_test_!!!.???",
      "ekt_test_AAAA.AAAA", "ekt_other_abc.def"})
  @DisplayName("secret keys, garbage and malformed tokens are Invalid")
  void garbage(String token) {
    assertThat(tokens.verify(token, NOW)).isInstanceOf(Invalid.class);
  }

  @Test
  @DisplayName("a missing token is Invalid")
  void nullToken() {
    assertThat(tokens.verify(null, NOW)).isInstanceOf(Invalid.class);
  }

  @Test
  @DisplayName("an overlong token is Invalid")
  void overlong() {
    String token = tokens.issue(1L, false, NOW).token();

    assertThat(tokens.verify(token + "A".repeat(200), NOW)).isInstanceOf(Invalid.class);
  }

  @Test
  @DisplayName("a signing secret shorter than 32 bytes is rejected")
  void shortSecret() {
    assertThatThrownBy(() -> new SessionTokens(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32 bytes");
  }

  @Test
  @DisplayName("changing the caller's secret array afterwards does not change the signing key")
  void secretCopied() {
    byte[] secret = SECRET.clone();
    SessionTokens t = new SessionTokens(secret);
    Session s = t.issue(1L, false, NOW);
    Arrays.fill(secret, (byte) 0);

    assertThat(t.verify(s.token(), NOW)).isInstanceOf(Valid.class);
  }

  @Test
  @DisplayName("decodeSecret reads 64 hex characters as 32 bytes")
  void decodeHex() {
    byte[] raw = new byte[32];
    for (int i = 0; i < raw.length; i++) {
      raw[i] = (byte) (i * 7 + 3);
    }
    String hex = HexFormat.of().formatHex(raw);

    assertThat(hex).hasSize(64);
    assertThat(SessionTokens.decodeSecret(hex)).isEqualTo(raw);
    assertThat(SessionTokens.decodeSecret("  " + hex.toUpperCase() + "\n")).isEqualTo(raw);
  }

  @Test
  @DisplayName("decodeSecret reads base64 of 32 bytes")
  void decodeBase64() {
    byte[] raw = new byte[32];
    for (int i = 0; i < raw.length; i++) {
      raw[i] = (byte) (255 - i * 5);
    }

    assertThat(SessionTokens.decodeSecret(Base64.getEncoder().encodeToString(raw))).isEqualTo(raw);
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"abcd", "too-short-secret",
      "00112233445566778899aabbccddeeff00112233445566778899aabbccddee"})
  @DisplayName("decodeSecret rejects input that yields fewer than 32 bytes")
  void decodeShort(String text) {
    assertThatThrownBy(() -> SessionTokens.decodeSecret(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("decodeSecret rejects base64 of only 31 bytes")
  void decodeShortBase64() {
    String b64 = Base64.getEncoder().encodeToString(new byte[31]);

    assertThatThrownBy(() -> SessionTokens.decodeSecret(b64)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("changing the signature's last character is refused, even where base64 would decode it the same")
  void signatureComparedAsText() {
    String token = tokens.issue(42L, false, NOW).token();
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    char last = token.charAt(token.length() - 1);
    char neighbour = alphabet.charAt(alphabet.indexOf(last) ^ 1);
    String altered = token.substring(0, token.length() - 1) + neighbour;

    assertThat(tokens.verify(altered, NOW)).isInstanceOf(SessionTokens.Invalid.class);
  }

  @Test
  @DisplayName("a token stays valid until the millisecond of its advertised expires_at")
  void validUntilAdvertisedMillisecond() {
    Session s = tokens.issue(42L, false, NOW.plusMillis(500));

    assertThat(tokens.verify(s.token(), s.expiresAt().minusMillis(1))).isInstanceOf(Valid.class);
    assertThat(tokens.verify(s.token(), s.expiresAt())).isInstanceOf(SessionTokens.Expired.class);
  }

  @Test
  @DisplayName("a configured secret that is not hex or base64 is refused rather than used as raw text")
  void secretMustBeEncoded() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> SessionTokens.decodeSecret("this is not an encoded secret, just a long sentence"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(SessionTokens.decodeSecret(java.util.Base64.getUrlEncoder().encodeToString(new byte[] {
        -1, -2, -3, -4, -5, -6, -7, -8, -9, -10, -11, -12, -13, -14, -15, -16,
        -17, -18, -19, -20, -21, -22, -23, -24, -25, -26, -27, -28, -29, -30, -31, -32}))).hasSize(32);
  }
}
