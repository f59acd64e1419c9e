package io.metergate.invoices;

import io.metergate.common.Metadata;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * A line as a request describes it (add_lines, update_lines, one line's update, invoice items):
 * every field is null when the request leaves it out.
 */
record LineDraft(
    String invoiceItem,
    Long amount,
    String currency,
    String price,
    PriceData priceData,
    Long quantity,
    BigDecimal quantityDecimal,
    String description,
    boolean clearDescription,
    Boolean discountable,
    Metadata metadata,
    Instant periodStart,
    Instant periodEnd) {

  /** price_data: an inline price for this line only. */
  record PriceData(String currency, String product, String productName, BigDecimal unitAmountDecimal) {}

  boolean repricing() {
    return amount != null || price != null || priceData != null || quantity != null || quantityDecimal != null;
  }
}
