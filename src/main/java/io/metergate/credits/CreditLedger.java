package io.metergate.credits;

import io.metergate.common.Ids;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What invoices need from billing credits: usable grants, and recording their use and return.
 * Protocol for using credits: in one transaction, {@code usable(tx, ..., forUpdate = true)}, then
 * {@link CreditAllocation#allocate}, then {@code apply}. The grant locks make concurrent
 * finalizations, expiries and voids of the same grants wait for each other.
 */
public final class CreditLedger {
  /** One use of a grant on a finalized invoice line. */
  public record Application(Grant grant, long amount, long invoiceId, String invoicePublicId, String linePublicId) {}

  private CreditLedger() {}

  /**
   * The customer's grants usable at {@code at} in {@code currency}: effective, not expired, not
   * voided, with something remaining. {@code forUpdate}: lock them (finalization, in a transaction).
   * Sorted in {@link CreditAllocation#ORDER}; remaining is computed from credit_balance_transactions.
   */
  public static Future<List<Grant>> usable(SqlClient db, long customerId, String currency, Instant at,
                                           boolean forUpdate) {
    Tuple args = Tuple.of(customerId, currency, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
    // remaining is read by a statement after the lock: one snapshot taken before waiting for the
    // lock would miss the debits of the finalization it waited for, and spend them twice
    Future<?> locked = forUpdate ? db.preparedQuery(CreditSql.LOCK_USABLE).execute(args) : Future.succeededFuture();
    return locked.compose(v -> db.preparedQuery(CreditSql.USABLE).execute(args)).map(rows -> {
      List<Grant> grants = new ArrayList<>(rows.size());
      rows.forEach(r -> grants.add(toGrant(r)));
      grants.sort(CreditAllocation.ORDER);
      return grants;
    });
  }

  /**
   * Records one credits_applied debit per application; returns their public ids (cbtxn_...) in order.
   * Fails (and so rolls back the caller's transaction) if a grant is not the account's or would go
   * below zero, which only happens when the grants were not locked by {@code usable} first.
   */
  public static Future<List<String>> apply(SqlConnection tx, long accountId, boolean livemode,
                                           List<Application> applications) {
    if (applications.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    int n = applications.size();
    String[] ids = new String[n];
    Long[] grants = new Long[n];
    Long[] amounts = new Long[n];
    Long[] invoices = new Long[n];
    String[] invoicePublicIds = new String[n];
    String[] lines = new String[n];
    for (int i = 0; i < n; i++) {
      Application a = applications.get(i);
      if (a.amount() <= 0) {
        return Future.failedFuture(new IllegalArgumentException("credit application amounts must be positive"));
      }
      ids[i] = Ids.newId("cbtxn_");
      grants[i] = a.grant().id();
      amounts[i] = a.amount();
      invoices[i] = a.invoiceId();
      invoicePublicIds[i] = a.invoicePublicId();
      lines[i] = a.linePublicId();
    }
    Tuple args = Tuple.tuple().addArrayOfString(ids).addArrayOfLong(grants).addArrayOfLong(amounts)
        .addArrayOfLong(invoices).addArrayOfString(invoicePublicIds).addArrayOfString(lines)
        .addLong(accountId).addBoolean(livemode);
    return tx.preparedQuery(CreditSql.APPLY).execute(args).compose(rows -> {
      Row r = rows.iterator().next();
      String[] overdrawn = r.getArrayOfStrings("overdrawn");
      if (r.getLong("written") != n) {
        return Future.failedFuture(new IllegalStateException("a credit grant applied is not the account's"));
      }
      if (overdrawn.length > 0) {
        return Future.failedFuture(new IllegalStateException("credit grants would go below zero: "
            + String.join(", ", overdrawn)));
      }
      return Future.succeededFuture(List.of(ids));
    });
  }

  /**
   * Voiding an invoice gives back what it used: one credits_application_invoice_voided credit per
   * debit, once (a second call for the same invoice gives nothing more). Credits given back to a
   * grant that has since expired or been voided stay unusable with it.
   */
  public static Future<Void> returnForInvoice(SqlConnection tx, long invoiceId) {
    return tx.preparedQuery(CreditSql.APPLIED_TO_INVOICE).execute(Tuple.of(invoiceId)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture();
      }
      List<String> ids = new ArrayList<>(rows.size());
      List<Long> debits = new ArrayList<>(rows.size());
      rows.forEach(r -> {
        ids.add(Ids.newId("cbtxn_"));
        debits.add(r.getLong("id"));
      });
      return tx.preparedQuery(CreditSql.RETURN_APPLIED).execute(Tuple.tuple()
          .addArrayOfString(ids.toArray(String[]::new)).addArrayOfLong(debits.toArray(Long[]::new))).mapEmpty();
    });
  }

  private static Grant toGrant(Row r) {
    String[] prices = r.getArrayOfStrings("price_ids");
    return new Grant(r.getLong("id"), r.getString("public_id"), r.getLong("customer_id"), r.getString("category"),
        r.getString("currency"), r.getLong("remaining"), r.getString("price_type"),
        prices == null ? null : Arrays.asList(prices), r.getInteger("priority"), GrantStore.instant(r, "effective_at"),
        GrantStore.instant(r, "expires_at"), GrantStore.instant(r, "created_at"));
  }
}
