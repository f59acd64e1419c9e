package io.metergate.customers;

import io.metergate.common.ApiError;
import io.metergate.common.Ids;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

/**
 * The one way a customer's cash balance changes: one statement that moves the balance and records
 * the customer_balance_transaction with its ending_balance, so concurrent changes never lose an
 * update. Used by POST /v1/customers/:id/balance_transactions and by invoice finalization.
 */
public final class CustomerBalance {
  private static final String NUMERIC_VALUE_OUT_OF_RANGE = "22003";

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
    return recordTransaction(tx, entry).map(t -> new Recorded(t.id(), t.publicId(), t.endingBalance()));
  }

  static Future<BalanceTransaction> recordTransaction(SqlClient db, Entry e) {
    Tuple args = Tuple.tuple().addString(Ids.newId("cbtxn_")).addLong(e.accountId()).addBoolean(e.livemode())
        .addLong(e.customerId()).addLong(e.amount()).addString(e.currency()).addString(e.description())
        .addValue(e.metadata() == null ? new JsonObject() : e.metadata()).addString(e.type())
        .addLong(e.invoiceId());
    return db.preparedQuery(CustomerSql.RECORD_BALANCE).execute(args)
        .recover(err -> Future.failedFuture(err instanceof PgException pg
            && NUMERIC_VALUE_OUT_OF_RANGE.equals(pg.getSqlState())
            ? ApiError.invalid("balance_out_of_range", "This amount would take the customer's balance out of the"
                + " range this gateway can hold.", "amount")
            : err))
        .compose(rows -> rows.size() > 0
            ? Future.succeededFuture(BalanceTransactionStore.toTransaction(rows.iterator().next()))
            : refusal(db, e));
  }

  /** Why no row was written (only this path pays the second query): another currency, or no such customer. */
  private static Future<BalanceTransaction> refusal(SqlClient db, Entry e) {
    return db.preparedQuery(CustomerSql.CURRENCY).execute(Tuple.of(e.customerId(), e.accountId(), e.livemode()))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(ApiError.of(404, "invalid_request_error", "resource_missing",
                "The customer of this balance transaction does not exist in this account and mode.", "customer"));
          }
          String customer = rows.iterator().next().getString("public_id");
          String current = rows.iterator().next().getString("currency");
          return Future.failedFuture(ApiError.invalid("currency_mismatch", "The customer " + customer
              + " has its balance in " + current + "; a transaction in " + e.currency() + " cannot be recorded"
              + " (a customer's balance holds one currency).", "currency"));
        });
  }
}
