package io.metergate.invoices;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * One line of an invoice or of a preview: an invoice item (stored) or a subscription item's
 * charge for a period (previews). {@code amount} is before credits; {@code credits} what billing
 * credits pay of it (a credit balance transaction id once the invoice is finalized, else null).
 * {@code pricedBy}: amount (fixed), price (a price's cost for the quantity) or unit (a unit amount
 * times the quantity).
 */
public record InvoiceLine(
    long rowId,
    String id,
    String invoiceItem,
    String subscription,
    String subscriptionItem,
    String currency,
    long amount,
    Long quantity,
    BigDecimal quantityDecimal,
    BigDecimal unitAmountDecimal,
    String price,
    String product,
    boolean metered,
    String pricedBy,
    String description,
    boolean discountable,
    JsonObject metadata,
    Instant periodStart,
    Instant periodEnd,
    List<Credit> credits) {

  public record Credit(long amount, String creditBalanceTransaction) {}

  public long credited() {
    return credits.stream().mapToLong(Credit::amount).sum();
  }

  public InvoiceLine withCredits(List<Credit> c) {
    return new InvoiceLine(rowId, id, invoiceItem, subscription, subscriptionItem, currency, amount, quantity,
        quantityDecimal, unitAmountDecimal, price, product, metered, pricedBy, description, discountable, metadata,
        periodStart, periodEnd, List.copyOf(c));
  }
}
