package io.metergate.testing;

import io.metergate.accounts.ApiKeys;
import io.metergate.common.Ids;

/**
 * Rows of the billing ledger that other features' APIs will create, written with SQL for tests of
 * customers and credits: products and prices, invoices.
 */
public final class BillingRows {
  private BillingRows() {}

  /** A recurring price in {@code currency} under a new product; metered or licensed. Returns its price_ id. */
  public static String price(TestGateway gateway, String key, String currency, boolean metered) {
    long account = accountId(gateway, key);
    boolean live = ApiKeys.livemode(key);
    long product = gateway.queryLong("INSERT INTO products (public_id, account_id, livemode, name)"
        + " VALUES (?, ?, ?, 'Test product') RETURNING id", Ids.newId("prod_"), account, live);
    String price = Ids.newId("price_");
    gateway.queryLong("INSERT INTO prices (public_id, account_id, livemode, product_id, currency, type, billing_scheme,"
            + " unit_amount_decimal, recurring_interval, recurring_interval_count, usage_type)"
            + " VALUES (?, ?, ?, ?, ?, 'recurring', 'per_unit', 1, 'month', 1, ?) RETURNING id",
        price, account, live, product, currency, metered ? "metered" : "licensed");
    return price;
  }

  /** A draft invoice of the customer (by its cus_ id); returns its internal id. */
  public static long invoice(TestGateway gateway, String customer, String currency) {
    return gateway.queryLong("INSERT INTO invoices (public_id, account_id, livemode, customer_id, currency,"
        + " period_start, period_end) SELECT ?, account_id, livemode, id, ?, now(), now() FROM customers"
        + " WHERE public_id = ? RETURNING id", Ids.newId("in_"), currency, customer);
  }

  public static String invoicePublicId(TestGateway gateway, long invoiceId) {
    return gateway.queryJson("SELECT json_build_object('id', public_id)::text FROM invoices WHERE id = ?", invoiceId)
        .get(0).getString("id");
  }

  public static long customerId(TestGateway gateway, String customer) {
    return gateway.queryLong("SELECT id FROM customers WHERE public_id = ?", customer);
  }

  public static long accountId(TestGateway gateway, String key) {
    return gateway.queryLong("SELECT account_id FROM api_keys WHERE key_hash = ?", (Object) ApiKeys.hash(key));
  }
}
