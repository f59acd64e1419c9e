package io.metergate.invoices;

import io.metergate.catalog.Amounts;
import io.metergate.common.ApiError;
import io.metergate.common.Metadata;
import io.metergate.common.ParamRules;
import io.metergate.common.Params;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Reads line fields (Stripe's add_lines / update_lines entries and invoice item parameters). Tax
 * rates, tax amounts and discounts are not implemented: only their empty forms are accepted.
 */
final class LineParams {
  /** Stripe's bound on amounts in the smallest currency unit. */
  static final long MAX_AMOUNT = 1_000_000_000_000L;
  static final long MAX_TIME = 253_402_300_799L;
  static final Set<String> LINE_FIELDS = Set.of("amount", "description", "discountable", "discounts", "metadata",
      "period", "price_data", "pricing", "quantity", "quantity_decimal", "tax_amounts", "tax_rates");

  private LineParams() {}

  /** One entry of add_lines: an existing pending item to attach, or a new line. */
  static LineDraft forAdd(Params line) {
    if (line.has("invoice_item")) {
      line.allowOnly(Set.of("invoice_item"));
      return new LineDraft(line.requiredString("invoice_item", 255), null, null, null, null, null, null, null, false,
          null, Metadata.UNCHANGED, null, null);
    }
    line.allowOnly(LINE_FIELDS);
    LineDraft d = read(line, null);
    requirePricing(line, d);
    return d;
  }

  /** One entry of update_lines (or one line's update): only what is given changes. */
  static LineDraft forUpdate(Params line, Set<String> extra) {
    Set<String> allowed = new java.util.HashSet<>(LINE_FIELDS);
    allowed.addAll(extra);
    line.allowOnly(allowed);
    return read(line, null);
  }

  /**
   * POST /v1/invoiceitems: a line of its own, with its currency; unit_amount_decimal (times the
   * quantity) is a fourth way to price it.
   */
  static LineDraft forInvoiceItem(Params p) {
    String currency = p.optionalString("currency", 3);
    BigDecimal unit = decimal(p, "unit_amount_decimal");
    LineDraft d = read(p.without("unit_amount_decimal"), currency);
    if (unit != null) {
      if (d.amount() != null || d.price() != null || d.priceData() != null) {
        throw ApiError.invalid("parameters_exclusive",
            "Give only one of amount, pricing[price], price_data and unit_amount_decimal.", "unit_amount_decimal");
      }
      if (currency == null) {
        throw ApiError.missing("currency");
      }
      d = new LineDraft(null, null, currency, null, new LineDraft.PriceData(currency, null, null, unit), d.quantity(),
          d.quantityDecimal(), d.description(), d.clearDescription(), d.discountable(), d.metadata(), d.periodStart(),
          d.periodEnd());
    }
    requirePricing(p, d);
    return d;
  }

  private static void requirePricing(Params p, LineDraft d) {
    if (d.amount() == null && d.price() == null && d.priceData() == null) {
      throw ApiError.invalid("parameter_missing", "A line needs one of amount, pricing[price] or price_data.",
          p.path("amount"));
    }
  }

  static LineDraft read(Params p, String currency) {
    notImplemented(p, "tax_rates");
    notImplemented(p, "tax_amounts");
    notImplemented(p, "discounts");
    Long amount = p.optionalInteger("amount");
    if (amount != null && Math.abs(amount) >= MAX_AMOUNT) {
      throw ApiError.invalid("amount_too_large", "Invalid " + p.path("amount") + ": must be between -999999999999 and"
          + " 999999999999.", p.path("amount"));
    }
    String price = null;
    Params pricing = p.optionalObject("pricing");
    if (pricing != null) {
      pricing.allowOnly(Set.of("price"));
      price = pricing.requiredString("price", 255);
    }
    LineDraft.PriceData priceData = priceData(p);
    int pricings = (amount != null ? 1 : 0) + (price != null ? 1 : 0) + (priceData != null ? 1 : 0);
    if (pricings > 1) {
      throw ApiError.invalid("parameters_exclusive",
          "Give only one of amount, pricing[price] and price_data.", p.path(amount != null ? "amount" : "pricing"));
    }
    Long quantity = p.optionalInteger("quantity");
    BigDecimal quantityDecimal = decimal(p, "quantity_decimal");
    if (quantity != null && quantityDecimal != null) {
      throw ApiError.invalid("parameters_exclusive", "Give only one of quantity and quantity_decimal.",
          p.path("quantity_decimal"));
    }
    if ((quantity != null && (quantity < 0 || quantity >= MAX_AMOUNT))) {
      throw ApiError.invalid("parameter_invalid_integer", "Invalid " + p.path("quantity")
          + ": must be an integer from 0 to 999999999999.", p.path("quantity"));
    }
    if (amount != null && (quantity != null || quantityDecimal != null)) {
      throw ApiError.invalid("parameters_exclusive",
          "A line with an amount has no quantity; give pricing[price] or price_data to price a quantity.",
          p.path("quantity"));
    }
    boolean clearDescription = p.isEmptyValue("description");
    String description = clearDescription ? null : p.optionalString("description", 5000);
    Boolean discountable = ParamRules.optionalBoolean(p, "discountable");
    Instant[] period = period(p);
    return new LineDraft(null, amount, currency, price, priceData, quantity, quantityDecimal, description,
        clearDescription, discountable, Metadata.parse(p), period == null ? null : period[0],
        period == null ? null : period[1]);
  }

  private static LineDraft.PriceData priceData(Params p) {
    Params d = p.optionalObject("price_data");
    if (d == null) {
      return null;
    }
    d.allowOnly(Set.of("currency", "product", "product_data", "unit_amount", "unit_amount_decimal", "tax_behavior"));
    String currency = d.requiredString("currency", 3);
    d.optionalEnum("tax_behavior", List.of("exclusive", "inclusive", "unspecified"));
    String product = d.optionalString("product", 255);
    Params productData = d.optionalObject("product_data");
    String productName = null;
    if (productData != null) {
      productData.allowOnly(Set.of("name"));
      productName = productData.requiredString("name", 250);
    }
    if ((product == null) == (productName == null)) {
      throw ApiError.invalid("parameter_missing", "price_data needs exactly one of product and product_data.",
          d.path("product"));
    }
    BigDecimal unit = Amounts.either(d, "unit_amount");
    if (unit == null) {
      throw ApiError.invalid("parameter_missing", "price_data needs one of unit_amount and unit_amount_decimal.",
          d.path("unit_amount"));
    }
    return new LineDraft.PriceData(currency, product, productName, unit);
  }

  private static Instant[] period(Params p) {
    Params period = p.optionalObject("period");
    if (period == null) {
      return null;
    }
    period.allowOnly(Set.of("start", "end"));
    Long start = period.optionalInteger("start");
    Long end = period.optionalInteger("end");
    if (start == null || end == null) {
      throw ApiError.missing(period.path(start == null ? "start" : "end"));
    }
    for (String bound : new String[] {"start", "end"}) {
      long t = "start".equals(bound) ? start : end;
      if (t < 0 || t > MAX_TIME) {
        throw ApiError.invalid("parameter_invalid_integer", "Invalid " + period.path(bound) + ": must be a Unix"
            + " timestamp from 0 to " + MAX_TIME + ".", period.path(bound));
      }
    }
    if (end < start) {
      throw ApiError.invalid("parameter_invalid_integer", "period[end] must not be before period[start].",
          period.path("end"));
    }
    return new Instant[] {Instant.ofEpochSecond(start), Instant.ofEpochSecond(end)};
  }

  /** Quantities and unit amounts: exact, at most 12 decimal places, below 10^12 (exponents accepted, as stripe-java sends them). */
  static BigDecimal decimal(Params p, String name) {
    return Amounts.optionalDecimal(p, name);
  }


  /** Taxes and discounts are not implemented; their empty value ({@code tax_rates=}) is accepted and means none. */
  private static void notImplemented(Params p, String name) {
    if (!p.has(name) || p.isEmptyValue(name)) {
      return;
    }
    throw ApiError.of(400, "invalid_request_error", "parameter_unsupported",
        p.path(name) + " is not implemented by this version of Metergate (no taxes or discounts).", p.path(name));
  }
}
