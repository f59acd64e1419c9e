package io.metergate.customers;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;

/**
 * The one way a customer's cash balance changes: one statement that moves the balance and records
 * the customer_balance_transaction with its ending_balance, so concurrent changes never lose an
 * update. Used by POST /v1/customers/:id/balance_transactions and by invoice finalization.
 */
public final class CustomerBalance {
  /**
   * {@code type}: adjustment (the API), applied_to_invoice, unapplied_from_invoice, ...;
   * {@code invoiceId}: internal invoice id or null.
   */
  public record Entry(long accountId, boolean livemode, long customerId, long amount, String currency, String type,
                      String description, io.vertx.core.json.JsonObject metadata, Long invoiceId) {}

  /** The recorded transaction: its public id and the balance right after it. */
  public record Recorded(long id, String publicId, long endingBalance) {}

  private CustomerBalance() {}

  /**
   * Fails with a 400 ApiError (param currency) when the customer already has another currency; sets
   * the customer's currency when it has none.
   */
  public static Future<Recorded> record(SqlClient tx, Entry entry) {
    throw new UnsupportedOperationException("not built yet");
  }
}
