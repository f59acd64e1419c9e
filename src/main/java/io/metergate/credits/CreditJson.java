package io.metergate.credits;

import io.metergate.common.Metadata;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/** The billing.credit_grant, billing.credit_balance_transaction and billing.credit_balance_summary objects. */
final class CreditJson {
  /** One currency's balance in a summary. */
  record Balance(String currency, long available, long ledger) {}

  private CreditJson() {}

  static JsonObject render(CreditGrant g) {
    JsonObject scope = g.priceType() != null ? new JsonObject().put("price_type", g.priceType())
        : new JsonObject().put("prices", prices(g.priceIds()));
    return new JsonObject()
        .put("id", g.publicId())
        .put("object", "billing.credit_grant")
        .put("amount", monetary(g.currency(), g.amount()))
        .put("applicability_config", new JsonObject().put("scope", scope))
        .put("category", g.category())
        .put("created", g.created().getEpochSecond())
        .put("customer", g.customer())
        .putNull("customer_account")
        .put("effective_at", epoch(g.effectiveAt()))
        .put("expires_at", epoch(g.expiresAt()))
        .put("livemode", g.livemode())
        .put("metadata", Metadata.toJson(g.metadata()))
        .put("name", g.name())
        .put("priority", g.priority())
        .putNull("test_clock")
        .put("updated", g.updated().getEpochSecond())
        .put("voided_at", epoch(g.voidedAt()));
  }

  /** {@code credit} is set for type credit, {@code debit} for type debit; the other is null. */
  static JsonObject render(CreditTransaction t) {
    JsonObject invoiceLine = t.invoice() == null ? null
        : new JsonObject().put("invoice", t.invoice()).put("invoice_line_item", t.invoiceLineItem());
    JsonObject detail = new JsonObject().put("amount", monetary(t.currency(), t.amount()));
    if ("credit".equals(t.type())) {
      detail.put("credits_application_invoice_voided",
          "credits_application_invoice_voided".equals(t.kind()) ? invoiceLine : null);
    } else {
      detail.put("credits_applied", "credits_applied".equals(t.kind()) ? invoiceLine : null);
    }
    detail.put("type", t.kind());
    boolean credit = "credit".equals(t.type());
    return new JsonObject()
        .put("id", t.publicId())
        .put("object", "billing.credit_balance_transaction")
        .put("created", t.created().getEpochSecond())
        .put("credit", credit ? detail : null)
        .put("credit_grant", t.creditGrant())
        .put("debit", credit ? null : detail)
        .put("effective_at", t.effectiveAt().getEpochSecond())
        .put("livemode", t.livemode())
        .putNull("test_clock")
        .put("type", t.type());
  }

  static JsonObject summary(String customer, boolean livemode, List<Balance> balances) {
    JsonArray out = new JsonArray();
    balances.forEach(b -> out.add(new JsonObject()
        .put("available_balance", monetary(b.currency(), b.available()))
        .put("ledger_balance", monetary(b.currency(), b.ledger()))));
    return new JsonObject()
        .put("object", "billing.credit_balance_summary")
        .put("balances", out)
        .put("customer", customer)
        .putNull("customer_account")
        .put("livemode", livemode);
  }

  private static JsonObject monetary(String currency, long value) {
    return new JsonObject().put("monetary", new JsonObject().put("currency", currency).put("value", value))
        .put("type", "monetary");
  }

  private static JsonArray prices(List<String> ids) {
    JsonArray out = new JsonArray();
    ids.forEach(id -> out.add(new JsonObject().put("id", id)));
    return out;
  }

  private static Long epoch(Instant t) {
    return t == null ? null : t.getEpochSecond();
  }
}
