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
 * Turns a line as requested into the values stored for it: a fixed amount, a price's cost for a
 * quantity, or a unit amount times a quantity, computed exactly and rounded half up. Fields a
 * request leaves out keep the line's current values: changing only the quantity reprices the line
 * the way it is priced, and a new price keeps the quantity.
 */
final class LinePricer {
  /** What is stored for a line. */
  record Priced(String currency, long amount, Long quantity, BigDecimal quantityDecimal, BigDecimal unitAmountDecimal,
                String price, String product, boolean metered, String pricedBy, String description,
                boolean discountable, JsonObject metadata, Instant periodStart, Instant periodEnd) {}

  /** How a line is priced, before the descriptive fields are merged in. */
  private record Basis(String currency, long amount, BigDecimal quantity, BigDecimal unit, String price,
                       String product, boolean metered, String pricedBy) {}

  private final PriceStore prices;

  LinePricer(PriceStore prices) {
    this.prices = prices;
  }

  /**
   * {@code current}: the line being changed, or null for a new one; {@code currency}: the
   * invoice's, or null when the price decides it (an invoice item of a customer without currency).
   */
  Future<Priced> price(SqlConnection tx, Principal who, LineDraft d, InvoiceLine current, String currency,
                       String param, Instant now) {
    Future<Basis> basis = current != null && !d.repricing() ? Future.succeededFuture(basis(current))
        : reprice(tx, who, d, current, currency, param);
    return basis.map(b -> {
      String description = d.clearDescription() ? null
          : d.description() != null ? d.description() : current == null ? null : current.description();
      boolean discountable = d.discountable() != null ? d.discountable() : current == null || current.discountable();
      JsonObject metadata = d.metadata().applyTo(current == null ? new JsonObject() : current.metadata());
      Instant start = d.periodStart() != null ? d.periodStart() : current != null ? current.periodStart() : now;
      Instant end = d.periodEnd() != null ? d.periodEnd() : current != null ? current.periodEnd() : now;
      if (end.isBefore(start)) {
        throw ApiError.invalid("parameter_invalid_integer", "period[end] must not be before period[start].",
            param(param, "period", "end"));
      }
      BigDecimal q = b.quantity().stripTrailingZeros();
      Long whole = q.scale() <= 0 ? q.longValueExact() : null;
      return new Priced(b.currency(), b.amount(), whole, b.quantity(), b.unit(), b.price(), b.product(), b.metered(),
          b.pricedBy(), description, discountable, metadata, start, end);
    });
  }

  private static Basis basis(InvoiceLine l) {
    return new Basis(l.currency(), l.amount(), l.quantityDecimal() == null ? BigDecimal.ONE : l.quantityDecimal(),
        l.unitAmountDecimal(), l.price(), l.product(), l.metered(), l.pricedBy());
  }

  private Future<Basis> reprice(SqlConnection tx, Principal who, LineDraft d, InvoiceLine current, String currency,
                                String param) {
    if (d.amount() != null) {
      if (currency == null) {
        throw ApiError.missing(param(param, "currency"));
      }
      return Future.succeededFuture(new Basis(currency, d.amount(), BigDecimal.ONE, BigDecimal.valueOf(d.amount()),
          null, null, false, "amount"));
    }
    boolean keepsQuantity = current != null && !"amount".equals(current.pricedBy());
    BigDecimal quantity = d.quantityDecimal() != null ? d.quantityDecimal()
        : d.quantity() != null ? BigDecimal.valueOf(d.quantity())
        : keepsQuantity ? current.quantityDecimal() : BigDecimal.ONE;
    if (d.priceData() != null) {
      LineDraft.PriceData pd = d.priceData();
      String lineCurrency = checkCurrency(pd.currency(), currency, param(param, "price_data", "currency"));
      return product(tx, who, pd, param)
          .map(product -> byUnit(lineCurrency, quantity, pd.unitAmountDecimal(), product, param));
    }
    String priceId = d.price() != null ? d.price() : current == null ? null : current.price();
    if (priceId != null) {
      return prices.findForParam(who, priceId, param(param, "pricing", "price")).map(p -> {
        if (!p.active()) {
          throw ApiError.invalid("price_inactive", "The price " + p.publicId() + " is inactive.",
              param(param, "pricing", "price"));
        }
        String lineCurrency = checkCurrency(p.currency(), currency, param(param, "pricing", "price"));
        BigDecimal cost = Pricing.cost(p, quantity);
        return new Basis(lineCurrency, rounded(cost, param(param, "quantity")), quantity, unitAmount(p, cost, quantity), p.publicId(),
            p.productPublicId(), p.metered(), "price");
      });
    }
    if (current != null && "unit".equals(current.pricedBy())) {
      return Future.succeededFuture(byUnit(current.currency(), quantity, current.unitAmountDecimal(), current.product(),
          param));
    }
    throw ApiError.invalid("parameter_invalid", "This line has a fixed amount; give pricing[price] or price_data to"
        + " price it by quantity.", param(param, "quantity"));
  }

  private static Basis byUnit(String currency, BigDecimal quantity, BigDecimal unit, String product, String param) {
    return new Basis(currency, rounded(unit.multiply(quantity), param(param, "quantity")), quantity, unit, null,
        product, false, "unit");
  }

  /** Half up to a whole amount, within Stripe's bound on amounts ({@code param}: the parameter to blame). */
  static long rounded(BigDecimal cost, String param) {
    if (cost.abs().compareTo(BigDecimal.valueOf(LineParams.MAX_AMOUNT)) >= 0) {
      throw ApiError.invalid("amount_too_large", "The line would cost " + cost.toPlainString() + ", more than the"
          + " 999999999999 an amount can hold.", param);
    }
    return Pricing.round(cost);
  }

  /** Per unit: the price's; tiered: the average the quantity paid, as Stripe shows it. */
  static BigDecimal unitAmount(Price p, BigDecimal cost, BigDecimal quantity) {
    if ("per_unit".equals(p.billingScheme())) {
      return p.unitAmountDecimal();
    }
    return quantity.signum() == 0 ? BigDecimal.ZERO
        : cost.divide(quantity, 12, RoundingMode.HALF_UP).stripTrailingZeros();
  }

  private static String checkCurrency(String given, String expected, String param) {
    if (expected != null && !given.equals(expected)) {
      throw ApiError.invalid("currency_mismatch", "The line's currency (" + given + ") differs from the invoice's ("
          + expected + ").", param);
    }
    return given;
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
