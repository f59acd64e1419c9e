package io.metergate.http;

import io.metergate.common.ApiError;
import io.vertx.ext.web.Router;

/**
 * Stripe routes this version does not serve yet answer 501 with a clear message rather than a
 * generic 404, so a client knows the gateway is not the right tool for them today.
 */
public final class NotImplemented {
  private static final String[][] ROUTES = {
      {"/v1/billing/credit_grants*", "Billing credit grants"},
      {"/v1/billing/credit_balance_summary", "The billing credit balance summary"},
      {"/v1/billing/credit_balance_transactions*", "Billing credit balance transactions"},
      {"/v1/customers*", "Customers"},
      {"/v1/invoices*", "Invoices"},
      {"/v1/invoiceitems*", "Invoice items"},
      {"/v1/products*", "Products"},
      {"/v1/prices*", "Prices"},
      {"/v1/subscriptions*", "Subscriptions"},
  };

  private NotImplemented() {}

  public static void mount(Router router) {
    for (String[] route : ROUTES) {
      String what = route[1];
      router.route(route[0]).handler(ctx -> ctx.fail(ApiError.notImplemented(what)));
    }
  }
}
