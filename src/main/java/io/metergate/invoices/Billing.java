package io.metergate.invoices;

import io.metergate.credits.CreditAllocation;
import io.metergate.credits.Grant;
import java.util.ArrayList;
import java.util.List;

/**
 * Invoice arithmetic (pure): billing credits pay eligible lines before tax, then the customer's
 * balance is applied: what is due is the total plus the balance, when that is positive; otherwise
 * nothing is due and the rest stays (or becomes) the customer's credit balance. So a credit balance
 * pays at most the total, a debit balance is added to what is due, and a negative total credits
 * the customer. Integers in the smallest currency unit throughout.
 */
final class Billing {
  /** Amounts of one invoice; {@code endingBalance} is the customer balance once the invoice used it. */
  record Totals(long subtotal, long credits, long total, long startingBalance, long endingBalance, long amountDue) {}

  private Billing() {}

  /** Lines with the credits the grants would pay (not recorded: drafts and previews). */
  static List<InvoiceLine> credit(List<InvoiceLine> lines, List<Grant> grants) {
    List<CreditAllocation.Line> payable = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      InvoiceLine l = lines.get(i);
      payable.add(new CreditAllocation.Line(i, l.price(), l.metered(), l.amount()));
    }
    List<List<InvoiceLine.Credit>> credits = new ArrayList<>(lines.size());
    lines.forEach(l -> credits.add(new ArrayList<>()));
    for (CreditAllocation.Allocation a : CreditAllocation.allocate(grants, payable)) {
      credits.get(a.lineIndex()).add(new InvoiceLine.Credit(a.amount(), null));
    }
    List<InvoiceLine> out = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      out.add(lines.get(i).withCredits(credits.get(i)));
    }
    return out;
  }

  /** Totals with the customer's balance applied as finalization would apply it. */
  static Totals totals(List<InvoiceLine> lines, long balance) {
    long subtotal = lines.stream().mapToLong(InvoiceLine::amount).sum();
    long credits = lines.stream().mapToLong(InvoiceLine::credited).sum();
    long total = subtotal - credits;
    long net = total + balance;
    return new Totals(subtotal, credits, total, balance, Math.min(net, 0), Math.max(net, 0));
  }

  /** Totals of a finalized invoice, whose balance use is recorded. */
  static Totals recorded(List<InvoiceLine> lines, long startingBalance, long endingBalance) {
    long subtotal = lines.stream().mapToLong(InvoiceLine::amount).sum();
    long credits = lines.stream().mapToLong(InvoiceLine::credited).sum();
    long total = subtotal - credits;
    return new Totals(subtotal, credits, total, startingBalance, endingBalance, total + startingBalance - endingBalance);
  }
}
