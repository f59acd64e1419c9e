package io.metergate.http;

import io.metergate.accounts.Principal;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One line per request (METERGATE_ACCESS_LOG=true), with the request id, route, status, duration
 * and account in the MDC so the JSON log format carries them as fields. Never headers or bodies:
 * keys and tokens stay out of logs.
 */
final class AccessLog {
  private static final Logger LOG = LoggerFactory.getLogger("metergate.access");

  private AccessLog() {}

  static void handle(RoutingContext ctx) {
    long started = System.nanoTime();
    ctx.addEndHandler(ar -> {
      String method = ctx.request().method().name();
      String path = ctx.request().path();
      int status = ctx.response().getStatusCode();
      long millis = (System.nanoTime() - started) / 1_000_000;
      Principal who = ctx.get(Http.PRINCIPAL);
      try {
        MDC.put("request_id", ctx.response().headers().get(RequestIds.HEADER));
        MDC.put("method", method);
        MDC.put("path", path);
        MDC.put("status", Integer.toString(status));
        MDC.put("duration_ms", Long.toString(millis));
        if (who != null) {
          MDC.put("account", Long.toString(who.accountId()));
          MDC.put("livemode", Boolean.toString(who.livemode()));
        }
        LOG.info("{} {} {} {} ms", method, path, status, millis);
      } finally {
        MDC.clear();
      }
    });
    ctx.next();
  }
}
