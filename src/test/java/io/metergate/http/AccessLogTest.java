package io.metergate.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.metergate.testing.RawHttp;
import io.metergate.testing.TestGateway;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

@DisplayName("Access log (METERGATE_ACCESS_LOG): one line per request with its request id, never its key")
class AccessLogTest {
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private final Logger access = (Logger) LoggerFactory.getLogger("metergate.access");

  @BeforeEach
  void capture() {
    lines.start();
    access.addAppender(lines);
  }

  @AfterEach
  void release() {
    access.detachAppender(lines);
  }

  @Test
  @DisplayName("when on, each request is logged with the Request-Id it was answered with, status, path and account")
  void logsRequests() {
    try (TestGateway gateway = TestGateway.start(Map.of("METERGATE_ACCESS_LOG", "true"))) {
      RawHttp.Response ok = RawHttp.get(gateway.baseUrl() + "/v1/billing/meters", "Bearer " + TestGateway.DEV_KEY);
      RawHttp.Response denied = RawHttp.get(gateway.baseUrl() + "/v1/billing/meters", "Bearer sk_test_wrongwrongwrong");

      // the line is written when the response ends, which may be just after the client has it
      long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
      while (lines.list.size() < 2 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      List<ILoggingEvent> events = List.copyOf(lines.list);
      assertThat(events).hasSize(2);
      Map<String, String> first = events.get(0).getMDCPropertyMap();
      assertThat(first).containsEntry("request_id", ok.headers().firstValue("Request-Id").orElseThrow())
          .containsEntry("status", "200").containsEntry("method", "GET")
          .containsEntry("path", "/v1/billing/meters").containsKey("account").containsKey("duration_ms");
      assertThat(events.get(1).getMDCPropertyMap())
          .containsEntry("request_id", denied.headers().firstValue("Request-Id").orElseThrow())
          .containsEntry("status", "401").doesNotContainKey("account");
      for (ILoggingEvent e : events) {
        assertThat(e.getFormattedMessage() + e.getMDCPropertyMap()).doesNotContain("sk_test_");
      }
    }
  }

  @Test
  @DisplayName("by default nothing is logged per request")
  void offByDefault() {
    try (TestGateway gateway = TestGateway.start()) {
      RawHttp.get(gateway.baseUrl() + "/v1/billing/meters", "Bearer " + TestGateway.DEV_KEY);
      assertThat(lines.list).isEmpty();
    }
  }
}
