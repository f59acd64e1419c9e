package io.metergate.customers;

import io.metergate.common.Metadata;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The customer and customer_balance_transaction objects as Stripe shapes them. */
final class CustomerJson {
  private CustomerJson() {}

  /** Fields this gateway does not model (addresses, payment sources, tax, test clocks) are present and empty. */
  static JsonObject render(Customer c) {
    return new JsonObject()
        .put("id", c.publicId())
        .put("object", "customer")
        .putNull("address")
        .put("balance", c.balance())
        .putNull("business_name")
        .put("created", c.created().getEpochSecond())
        .put("currency", c.currency())
        .putNull("customer_account")
        .putNull("default_source")
        .put("delinquent", false)
        .put("description", c.description())
        .putNull("discount")
        .put("email", c.email())
        .putNull("individual_name")
        .put("invoice_prefix", c.invoicePrefix())
        .put("invoice_settings", new JsonObject().putNull("custom_fields").putNull("default_payment_method")
            .putNull("footer").putNull("rendering_options"))
        .put("livemode", c.livemode())
        .put("metadata", c.metadata().copy())
        .put("name", c.name())
        .put("next_invoice_sequence", c.nextInvoiceSequence())
        .put("phone", c.phone())
        .put("preferred_locales", new JsonArray())
        .putNull("shipping")
        .put("tax_exempt", "none")
        .putNull("test_clock");
  }

  static JsonObject deleted(String publicId) {
    return new JsonObject().put("id", publicId).put("object", "customer").put("deleted", true);
  }

  static JsonObject render(BalanceTransaction t) {
    return new JsonObject()
        .put("id", t.publicId())
        .put("object", "customer_balance_transaction")
        .put("amount", t.amount())
        .putNull("checkout_session")
        .put("created", t.created().getEpochSecond())
        .putNull("credit_note")
        .put("currency", t.currency())
        .put("customer", t.customer())
        .putNull("customer_account")
        .put("description", t.description())
        .put("ending_balance", t.endingBalance())
        .put("invoice", t.invoice())
        .put("livemode", t.livemode())
        .put("metadata", Metadata.toJson(t.metadata()))
        .put("type", t.type());
  }
}
