package io.metergate.invoices;

import io.metergate.http.Http;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.List;

/** The invoice, line_item and invoiceitem objects as Stripe shapes them (API 2026-07-29.dahlia). */
final class InvoiceJson {
  /** Lines embedded in an invoice: the first page, as Stripe embeds them. */
  static final int EMBEDDED_LINES = 10;

  private InvoiceJson() {}

  static JsonObject invoice(InvoiceView v, boolean livemode, String id, String billingReason, String linesUrl,
                            String subscription) {
    Invoice inv = v.invoice();
    Billing.Totals t = v.totals();
    JsonArray pretax = new JsonArray();
    v.lines().forEach(l -> l.credits().forEach(c -> pretax.add(credit(c))));
    List<InvoiceLine> first = v.lines().subList(0, Math.min(EMBEDDED_LINES, v.lines().size()));
    JsonArray lines = new JsonArray();
    first.forEach(l -> lines.add(line(l, id, livemode)));
    boolean finalized = inv.finalizedAt() != null;
    long paid = inv.amountPaid();
    return new JsonObject()
        .put("id", id)
        .put("object", "invoice")
        .put("account_country", null).put("account_name", null).put("account_tax_ids", null)
        .put("amount_due", t.amountDue())
        .put("amount_overpaid", 0)
        .put("amount_paid", paid)
        .put("amount_paid_off_stripe", paid)
        .put("amount_remaining", Math.max(t.amountDue() - paid, 0))
        .put("amount_shipping", 0)
        .put("application", null)
        .put("attempt_count", 0)
        .put("attempted", false)
        .put("auto_advance", inv.autoAdvance())
        .put("automatic_tax", new JsonObject().put("disabled_reason", null).put("enabled", false)
            .put("liability", null).put("provider", null).put("status", null))
        .put("automatically_finalizes_at", null)
        .put("billing_reason", billingReason)
        .put("collection_method", inv.collectionMethod())
        .put("created", Http.epoch(inv.created()))
        .put("currency", inv.currency())
        .put("custom_fields", null)
        .put("customer", inv.customer())
        .put("customer_account", null)
        .put("customer_address", null)
        .put("customer_email", inv.customerEmail())
        .put("customer_name", inv.customerName())
        .put("customer_phone", inv.customerPhone())
        .put("customer_shipping", null)
        .put("customer_tax_exempt", "none")
        .put("customer_tax_ids", new JsonArray())
        .put("default_payment_method", null).put("default_source", null)
        .put("default_tax_rates", new JsonArray())
        .put("description", inv.description())
        .put("discounts", new JsonArray())
        .put("due_date", dueDate(inv))
        .put("effective_at", Http.epoch(inv.finalizedAt()))
        .put("ending_balance", finalized ? t.endingBalance() : null)
        .put("footer", null).put("from_invoice", null).put("hosted_invoice_url", null).put("invoice_pdf", null)
        .put("issuer", new JsonObject().put("type", "self"))
        .put("last_finalization_error", null).put("latest_revision", null)
        .put("lines", Http.list(linesUrl, lines, v.lines().size() > first.size()))
        .put("livemode", livemode)
        .put("metadata", inv.metadata())
        .put("next_payment_attempt", null)
        .put("number", inv.number())
        .put("on_behalf_of", null)
        .put("parent", subscription == null ? null : new JsonObject().put("type", "subscription_details")
            .put("quote_details", null).put("subscription_details", new JsonObject()
                .put("metadata", new JsonObject()).put("subscription", subscription)))
        .put("payment_settings", new JsonObject().put("default_mandate", null).put("payment_method_options", null)
            .put("payment_method_types", null))
        .put("period_end", Http.epoch(inv.periodEnd()))
        .put("period_start", Http.epoch(inv.periodStart()))
        .put("post_payment_credit_notes_amount", 0)
        .put("pre_payment_credit_notes_amount", 0)
        .put("receipt_number", null).put("rendering", null).put("shipping_cost", null).put("shipping_details", null)
        .put("starting_balance", t.startingBalance())
        .put("statement_descriptor", null)
        .put("status", inv.status())
        .put("status_transitions", new JsonObject()
            .put("finalized_at", Http.epoch(inv.finalizedAt()))
            .put("marked_uncollectible_at", null)
            .put("paid_at", Http.epoch(inv.paidAt()))
            .put("voided_at", Http.epoch(inv.voidedAt())))
        .put("subtotal", t.subtotal())
        .put("subtotal_excluding_tax", t.subtotal())
        .put("test_clock", null)
        .put("total", t.total())
        .put("total_discount_amounts", new JsonArray())
        .put("total_excluding_tax", t.total())
        .put("total_pretax_credit_amounts", pretax)
        .put("total_taxes", new JsonArray())
        .put("webhooks_delivered_at", null);
  }

  private static Long dueDate(Invoice inv) {
    if (!"send_invoice".equals(inv.collectionMethod()) || inv.daysUntilDue() == null || inv.finalizedAt() == null) {
      return null;
    }
    return inv.finalizedAt().getEpochSecond() + inv.daysUntilDue() * 86_400L;
  }

  static JsonObject line(InvoiceLine l, String invoice, boolean livemode) {
    JsonArray credits = new JsonArray();
    l.credits().forEach(c -> credits.add(credit(c)));
    JsonObject parent = l.subscriptionItem() != null
        ? new JsonObject().put("type", "subscription_item_details").put("invoice_item_details", null)
            .put("subscription_item_details", new JsonObject().put("invoice_item", null).put("proration", false)
                .put("proration_details", new JsonObject().put("credited_items", null))
                .put("subscription", l.subscription()).put("subscription_item", l.subscriptionItem()))
        : new JsonObject().put("type", "invoice_item_details").put("subscription_item_details", null)
            .put("invoice_item_details", new JsonObject().put("invoice_item", l.invoiceItem()).put("proration", false)
                .put("proration_details", new JsonObject().put("credited_items", null)).put("subscription", null));
    return new JsonObject()
        .put("id", l.id())
        .put("object", "line_item")
        .put("amount", l.amount())
        .put("currency", l.currency())
        .put("description", l.description())
        .put("discount_amounts", new JsonArray())
        .put("discountable", l.discountable())
        .put("discounts", new JsonArray())
        .put("invoice", invoice)
        .put("livemode", livemode)
        .put("metadata", l.metadata())
        .put("parent", parent)
        .put("period", new JsonObject().put("end", Http.epoch(l.periodEnd())).put("start", Http.epoch(l.periodStart())))
        .put("pretax_credit_amounts", credits)
        .put("pricing", pricing(l))
        .put("quantity", l.quantity())
        .put("quantity_decimal", decimal(l.quantityDecimal()))
        .put("subscription", l.subscription())
        .put("subtotal", l.amount())
        .put("taxes", new JsonArray());
  }

  static JsonObject invoiceItem(LineStore.Item item) {
    InvoiceLine l = item.line();
    return new JsonObject()
        .put("id", l.invoiceItem())
        .put("object", "invoiceitem")
        .put("amount", l.amount())
        .put("currency", l.currency())
        .put("customer", item.customer())
        .put("customer_account", null)
        .put("date", Http.epoch(item.created()))
        .put("description", l.description())
        .put("discountable", l.discountable())
        .put("discounts", new JsonArray())
        .put("invoice", item.invoice())
        .put("livemode", item.livemode())
        .put("metadata", l.metadata())
        .put("net_amount", l.amount())
        .put("parent", null)
        .put("period", new JsonObject().put("end", Http.epoch(l.periodEnd())).put("start", Http.epoch(l.periodStart())))
        .put("pricing", pricing(l))
        .put("proration", false)
        .put("proration_details", new JsonObject().put("discount_amounts", new JsonArray()))
        .put("quantity", l.quantity())
        .put("quantity_decimal", decimal(l.quantityDecimal()))
        .put("tax_rates", new JsonArray())
        .put("test_clock", null);
  }

  private static JsonObject pricing(InvoiceLine l) {
    if (l.unitAmountDecimal() == null && l.price() == null) {
      return null;
    }
    return new JsonObject().put("type", "price_details")
        .put("price_details", new JsonObject().put("price", l.price()).put("product", l.product()))
        .put("unit_amount_decimal", decimal(l.unitAmountDecimal()));
  }

  private static JsonObject credit(InvoiceLine.Credit c) {
    return new JsonObject().put("amount", c.amount()).put("credit_balance_transaction", c.creditBalanceTransaction())
        .put("discount", null).put("type", "credit_balance_transaction");
  }

  /** Decimal strings as Stripe writes them: plain, no trailing zeros. */
  static String decimal(BigDecimal d) {
    if (d == null) {
      return null;
    }
    BigDecimal s = d.stripTrailingZeros();
    return (s.scale() < 0 ? s.setScale(0) : s).toPlainString();
  }
}
