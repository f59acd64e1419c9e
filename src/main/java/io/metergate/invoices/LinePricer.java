package io.metergate.invoices;

import io.metergate.accounts.Principal;
import io.metergate.catalog.Price;
import io.metergate.catalog.PriceStore;
import io.metergate.catalog.Pricing;
import io.metergate.common.ApiError;
import io.metergate.common.Ids;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/**
 * Turns a line as requested into the values stored for it: the amount a quantity of a price costs
 * (exactly, then rounded half up), or a plain amount. Fields a request leaves out keep the line's
 * current values.
 */
final class LinePricer {
  /** What is stored for a line. */
  record Priced(String currency, long amount, Long quantity, BigDecimal quantityDecimal, BigDecimal unitAmountDecimal,
                String price, String product, boolean metered, String description, boolean discountable,
                JsonObject metadata, Instant periodStart, Instant periodEnd) {}

  private final PriceStore prices;

  LinePricer(PriceStore prices) {
    this.prices = prices;
  }

  /** {@code current}: the line being changed, or null for a new one; {@code currency}: the invoice's. */
  Future<Priced> price(SqlConnection tx, Principal who, LineDraft d, InvoiceLine current, String currency,
                       String param, Instant now) {
    Future<Priced> base = d.repricing() || current == null ? reprice(tx, who, d, current, currency, param)
        : Future.succeededFuture(new Priced(current.currency(), current.amount(), current.quantity(),
            current.quantityDecimal(), current.unitAmountDecimal(), current.price(), current.product(),
            current.metered(), current.description(), current.discountable(), current.metadata(),
            current.periodStart(), current.periodEnd()));
    return base.map(p -> {
      String description = d.clearDescription() ? null : d.description() != null ? d.description() : p.description();
      boolean discountable = d.discountable() != null ? d.discountable() : current == null || p.discountable();
      JsonObject metadata = d.metadata().applyTo(current == null ? new JsonObject() : p.metadata());
      Instant start = d.periodStart() != null ? d.periodStart() : current != null ? current.periodStart() : now;
      Instant end = d.periodEnd() != null ? d.periodEnd() : current != null ? current.periodEnd() : now;
      return new Priced(p.currency(), p.amount(), p.quantity(), p.quantityDecimal(), p.unitAmountDecimal(), p.price(),
          p.product(), p.metered(), description, discountable, metadata, start, end);
    });
  }

  private Future<Priced> reprice(SqlConnection tx, Principal who, LineDraft d, InvoiceLine current, String currency,
                                 String param) {
    if (d.amount() != null) {
      return Future.succeededFuture(new Priced(currency, d.amount(), 1L, BigDecimal.ONE, BigDecimal.valueOf(d.amount()),
          null, null, false, null, true, null, null, null));
    }
    BigDecimal quantity = quantity(d, current);
    if (d.priceData() != null) {
      LineDraft.PriceData pd = d.priceData();
      requireCurrency(pd.currency(), currency, param(param, "price_data", "currency"));
      return product(tx, who, pd, param).map(product -> priced(currency, quantity,
          pd.unitAmountDecimal().multiply(quantity), pd.unitAmountDecimal(), null, product, false));
    }
    String priceId = d.price() != null ? d.price() : current == null ? null : current.price();
    if (priceId == null) {
      // an amount line whose quantity changes: not priced by a quantity
      throw ApiError.invalid("parameter_invalid", "This line has a fixed amount; give pricing[price] or price_data to"
          + " price it by quantity.", param(param, "quantity"));
    }
    return prices.findForParam(who, priceId, param(param, "pricing", "price")).map(p -> {
      requireCurrency(p.currency(), currency, param(param, "pricing", "price"));
      BigDecimal cost = Pricing.cost(p, quantity);
      return priced(currency, quantity, cost, unitAmount(p, cost, quantity), p.publicId(), p.productPublicId(),
          p.metered());
    });
  }

  private static Priced priced(String currency, BigDecimal quantity, BigDecimal cost, BigDecimal unit, String price,
                               String product, boolean metered) {
    Long whole = quantity.stripTrailingZeros().scale() <= 0 ? quantity.longValue() : null;
    return new Priced(currency, Pricing.round(cost), whole, quantity, unit, price, product, metered, null, true, null,
        null, null);
  }

  /** Per unit: the price's; tiered: the average the quantity paid, as Stripe shows it. */
  private static BigDecimal unitAmount(Price p, BigDecimal cost, BigDecimal quantity) {
    if ("per_unit".equals(p.billingScheme())) {
      return p.unitAmountDecimal();
    }
    return quantity.signum() == 0 ? BigDecimal.ZERO : cost.divide(quantity, 12, RoundingMode.HALF_UP).stripTrailingZeros();
  }

  private static BigDecimal quantity(LineDraft d, InvoiceLine current) {
    if (d.quantityDecimal() != null) {
      return d.quantityDecimal();
    }
    if (d.quantity() != null) {
      return BigDecimal.valueOf(d.quantity());
    }
    if (current != null && current.quantityDecimal() != null && current.price() != null) {
      return current.quantityDecimal();
    }
    return BigDecimal.ONE;
  }

  private static void requireCurrency(String given, String expected, String param) {
    if (!given.equals(expected)) {
      throw ApiError.invalid("currency_mismatch", "The line's currency (" + given + ") differs from the invoice's ("
          + expected + ").", param);
    }
  }

  /**
   * price_data[product] must exist; price_data[product_data] creates a product, as Stripe does; an
   * invoice item's unit_amount_decimal has none.
   */
  private static Future<String> product(SqlConnection tx, Principal who, LineDraft.PriceData pd, String param) {
    if (pd.product() == null && pd.productName() == null) {
      return Future.succeededFuture(null);
    }
    if (pd.product() != null) {
      return tx.preparedQuery(InvoiceSql.PRODUCT_EXISTS).execute(Tuple.of(pd.product(), who.accountId(), who.livemode()))
          .map(rows -> {
            if (rows.size() == 0) {
              throw ApiError.of(400, "invalid_request_error", "resource_missing",
                  "No such product: '" + pd.product() + "'", param(param, "price_data", "product"));
            }
            return pd.product();
          });
    }
    String id = Ids.newId("prod_");
    return tx.preparedQuery(InvoiceSql.INSERT_PRODUCT).execute(Tuple.of(id, who.accountId(), who.livemode(),
        pd.productName())).map(v -> id);
  }

  /** A parameter's name under {@code prefix} (lines[2]), or at the top level when the prefix is empty. */
  static String param(String prefix, String... names) {
    StringBuilder b = new StringBuilder(prefix);
    for (String n : names) {
      b.append(b.length() == 0 ? n : "[" + n + "]");
    }
    return b.toString();
  }
}
