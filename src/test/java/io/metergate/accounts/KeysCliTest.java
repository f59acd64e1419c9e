package io.metergate.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import io.metergate.app.DatabaseTarget;
import io.metergate.testing.RawHttp;
import io.metergate.testing.TestGateway;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The keys subcommand: create, list and revoke keys that the gateway then honours")
class KeysCliTest {
  record Run(int exit, String out, String err) {}

  private static Run keys(DatabaseTarget db, String... args) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
        "io.metergate.app.Main", "keys"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("METERGATE_DATABASE_URL",
        "postgresql://" + db.user() + "@" + db.host() + ":" + db.port() + "/" + db.database());
    if (db.password() != null) {
      pb.environment().put("METERGATE_DATABASE_PASSWORD", db.password());
    }
    Process p = pb.start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim(),
        new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  @Test
  @DisplayName("a created live key works at once, is listed only by hint, and stops working when revoked")
  void lifecycle() throws Exception {
    try (TestGateway gateway = TestGateway.start(Map.of("METERGATE_KEY_CACHE_TTL_MS", "0"))) {
      Run created = keys(gateway.database(), "create", "--new-account", "--mode", "live");
      assertThat(created.exit()).as(created.err()).isZero();
      String key = created.out();
      assertThat(key).startsWith("sk_live_").hasSizeGreaterThan(30);

      RawHttp.Response list = RawHttp.get(gateway.baseUrl() + "/v1/billing/meters", "Bearer " + key);
      assertThat(list.status()).isEqualTo(200);

      Run listed = keys(gateway.database(), "list");
      assertThat(listed.exit()).isZero();
      assertThat(listed.out()).contains(ApiKeys.hint(key)).doesNotContain(key).contains("live").contains("active");

      Run revoked = keys(gateway.database(), "revoke", key);
      assertThat(revoked.exit()).as(revoked.err()).isZero();
      RawHttp.Response refused = RawHttp.get(gateway.baseUrl() + "/v1/billing/meters", "Bearer " + key);
      assertThat(refused.status()).isEqualTo(401);
      assertThat(refused.error().getString("code")).isEqualTo("api_key_invalid");

      assertThat(keys(gateway.database(), "revoke", key).exit()).isEqualTo(2);
      assertThat(RawHttp.get(gateway.baseUrl() + "/v1/billing/meters", "Bearer " + TestGateway.DEV_KEY).status())
          .as("other keys are untouched").isEqualTo(200);
    }
  }
}
