package io.metergate.testing;

import io.metergate.app.DatabaseTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** The gateway as a child JVM, so tests can send it real signals (SIGTERM, SIGKILL). */
public final class GatewayProcess {
  private final DatabaseTarget db;
  private final int apiPort = TestGateway.freePort();
  private final int managementPort = TestGateway.freePort();
  private final Path log;
  private final Map<String, String> extraEnv;
  private Process process;

  public GatewayProcess(DatabaseTarget db, Map<String, String> extraEnv) throws Exception {
    this.db = db;
    this.extraEnv = extraEnv;
    this.log = Files.createTempFile("metergate-process", ".log");
  }

  public GatewayProcess start() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "io.metergate.app.Main")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Map<String, String> env = pb.environment();
    env.put("METERGATE_DATABASE_URL", "postgresql://" + db.host() + ":" + db.port() + "/" + db.database());
    env.put("METERGATE_DATABASE_USER", db.user());
    if (db.password() != null) {
      env.put("METERGATE_DATABASE_PASSWORD", db.password());
    }
    env.put("METERGATE_HOST", "127.0.0.1");
    env.put("METERGATE_HTTP_PORT", Integer.toString(apiPort));
    env.put("METERGATE_MANAGEMENT_PORT", Integer.toString(managementPort));
    env.putAll(extraEnv);
    process = pb.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("gateway exited during start-up:\n" + log());
      }
      try {
        if (RawHttp.get(managementUrl() + "/health/ready", null).status() == 200) {
          return this;
        }
      } catch (IllegalStateException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("gateway not ready within 60 s:\n" + log());
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + apiPort;
  }

  public String managementUrl() {
    return "http://127.0.0.1:" + managementPort;
  }

  public Process process() {
    return process;
  }

  public String log() {
    try {
      return Files.readString(log);
    } catch (Exception e) {
      return "(no log: " + e + ")";
    }
  }

  public void kill() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly().waitFor();
    }
  }

  public void deleteLog() {
    log.toFile().delete();
  }
}
