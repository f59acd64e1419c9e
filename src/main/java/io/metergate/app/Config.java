package io.metergate.app;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting, read once from environment variables at start-up and validated. Defaults work on a
 * fresh machine: local PostgreSQL if it answers, else an embedded one.
 */
public record Config(
    String host,
    int httpPort,
    int managementPort,
    Optional<String> databaseUrl,
    Optional<String> databaseUser,
    Optional<String> databasePassword,
    int poolSize,
    int poolWaitQueue,
    int eventLoops,
    int batchMaxEvents,
    long batchLingerMillis,
    int writerConcurrency,
    int writerQueueEvents,
    int bodyLimitBytes,
    Optional<String> sessionSecret,
    Optional<String> bootstrapKey,
    Path embeddedDataDir,
    int embeddedPort,
    long cacheTtlMillis,
    int dedupWindowSeconds,
    int shutdownGraceSeconds,
    int rateLimitEventsPerSecond,
    int rateLimitBurst,
    boolean accessLog,
    int databaseWaitSeconds,
    long keyCacheTtlMillis,
    int flushTimeoutMillis,
    int usageFoldIntervalMillis,
    int usageFoldChunkEvents,
    int webhookTimeoutMillis,
    int webhookConcurrency,
    int webhookFirstRetryMillis,
    int webhookRetryHours) {

  public static final String DEFAULT_BOOTSTRAP_KEY = "sk_test_metergate_dev";

  /** Every environment variable the gateway reads (deployment manifests are checked against it). */
  public static final java.util.List<String> ENV_NAMES = java.util.List.of(
      "METERGATE_ACCESS_LOG",
      "METERGATE_BATCH_LINGER_MS",
      "METERGATE_BATCH_MAX_EVENTS",
      "METERGATE_BODY_LIMIT_BYTES",
      "METERGATE_BOOTSTRAP_KEY",
      "METERGATE_DATABASE_PASSWORD",
      "METERGATE_DATABASE_URL",
      "METERGATE_DATABASE_USER",
      "METERGATE_DATABASE_WAIT_SECONDS",
      "METERGATE_DB_POOL_SIZE",
      "METERGATE_DB_POOL_WAIT_QUEUE",
      "METERGATE_DEDUP_WINDOW_SECONDS",
      "METERGATE_EMBEDDED_DATA_DIR",
      "METERGATE_EMBEDDED_PORT",
      "METERGATE_EVENT_LOOPS",
      "METERGATE_FLUSH_TIMEOUT_MS",
      "METERGATE_HOST",
      "METERGATE_KEY_CACHE_TTL_MS",
      "METERGATE_LOG_FORMAT",
      "METERGATE_LOG_LEVEL",
      "METERGATE_HTTP_PORT",
      "METERGATE_MANAGEMENT_PORT",
      "METERGATE_METER_CACHE_TTL_MS",
      "METERGATE_RATE_LIMIT_BURST",
      "METERGATE_RATE_LIMIT_EVENTS_PER_SECOND",
      "METERGATE_SESSION_SECRET",
      "METERGATE_SHUTDOWN_GRACE_SECONDS",
      "METERGATE_USAGE_FOLD_CHUNK_EVENTS",
      "METERGATE_USAGE_FOLD_INTERVAL_MS",
      "METERGATE_WEBHOOK_CONCURRENCY",
      "METERGATE_WEBHOOK_FIRST_RETRY_MS",
      "METERGATE_WEBHOOK_RETRY_HOURS",
      "METERGATE_WEBHOOK_TIMEOUT_MS",
      "METERGATE_WRITER_CONCURRENCY",
      "METERGATE_WRITER_QUEUE_EVENTS");

  public static Config fromEnv(Map<String, String> env) {
    Reader r = new Reader(env);
    int cores = Runtime.getRuntime().availableProcessors();
    int eventLoops = r.integer("METERGATE_EVENT_LOOPS", cores, 1, 256);
    int writerConcurrency = r.integer("METERGATE_WRITER_CONCURRENCY", 1, 1, 64);
    Optional<String> bootstrap = r.optional("METERGATE_BOOTSTRAP_KEY")
        .or(() -> Optional.of(DEFAULT_BOOTSTRAP_KEY))
        .filter(k -> !k.equalsIgnoreCase("off") && !k.isBlank());
    bootstrap.ifPresent(k -> {
      if (!k.matches("sk_(test|live)_[A-Za-z0-9_]{8,200}")) {
        throw new ConfigException("METERGATE_BOOTSTRAP_KEY must look like sk_test_... or sk_live_... (at least 8"
            + " letters, digits or underscores after the prefix), or be 'off'.");
      }
    });
    Config c = new Config(
        r.string("METERGATE_HOST", "0.0.0.0"),
        r.integer("METERGATE_HTTP_PORT", 8080, 0, 65535),
        r.integer("METERGATE_MANAGEMENT_PORT", 9090, 0, 65535),
        r.optional("METERGATE_DATABASE_URL"),
        r.optional("METERGATE_DATABASE_USER"),
        r.optional("METERGATE_DATABASE_PASSWORD"),
        // the writers' connections, plus room for meter lookups, the usage folder, reads and webhooks
        r.integer("METERGATE_DB_POOL_SIZE", eventLoops * writerConcurrency + 4, 1, 1000),
        r.integer("METERGATE_DB_POOL_WAIT_QUEUE", 1024, 1, 1_000_000),
        eventLoops,
        r.integer("METERGATE_BATCH_MAX_EVENTS", 2000, 100, 100_000),
        r.integer("METERGATE_BATCH_LINGER_MS", 0, 0, 1000),
        writerConcurrency,
        r.integer("METERGATE_WRITER_QUEUE_EVENTS", 20_000, 100, 10_000_000),
        r.integer("METERGATE_BODY_LIMIT_BYTES", 512 * 1024, 1024, 64 * 1024 * 1024),
        r.optional("METERGATE_SESSION_SECRET"),
        bootstrap,
        Path.of(r.string("METERGATE_EMBEDDED_DATA_DIR", ".metergate/postgres")),
        r.integer("METERGATE_EMBEDDED_PORT", 54329, 1, 65535),
        r.integer("METERGATE_METER_CACHE_TTL_MS", 2000, 0, 600_000),
        r.integer("METERGATE_DEDUP_WINDOW_SECONDS", 24 * 3600, 60, 30 * 24 * 3600),
        r.integer("METERGATE_SHUTDOWN_GRACE_SECONDS", 20, 0, 3600),
        r.integer("METERGATE_RATE_LIMIT_EVENTS_PER_SECOND", 0, 0, 100_000_000),
        r.integer("METERGATE_RATE_LIMIT_BURST", 0, 0, 100_000_000),
        r.bool("METERGATE_ACCESS_LOG", false),
        r.integer("METERGATE_DATABASE_WAIT_SECONDS", 0, 0, 3600),
        r.integer("METERGATE_KEY_CACHE_TTL_MS", 30_000, 0, 3_600_000),
        r.integer("METERGATE_FLUSH_TIMEOUT_MS", 30_000, 1_000, 60_000),
        r.integer("METERGATE_USAGE_FOLD_INTERVAL_MS", 100, 10, 60_000),
        r.integer("METERGATE_USAGE_FOLD_CHUNK_EVENTS", 50_000, 1_000, 10_000_000),
        r.integer("METERGATE_WEBHOOK_TIMEOUT_MS", 10_000, 100, 120_000),
        r.integer("METERGATE_WEBHOOK_CONCURRENCY", 8, 1, 256),
        r.integer("METERGATE_WEBHOOK_FIRST_RETRY_MS", 5_000, 10, 3_600_000),
        r.integer("METERGATE_WEBHOOK_RETRY_HOURS", 72, 1, 24 * 30));
    if (c.httpPort() != 0 && c.httpPort() == c.managementPort()) {
      throw new ConfigException("METERGATE_HTTP_PORT and METERGATE_MANAGEMENT_PORT must differ (both are "
          + c.httpPort() + ").");
    }
    return c;
  }

  private record Reader(Map<String, String> env) {
    Optional<String> optional(String name) {
      return Optional.ofNullable(env.get(name)).map(String::trim).filter(s -> !s.isEmpty());
    }

    String string(String name, String fallback) {
      return optional(name).orElse(fallback);
    }

    boolean bool(String name, boolean fallback) {
      Optional<String> raw = optional(name);
      if (raw.isEmpty()) {
        return fallback;
      }
      return switch (raw.get().toLowerCase(java.util.Locale.ROOT)) {
        case "true", "1", "yes", "on" -> true;
        case "false", "0", "no", "off" -> false;
        default -> throw new ConfigException(name + " must be true or false (got '" + raw.get() + "').");
      };
    }

    int integer(String name, int fallback, int min, int max) {
      Optional<String> raw = optional(name);
      if (raw.isEmpty()) {
        return fallback;
      }
      try {
        int v = Integer.parseInt(raw.get());
        if (v < min || v > max) {
          throw new NumberFormatException();
        }
        return v;
      } catch (NumberFormatException e) {
        throw new ConfigException(name + " must be a whole number from " + min + " to " + max + " (got '"
            + raw.get() + "').");
      }
    }
  }
}
