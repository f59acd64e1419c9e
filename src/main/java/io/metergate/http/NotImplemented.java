package io.metergate.http;

import io.metergate.common.ApiError;
import io.vertx.ext.web.Router;

/**
 * Stripe routes this version does not serve yet answer 501 with a clear message rather than a
 * generic 404, so a client knows the gateway is not the right tool for them today.
 */
public final class NotImplemented {
  private static final String[][] ROUTES = {
      {"/v1/test_helpers/test_clocks*", "Test clocks"},
      {"/v1/credit_notes*", "Credit notes"},
      {"/v1/subscription_items*", "Subscription items"},
  };

  private NotImplemented() {}

  public static void mount(Router router) {
    for (String[] route : ROUTES) {
      String what = route[1];
      router.route(route[0]).handler(ctx -> ctx.fail(ApiError.notImplemented(what)));
    }
  }
}
