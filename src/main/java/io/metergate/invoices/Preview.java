package io.metergate.invoices;

import io.metergate.accounts.Principal;
import io.metergate.catalog.Price;
import io.metergate.catalog.Pricing;
import io.metergate.common.ApiError;
import io.metergate.credits.CreditLedger;
import io.metergate.customers.Customer;
import io.metergate.customers.CustomerStore;
import io.metergate.meters.MeterStore;
import io.metergate.subscriptions.Periods;
import io.metergate.subscriptions.Subscription;
import io.metergate.subscriptions.SubscriptionStore;
import io.metergate.usage.Aggregation;
import io.metergate.usage.UsageReader;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The customer's upcoming invoice, computed and not stored: for the subscription whose period
 * ends first (or the one asked for), each metered price bills the meter's usage in the current
 * period (the customer's summary over it, as GET event_summaries computes it), each licensed price
 * its quantity for the next period; pending invoice items are added; billing credits then pay the
 * lines they cover, before tax, and the customer's balance is applied. Nothing is consumed.
 */
final class Preview {
  /** A computed upcoming invoice; {@code subscription} is null when only pending items are billed. */
  record Upcoming(InvoiceView view, Subscription subscription, String customer) {}

  private final Pool pool;
  private final CustomerStore customers;
  private final SubscriptionStore subscriptions;
  private final MeterStore meters;
  private final Clock clock;

  Preview(Pool pool, CustomerStore customers, SubscriptionStore subscriptions, MeterStore meters, Clock clock) {
    this.pool = pool;
    this.customers = customers;
    this.subscriptions = subscriptions;
    this.meters = meters;
    this.clock = clock;
  }

  Future<Upcoming> upcoming(Principal who, String customerId, String subscriptionId) {
    Instant now = clock.instant();
    return customers.findForParam(who, customerId, "customer").compose(customer -> chooseSubscription(who, customer,
        subscriptionId).compose(sub -> currencyOf(customer, sub).compose(currency -> {
          List<Future<InvoiceLine>> lines = new ArrayList<>();
          Periods.Period period = sub == null ? new Periods.Period(now, now) : sub.periodAt(now);
          if (sub != null) {
            for (Subscription.Item item : sub.items()) {
              lines.add(item.price().metered() ? usageLine(who, customer, sub, item, period)
                  : licensedLine(sub, item, sub.periodAt(period.end())));
            }
          }
          return Future.all(lines)
              .compose(v -> pendingItems(customer, currency))
              .compose(pending -> {
                List<InvoiceLine> all = new ArrayList<>();
                lines.forEach(f -> all.add(f.result()));
                all.addAll(pending);
                if (all.isEmpty()) {
                  throw ApiError.invalid("invoice_upcoming_none", "No upcoming invoices for customer: "
                      + customer.publicId(), "customer");
                }
                return describe(who, all);
              })
              .compose(all -> CreditLedger.usable(pool, customer.id(), currency, now, false).map(grants -> {
                List<InvoiceLine> credited = Billing.credit(all, grants);
                long balance = InvoiceStore.sameCurrency(customer.currency(), currency) ? customer.balance() : 0;
                Invoice inv = new Invoice(0, null, who.accountId(), who.livemode(), customer.id(), customer.publicId(),
                    customer.name(), customer.email(), customer.phone(), customer.balance(), customer.currency(),
                    "draft", currency, null, new JsonObject(), "charge_automatically", null, false, null,
                    period.start(), period.end(), balance, null, 0, now, null, null, null);
                return new Upcoming(new InvoiceView(inv, credited, Billing.totals(credited, balance)), sub,
                    customer.publicId());
              }));
        })));
  }

  /** The subscription's currency, else the customer's, else that of the customer's oldest pending item. */
  private Future<String> currencyOf(Customer customer, Subscription sub) {
    if (sub != null) {
      return Future.succeededFuture(sub.currency());
    }
    if (customer.currency() != null) {
      return Future.succeededFuture(customer.currency());
    }
    return pool.preparedQuery(InvoiceSql.PENDING_CURRENCY).execute(Tuple.of(customer.id()))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString(0));
  }

  private Future<Subscription> chooseSubscription(Principal who, Customer customer, String subscriptionId) {
    if (subscriptionId != null) {
      return subscriptions.findForParam(who, subscriptionId, "subscription").map(s -> {
        if (s.customerId() != customer.id() || !"active".equals(s.status())) {
          throw ApiError.invalid("invoice_upcoming_none", "The subscription " + subscriptionId
              + " is not an active subscription of " + customer.publicId() + ".", "subscription");
        }
        return s;
      });
    }
    Instant now = clock.instant();
    return subscriptions.active(who, customer.id()).map(all -> all.stream()
        .min(Comparator.comparing((Subscription s) -> s.periodAt(now).end()).thenComparing(Subscription::created))
        .orElse(null));
  }

  /** The meter's usage for the customer over the period, priced; a negative total bills nothing. */
  private Future<InvoiceLine> usageLine(Principal who, Customer customer, Subscription sub, Subscription.Item item,
                                        Periods.Period period) {
    Price price = item.price();
    // usage is aggregated per minute, so a period bills the minutes its start and end fall in:
    // [minute of start, minute of end). Neighbouring periods share that boundary minute, so every
    // event is billed in exactly one period, never twice and never in none
    long start = Math.floorDiv(period.start().getEpochSecond(), 60) * 60;
    long end = Math.floorDiv(period.end().getEpochSecond(), 60) * 60;
    return meters.find(who, price.meterPublicId()).compose(meter -> {
      Aggregation.Spec spec = Aggregation.Spec.of(meter.formula(), meter.eventTimeWindow());
      Aggregation.Range range = Aggregation.fetchRange(spec, start, end);
      return UsageReader.items(pool, List.of(new UsageReader.Request(meter.id(), customer.publicId(),
              range.fromMinute(), range.toMinute())))
          .map(items -> {
            BigDecimal usage = Aggregation.summarize(spec, start, end, 0, items.get(0)).get(0).value().max(BigDecimal.ZERO);
            return subscriptionLine(sub, item, usage, period, true);
          });
    });
  }

  /** Licensed prices are billed in advance, for the next period. */
  private static Future<InvoiceLine> licensedLine(Subscription sub, Subscription.Item item, Periods.Period next) {
    long quantity = item.quantity() == null ? 1 : item.quantity();
    return Future.succeededFuture(subscriptionLine(sub, item, BigDecimal.valueOf(quantity), next, false));
  }

  private static InvoiceLine subscriptionLine(Subscription sub, Subscription.Item item, BigDecimal quantity,
                                              Periods.Period period, boolean metered) {
    Price price = item.price();
    BigDecimal cost = Pricing.cost(price, quantity);
    BigDecimal q = quantity.stripTrailingZeros();
    Long whole = q.scale() <= 0 ? q.longValueExact() : null;
    BigDecimal unit = LinePricer.unitAmount(price, cost, quantity);
    return new InvoiceLine(0, tmpId(item.publicId() + "/" + period.start().getEpochSecond()), null, sub.publicId(),
        item.publicId(), price.currency(), LinePricer.rounded(cost, "customer"), whole, quantity, unit,
        price.publicId(), price.productPublicId(), metered, "price", null, true, new JsonObject(), period.start(),
        period.end(), List.of());
  }

  private Future<List<InvoiceLine>> pendingItems(Customer customer, String currency) {
    if (currency == null) {
      return Future.succeededFuture(List.of());
    }
    return pool.preparedQuery(InvoiceSql.PENDING_ITEMS).execute(Tuple.of(customer.id(), currency)).map(rows -> {
      List<InvoiceLine> out = new ArrayList<>();
      rows.forEach(r -> {
        InvoiceLine l = Rows.line(r);
        out.add(new InvoiceLine(l.rowId(), tmpId(l.invoiceItem()), l.invoiceItem(), null, null, l.currency(), l.amount(),
            l.quantity(), l.quantityDecimal(), l.unitAmountDecimal(), l.price(), l.product(), l.metered(),
            l.pricedBy(), l.description(), l.discountable(), l.metadata(), l.periodStart(), l.periodEnd(), List.of()));
      });
      return out;
    });
  }

  /** Subscription lines are described as Stripe describes them: "quantity × product". */
  private Future<List<InvoiceLine>> describe(Principal who, List<InvoiceLine> lines) {
    String[] products = lines.stream().map(InvoiceLine::product).filter(p -> p != null).distinct().toArray(String[]::new);
    return pool.preparedQuery(InvoiceSql.PRODUCT_NAMES)
        .execute(Tuple.tuple().addArrayOfString(products).addLong(who.accountId()).addBoolean(who.livemode()))
        .map(rows -> {
          Map<String, String> names = new java.util.HashMap<>();
          rows.forEach(r -> names.put(r.getString("public_id"), r.getString("name")));
          List<InvoiceLine> out = new ArrayList<>();
          for (InvoiceLine l : lines) {
            if (l.subscriptionItem() == null) {
              out.add(l);
              continue;
            }
            String name = names.getOrDefault(l.product(), l.product());
            String description = InvoiceJson.decimal(l.quantityDecimal()) + " × " + name
                + (l.metered() ? " (usage)" : "");
            out.add(new InvoiceLine(l.rowId(), l.id(), l.invoiceItem(), l.subscription(), l.subscriptionItem(),
                l.currency(), l.amount(), l.quantity(), l.quantityDecimal(), l.unitAmountDecimal(), l.price(),
                l.product(), l.metered(), l.pricedBy(), description, l.discountable(), l.metadata(), l.periodStart(),
                l.periodEnd(), l.credits()));
          }
          return out;
        });
  }

  /** Preview lines are not stored; a stable id lets a client page through them. */
  static String tmpId(String source) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(source.getBytes(StandardCharsets.UTF_8));
      return "il_tmp_" + HexFormat.of().formatHex(d, 0, 12);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
