package io.metergate.invoices;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

/** Row mapping for invoices and their items. */
final class Rows {
  private Rows() {}

  static Invoice invoice(Row r) {
    return new Invoice(r.getLong("id"), r.getString("public_id"), r.getLong("account_id"), r.getBoolean("livemode"),
        r.getLong("customer_id"), r.getString("customer"), r.getString("customer_name"), r.getString("customer_email"),
        r.getString("customer_phone"), r.getLong("customer_balance"), r.getString("customer_currency"),
        r.getString("status"), r.getString("currency"), r.getString("description"), json(r, "metadata"),
        r.getString("collection_method"), r.getInteger("days_until_due"), r.getBoolean("auto_advance"),
        r.getString("number"), instant(r, "period_start"), instant(r, "period_end"), r.getLong("starting_balance"),
        r.getLong("ending_balance"), r.getLong("amount_paid"), instant(r, "created_at"), instant(r, "finalized_at"),
        instant(r, "paid_at"), instant(r, "voided_at"));
  }

  /** An invoice item as a line (credits are filled in by the caller). */
  static InvoiceLine line(Row r) {
    return new InvoiceLine(r.getLong("id"), r.getString("line_public_id"), r.getString("public_id"), null, null,
        r.getString("currency"), r.getLong("amount"), r.getLong("quantity"), r.getBigDecimal("quantity_decimal"),
        r.getBigDecimal("unit_amount_decimal"), r.getString("price_public_id"), r.getString("product_public_id"),
        r.getBoolean("metered"), r.getString("priced_by"), r.getString("description"), r.getBoolean("discountable"), json(r, "metadata"),
        instant(r, "period_start"), instant(r, "period_end"), List.of());
  }

  static JsonObject json(Row r, String column) {
    Object v = r.getValue(column);
    if (v instanceof JsonObject o) {
      return o;
    }
    return v == null ? new JsonObject() : new JsonObject(v.toString());
  }

  static Instant instant(Row r, String column) {
    OffsetDateTime t = r.getOffsetDateTime(column);
    return t == null ? null : t.toInstant();
  }
}
