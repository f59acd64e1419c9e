package io.metergate.http;

import io.metergate.common.Ids;
import io.vertx.ext.web.RoutingContext;

/** Every response carries a Request-Id, as Stripe's do (stripe-java echoes it in telemetry). */
public final class RequestIds {
  public static final String HEADER = "Request-Id";

  private RequestIds() {}

  public static void assign(RoutingContext ctx) {
    ctx.response().putHeader(HEADER, next());
    ctx.next();
  }

  public static String next() {
    return "req_" + Ids.random(14);
  }
}
