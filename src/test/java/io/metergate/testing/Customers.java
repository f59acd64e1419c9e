package io.metergate.testing;

import io.metergate.accounts.ApiKeys;
import io.metergate.common.Ids;

/**
 * Customers made with SQL, for features that only need one to exist: a row in {@code customers}
 * for the key's account and mode, as the customers API would write it.
 */
public final class Customers {
  private Customers() {}

  /** A live customer of the key's account and mode; returns its cus_ id. */
  public static String create(TestGateway gateway, String key) {
    String id = Ids.newId("cus_");
    gateway.queryLong("INSERT INTO customers (public_id, account_id, livemode, name)"
        + " SELECT ?, account_id, livemode, 'Test customer' FROM api_keys WHERE key_hash = ? RETURNING id",
        id, ApiKeys.hash(key));
    return id;
  }

  public static String create(TestGateway gateway) {
    return create(gateway, TestGateway.DEV_KEY);
  }

  /** The internal id behind a cus_ id. */
  public static long internalId(TestGateway gateway, String publicId) {
    return gateway.queryLong("SELECT id FROM customers WHERE public_id = ?", publicId);
  }

  /** Deletes the customer as the customers API does: the row stays, marked deleted. */
  public static void delete(TestGateway gateway, String publicId) {
    gateway.queryLong("UPDATE customers SET deleted_at = now() WHERE public_id = ? RETURNING id", publicId);
  }
}
