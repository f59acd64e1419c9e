package io.metergate.credits;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import java.time.Instant;
import java.util.List;

/** What invoices need from billing credits: usable grants, and recording their use and return. */
public final class CreditLedger {
  /** One use of a grant on a finalized invoice line. */
  public record Application(Grant grant, long amount, long invoiceId, String invoicePublicId, String linePublicId) {}

  private CreditLedger() {}

  /**
   * The customer's grants usable at {@code at} in {@code currency}: effective, not expired, not
   * voided, with something remaining. {@code forUpdate}: lock them (finalization, in a transaction).
   */
  public static Future<List<Grant>> usable(SqlClient db, long customerId, String currency, Instant at,
                                           boolean forUpdate) {
    throw new UnsupportedOperationException("not built yet");
  }

  /** Records one credits_applied debit per application; returns their public ids (cbtxn_...) in order. */
  public static Future<List<String>> apply(SqlConnection tx, long accountId, boolean livemode,
                                           List<Application> applications) {
    throw new UnsupportedOperationException("not built yet");
  }

  /** Voiding an invoice gives back what it used: one credits_application_invoice_voided credit per debit. */
  public static Future<Void> returnForInvoice(SqlConnection tx, long invoiceId) {
    throw new UnsupportedOperationException("not built yet");
  }
}
