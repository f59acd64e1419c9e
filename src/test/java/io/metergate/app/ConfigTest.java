package io.metergate.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Config")
class ConfigTest {

  @Test
  @DisplayName("an empty environment listens on 8080 with management on 9090")
  void defaultPorts() {
    Config c = Config.fromEnv(Map.of());

    assertThat(c.host()).isEqualTo("0.0.0.0");
    assertThat(c.httpPort()).isEqualTo(8080);
    assertThat(c.managementPort()).isEqualTo(9090);
  }

  @Test
  @DisplayName("an empty environment bootstraps the sk_test_metergate_dev key")
  void defaultBootstrapKey() {
    assertThat(Config.fromEnv(Map.of()).bootstrapKey()).contains("sk_test_metergate_dev");
    assertThat(Config.DEFAULT_BOOTSTRAP_KEY).isEqualTo("sk_test_metergate_dev");
  }

  @Test
  @DisplayName("an empty environment has no database URL or session secret and uses the embedded data dir")
  void defaultOptionals() {
    Config c = Config.fromEnv(Map.of());

    assertThat(c.databaseUrl()).isEmpty();
    assertThat(c.sessionSecret()).isEmpty();
    assertThat(c.embeddedDataDir()).isEqualTo(Path.of(".metergate/postgres"));
    assertThat(c.dedupWindowSeconds()).isEqualTo(24 * 3600);
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"off", "OFF", " Off "})
  @DisplayName("METERGATE_BOOTSTRAP_KEY=off disables the bootstrap key, in any case")
  void bootstrapOff(String value) {
    assertThat(Config.fromEnv(Map.of("METERGATE_BOOTSTRAP_KEY", value)).bootstrapKey()).isEmpty();
  }

  @Test
  @DisplayName("a well-formed METERGATE_BOOTSTRAP_KEY is used, trimmed")
  void customBootstrapKey() {
    Config c = Config.fromEnv(Map.of("METERGATE_BOOTSTRAP_KEY", " sk_live_abcdefgh12345678 "));

    assertThat(c.bootstrapKey()).isEqualTo(Optional.of("sk_live_abcdefgh12345678"));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"secret", "sk_test_short", "pk_test_abcdefgh12345", "sk_prod_abcdefgh12345",
      "sk_test_abc-defgh-1234"})
  @DisplayName("a malformed METERGATE_BOOTSTRAP_KEY is a ConfigException naming the variable")
  void badBootstrapKey(String value) {
    assertThatThrownBy(() -> Config.fromEnv(Map.of("METERGATE_BOOTSTRAP_KEY", value)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("METERGATE_BOOTSTRAP_KEY");
  }

  @Test
  @DisplayName("ports and other settings are read from the environment")
  void readsValues() {
    Config c = Config.fromEnv(Map.of(
        "METERGATE_HTTP_PORT", "18080",
        "METERGATE_MANAGEMENT_PORT", " 19090 ",
        "METERGATE_DATABASE_URL", "postgresql://db:5432/metergate",
        "METERGATE_SESSION_SECRET", "abc"));

    assertThat(c.httpPort()).isEqualTo(18080);
    assertThat(c.managementPort()).isEqualTo(19090);
    assertThat(c.databaseUrl()).contains("postgresql://db:5432/metergate");
    assertThat(c.sessionSecret()).contains("abc");
  }

  @Test
  @DisplayName("a blank setting counts as unset")
  void blankIsUnset() {
    Config c = Config.fromEnv(Map.of("METERGATE_HTTP_PORT", "  ", "METERGATE_DATABASE_URL", ""));

    assertThat(c.httpPort()).isEqualTo(8080);
    assertThat(c.databaseUrl()).isEmpty();
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"http", "80.5", "8080x", "0x50"})
  @DisplayName("a non-integer METERGATE_HTTP_PORT is a ConfigException naming the variable and the value")
  void nonIntegerPort(String value) {
    assertThatThrownBy(() -> Config.fromEnv(Map.of("METERGATE_HTTP_PORT", value)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("METERGATE_HTTP_PORT")
        .hasMessageContaining(value);
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"-1", "65536", "99999999999"})
  @DisplayName("an out-of-range METERGATE_MANAGEMENT_PORT is a ConfigException naming the variable and range")
  void outOfRangePort(String value) {
    assertThatThrownBy(() -> Config.fromEnv(Map.of("METERGATE_MANAGEMENT_PORT", value)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("METERGATE_MANAGEMENT_PORT")
        .hasMessageContaining("0 to 65535");
  }

  @Test
  @DisplayName("an out-of-range numeric tuning setting is a ConfigException naming that variable")
  void outOfRangeOther() {
    assertThatThrownBy(() -> Config.fromEnv(Map.of("METERGATE_BATCH_MAX_EVENTS", "10")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("METERGATE_BATCH_MAX_EVENTS");
  }

  @Test
  @DisplayName("the same API and management port is a ConfigException naming both variables")
  void equalPorts() {
    assertThatThrownBy(() -> Config.fromEnv(Map.of("METERGATE_HTTP_PORT", "9000", "METERGATE_MANAGEMENT_PORT", "9000")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("METERGATE_HTTP_PORT")
        .hasMessageContaining("METERGATE_MANAGEMENT_PORT");
  }

  @Test
  @DisplayName("an API port equal to the default management port is a ConfigException")
  void apiPortOnDefaultManagementPort() {
    assertThatThrownBy(() -> Config.fromEnv(Map.of("METERGATE_HTTP_PORT", "9090")))
        .isInstanceOf(ConfigException.class);
  }

  @Test
  @DisplayName("both ports 0 (pick any free port) is allowed")
  void bothEphemeral() {
    Config c = Config.fromEnv(Map.of("METERGATE_HTTP_PORT", "0", "METERGATE_MANAGEMENT_PORT", "0"));

    assertThat(c.httpPort()).isZero();
    assertThat(c.managementPort()).isZero();
  }

}
