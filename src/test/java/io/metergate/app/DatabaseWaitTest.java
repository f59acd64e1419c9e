package io.metergate.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.metergate.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

@DisplayName("Start-up wait for the configured database (METERGATE_DATABASE_WAIT_SECONDS)")
class DatabaseWaitTest {
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private final Logger log = (Logger) LoggerFactory.getLogger(Database.class);

  @BeforeEach
  void capture() {
    lines.start();
    log.addAppender(lines);
  }

  @AfterEach
  void release() {
    log.detachAppender(lines);
  }

  private long waits() {
    return lines.list.stream().filter(e -> e.getFormattedMessage().startsWith("Waiting for the database")).count();
  }

  @Test
  @DisplayName("a database that refuses connections is retried for the wait, then a clear error says how long it waited")
  void retriesWhileRefused() {
    DatabaseTarget nowhere = new DatabaseTarget("127.0.0.1", TestGateway.freePort(), "metergate", "postgres", null,
        "configured", null);
    assertThatThrownBy(() -> Database.awaitConfigured(nowhere, 1))
        .isInstanceOf(ConfigException.class).hasMessageContaining("waited 1 s");
    assertThat(waits()).isGreaterThanOrEqualTo(2);
  }

  @Test
  @DisplayName("without a wait, or for a failure that cannot pass (no such database), it stops at once")
  void permanentFailuresDoNotWait() {
    DatabaseTarget missing = new DatabaseTarget("127.0.0.1", 5432, "no_such_database_here", "postgres", null,
        "configured", null);
    assertThatThrownBy(() -> Database.awaitConfigured(missing, 30))
        .isInstanceOf(ConfigException.class).hasMessageContaining("no_such_database_here")
        .hasMessageNotContaining("waited");
    assertThat(waits()).isZero();
  }
}
