package io.metergate.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("ApiKeys")
class ApiKeysTest {

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"sk_test_metergate_dev", "sk_live_abcdefgh", "sk_test_ABCdef0123456789_xyz"})
  @DisplayName("sk_test_ and sk_live_ keys with 8 or more letters, digits or underscores are well formed")
  void wellFormed(String key) {
    assertThat(ApiKeys.wellFormed(key)).isTrue();
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"", "sk_test_", "sk_test_abcdefg", "pk_test_abcdefgh", "rk_live_abcdefgh",
      "sk_prod_abcdefgh", "SK_TEST_abcdefgh", "sk_test_abcd-efgh", "sk_test_abcdefgh ", " sk_test_abcdefgh",
      "ekt_test_abcdefgh.signature"})
  @DisplayName("other strings are not well formed")
  void notWellFormed(String key) {
    assertThat(ApiKeys.wellFormed(key)).isFalse();
  }

  @Test
  @DisplayName("null is not well formed")
  void nullNotWellFormed() {
    assertThat(ApiKeys.wellFormed(null)).isFalse();
  }

  @Test
  @DisplayName("a key longer than 200 characters after the prefix is not well formed")
  void tooLong() {
    assertThat(ApiKeys.wellFormed("sk_test_" + "a".repeat(200))).isTrue();
    assertThat(ApiKeys.wellFormed("sk_test_" + "a".repeat(201))).isFalse();
  }

  @Test
  @DisplayName("livemode is true only for sk_live_ keys")
  void livemode() {
    assertThat(ApiKeys.livemode("sk_live_abcdefgh")).isTrue();
    assertThat(ApiKeys.livemode("sk_test_abcdefgh")).isFalse();
  }

  @Test
  @DisplayName("generated keys are well formed with the prefix of their mode")
  void generateFormat() {
    String test = ApiKeys.generate(false);
    String live = ApiKeys.generate(true);

    assertThat(test).matches("sk_test_[0-9A-Za-z]{32}");
    assertThat(live).matches("sk_live_[0-9A-Za-z]{32}");
    assertThat(ApiKeys.wellFormed(test)).isTrue();
    assertThat(ApiKeys.livemode(test)).isFalse();
    assertThat(ApiKeys.livemode(live)).isTrue();
  }

  @Test
  @DisplayName("generated keys are unique")
  void generateUnique() {
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      keys.add(ApiKeys.generate(false));
    }

    assertThat(keys).hasSize(1000);
  }

  @Test
  @DisplayName("the hash is a 32-byte SHA-256 digest, the same for the same key")
  void hashDeterministic() {
    byte[] a = ApiKeys.hash("sk_test_metergate_dev");

    assertThat(a).hasSize(32);
    assertThat(ApiKeys.hash("sk_test_metergate_dev")).isEqualTo(a);
  }

  @Test
  @DisplayName("the hash matches the well-known SHA-256 digest of the key's UTF-8 bytes")
  void hashIsSha256() {
    assertThat(java.util.HexFormat.of().formatHex(ApiKeys.hash("abc")))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  @DisplayName("different keys hash differently")
  void hashDiffers() {
    assertThat(ApiKeys.hash("sk_test_aaaaaaaa")).isNotEqualTo(ApiKeys.hash("sk_test_aaaaaaab"));
  }

  @Test
  @DisplayName("the hint shows the prefix and last four characters only")
  void hintShape() {
    assertThat(ApiKeys.hint("sk_test_4eC39HqLyjWDarjtT1zdp7dc")).isEqualTo("sk_test_****p7dc");
  }

  @Test
  @DisplayName("the hint of a generated key never reveals its secret part beyond the last four characters")
  void hintOfGenerated() {
    for (int i = 0; i < 100; i++) {
      String key = ApiKeys.generate(i % 2 == 0);
      String secret = key.substring("sk_test_".length());

      String hint = ApiKeys.hint(key);

      assertThat(hint).isEqualTo(key.substring(0, 8) + "****" + secret.substring(secret.length() - 4));
      assertThat(hint).doesNotContain(secret.substring(0, secret.length() - 4));
    }
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"", "sk_test_", "sk_test_abc"})
  @DisplayName("the hint of a short string reveals nothing")
  void hintShort(String key) {
    assertThat(ApiKeys.hint(key)).isEqualTo("****");
  }

  @Test
  @DisplayName("the hint of null reveals nothing")
  void hintNull() {
    assertThat(ApiKeys.hint(null)).isEqualTo("****");
  }

  @Test
  @DisplayName("a credential that is not one of ours is masked entirely in hints")
  void hintMasksForeignCredentials() {
    assertThat(ApiKeys.hint("hunter2hunte")).isEqualTo("****");
    assertThat(ApiKeys.hint("password12345")).isEqualTo("****");
  }
}
