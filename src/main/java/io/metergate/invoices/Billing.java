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

  /**
   * What the grants pay of the lines, in Stripe's grant and line order, capped so that credits only
   * ever lower what the invoice charges: they never take its total below zero (a negative line
   * elsewhere must not turn a usage credit into a cash balance).
   */
  static List<CreditAllocation.Allocation> allocate(List<InvoiceLine> lines, List<Grant> grants) {
    List<CreditAllocation.Line> payable = new ArrayList<>(lines.size());
    long subtotal = 0;
    for (int i = 0; i < lines.size(); i++) {
      InvoiceLine l = lines.get(i);
      payable.add(new CreditAllocation.Line(i, l.price(), l.metered(), l.amount()));
      subtotal = Math.addExact(subtotal, l.amount());
    }
    long room = Math.max(subtotal, 0);
    List<CreditAllocation.Allocation> capped = new ArrayList<>();
    for (CreditAllocation.Allocation a : CreditAllocation.allocate(grants, payable)) {
      long amount = Math.min(a.amount(), room);
      if (amount > 0) {
        capped.add(new CreditAllocation.Allocation(a.lineIndex(), a.grant(), amount));
        room -= amount;
      }
    }
    return capped;
  }

  /** Lines with the credits the grants would pay (not recorded: drafts and previews). */
  static List<InvoiceLine> credit(List<InvoiceLine> lines, List<Grant> grants) {
    List<List<InvoiceLine.Credit>> credits = new ArrayList<>(lines.size());
    lines.forEach(l -> credits.add(new ArrayList<>()));
    for (CreditAllocation.Allocation a : allocate(lines, grants)) {
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
    long subtotal = sum(lines, InvoiceLine::amount);
    long credits = sum(lines, InvoiceLine::credited);
    long total = Math.subtractExact(subtotal, credits);
    long net = Math.addExact(total, balance);
    return new Totals(subtotal, credits, total, balance, Math.min(net, 0), Math.max(net, 0));
  }

  /** Totals of a finalized invoice, whose balance use is recorded. */
  static Totals recorded(List<InvoiceLine> lines, long startingBalance, long endingBalance) {
    long subtotal = sum(lines, InvoiceLine::amount);
    long credits = sum(lines, InvoiceLine::credited);
    long total = Math.subtractExact(subtotal, credits);
    return new Totals(subtotal, credits, total, startingBalance, endingBalance, total + startingBalance - endingBalance);
  }

  /** Lines are bounded (10^12 each) but not their number: totals must never wrap around. */
  private static long sum(List<InvoiceLine> lines, java.util.function.ToLongFunction<InvoiceLine> f) {
    long total = 0;
    for (InvoiceLine l : lines) {
      total = Math.addExact(total, f.applyAsLong(l));
    }
    return total;
  }
}
