package io.metergate.subscriptions;

import io.metergate.catalog.Price;
import io.metergate.common.ApiError;
import io.metergate.common.ListRequest;
import io.metergate.common.Metadata;
import io.metergate.common.ParamRules;
import io.metergate.common.Params;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A validated POST /v1/subscriptions request. The start is backdate_start_date (not in the future)
 * or now; the billing cycle anchor defaults to the start and may lie after it by at most one full
 * period, in which case [start, anchor) is a shorter first period.
 */
record SubscriptionDraft(String customer, List<Item> items, Instant start, Instant anchor, String currency,
                         Map<String, String> metadata) {
  record Item(String price, Long quantity, Map<String, String> metadata) {}

  /** What the items' prices settle: the currency and the billing interval, shared by every item. */
  record Terms(String currency, String interval, int intervalCount, List<Price> prices) {}

  static final int MAX_ITEMS = 20;
  /** Prices recur at most every three years; checked before the prices are known, so no Instant overflows. */
  private static final long LONGEST_PERIOD_SECONDS = 3L * 366 * 86_400;
  private static final List<String> UNSUPPORTED = List.of("add_invoice_items", "application_fee_percent",
      "automatic_tax", "billing_cycle_anchor_config", "billing_mode", "billing_schedules", "billing_thresholds",
      "cancel_at", "cancel_at_period_end", "customer_account", "days_until_due", "default_payment_method",
      "default_source", "default_tax_rates", "description", "discounts", "invoice_settings", "on_behalf_of",
      "payment_settings", "pending_invoice_item_interval", "proration_behavior", "transfer_data", "trial_end",
      "trial_from_plan", "trial_period_days", "trial_settings");
  private static final Set<String> CREATE = Set.of("customer", "items", "backdate_start_date", "billing_cycle_anchor",
      "currency", "metadata", "collection_method", "payment_behavior", "off_session", "expand");
  private static final List<String> ITEM_UNSUPPORTED = List.of("price_data", "plan", "tax_rates", "discounts",
      "billing_thresholds");

  static SubscriptionDraft from(Params p, Instant now, Set<String> expandable) {
    ParamRules.refuseUnsupported(p, UNSUPPORTED);
    p.allowOnly(CREATE);
    ListRequest.checkExpand(p, expandable);
    String customer = p.requiredString("customer", 255);
    List<Item> items = items(p);
    acceptHarmless(p);
    Instant start = start(p, now);
    String currency = p.optionalString("currency", 3);
    return new SubscriptionDraft(customer, items, start, anchor(p, start),
        currency == null ? null : currency.toLowerCase(Locale.ROOT), Metadata.parse(p).applyTo(Map.of()));
  }

  /** The start when not given; never before it, and within the first full period (see {@link #terms}). */
  private static Instant anchor(Params p, Instant start) {
    Long anchor = p.optionalInteger("billing_cycle_anchor");
    if (anchor == null) {
      return start;
    }
    if (anchor < start.getEpochSecond()) {
      throw ApiError.invalid("parameter_invalid_integer", "Invalid billing_cycle_anchor: it must not be before the"
          + " subscription's start (" + start.getEpochSecond() + ").", "billing_cycle_anchor");
    }
    if (anchor - start.getEpochSecond() > LONGEST_PERIOD_SECONDS) {
      throw anchorTooLate(start.plusSeconds(LONGEST_PERIOD_SECONDS));
    }
    return Instant.ofEpochSecond(anchor);
  }

  /**
   * Accepted and without effect, because no payment is ever attempted here: collection_method
   * charge_automatically (the only method), payment_behavior allow_incomplete or error_if_incomplete
   * (the subscription is active either way), off_session. Values that would change the outcome
   * (send_invoice, default_incomplete, pending_if_incomplete) are refused.
   */
  private static void acceptHarmless(Params p) {
    String method = p.optionalEnum("collection_method", List.of("charge_automatically", "send_invoice"));
    if ("send_invoice".equals(method)) {
      throw ApiError.invalid("parameter_unsupported",
          "collection_method=send_invoice is not supported by Metergate.", "collection_method");
    }
    String behavior = p.optionalEnum("payment_behavior",
        List.of("allow_incomplete", "default_incomplete", "error_if_incomplete", "pending_if_incomplete"));
    if ("default_incomplete".equals(behavior) || "pending_if_incomplete".equals(behavior)) {
      throw ApiError.invalid("parameter_unsupported", "payment_behavior=" + behavior
          + " is not supported: Metergate collects no payments, so subscriptions start active.", "payment_behavior");
    }
    ParamRules.optionalBoolean(p, "off_session");
  }

  private static Instant start(Params p, Instant now) {
    Long backdate = p.optionalInteger("backdate_start_date");
    if (backdate == null) {
      return now;
    }
    if (backdate < 1 || backdate > now.getEpochSecond()) {
      throw ApiError.invalid("parameter_invalid_integer",
          "Invalid backdate_start_date: it must be a Unix time in the past.", "backdate_start_date");
    }
    return Instant.ofEpochSecond(backdate);
  }

  private static List<Item> items(Params p) {
    List<Object> given = p.optionalArray("items");
    if (given == null || given.isEmpty()) {
      throw ApiError.missing("items");
    }
    if (given.size() > MAX_ITEMS) {
      throw ApiError.invalid("parameter_invalid_array",
          "Invalid items: a subscription has at most " + MAX_ITEMS + " items.", "items");
    }
    List<Item> items = new ArrayList<>(given.size());
    Set<String> prices = new HashSet<>();
    for (int i = 0; i < given.size(); i++) {
      Params item = p.element("items", i, given.get(i));
      ParamRules.refuseUnsupported(item, ITEM_UNSUPPORTED);
      item.allowOnly(Set.of("price", "quantity", "metadata"));
      String price = item.requiredString("price", 255);
      if (!prices.add(price)) {
        throw ApiError.invalid("parameter_invalid", "Invalid " + item.path("price")
            + ": a price can be on a subscription only once.", item.path("price"));
      }
      Long quantity = item.optionalInteger("quantity");
      if (quantity != null && quantity < 0) {
        throw ApiError.invalid("parameter_invalid_integer", "Invalid " + item.path("quantity")
            + ": must be at least 0.", item.path("quantity"));
      }
      items.add(new Item(price, quantity, Metadata.parse(item).applyTo(Map.of())));
    }
    return items;
  }

  /**
   * Checks the items against their prices (by public id; absent means not the caller's): every price
   * recurring and active, one currency and one interval, quantities only for licensed prices, and an
   * anchor within the first full period.
   */
  Terms terms(Map<String, Price> prices) {
    List<Price> resolved = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      String param = "items[" + i + "][price]";
      Price price = prices.get(items.get(i).price());
      if (price == null) {
        throw ApiError.invalid("resource_missing", "No such price: '" + items.get(i).price() + "'", param);
      }
      if (!price.recurring()) {
        throw invalid(param, "The price " + price.publicId() + " is one-time; subscription items need recurring prices.");
      }
      if (!price.active()) {
        throw invalid(param, "The price " + price.publicId() + " is inactive; only active prices can be subscribed to.");
      }
      if (price.metered() && items.get(i).quantity() != null) {
        throw invalid("items[" + i + "][quantity]", "A metered price has no quantity: its usage comes from the meter "
            + price.meterPublicId() + ".");
      }
      Price first = resolved.isEmpty() ? price : resolved.get(0);
      if (!price.currency().equals(first.currency())) {
        throw invalid(param, "All prices on a subscription must have the same currency (" + first.currency() + ").");
      }
      if (!price.interval().equals(first.interval()) || !price.intervalCount().equals(first.intervalCount())) {
        throw invalid(param, "All prices on a subscription must have the same recurring interval and interval_count ("
            + first.intervalCount() + " " + first.interval() + ").");
      }
      resolved.add(price);
    }
    Price first = resolved.get(0);
    if (currency != null && !currency.equals(first.currency())) {
      throw invalid("currency", "The currency must be the prices' currency, " + first.currency() + ".");
    }
    Instant firstFullEnd = Periods.containing(start, first.interval(), first.intervalCount(), start).end();
    if (anchor.isAfter(firstFullEnd)) {
      throw anchorTooLate(firstFullEnd);
    }
    return new Terms(first.currency(), first.interval(), first.intervalCount(), resolved);
  }

  private static ApiError anchorTooLate(Instant limit) {
    return ApiError.invalid("parameter_invalid_integer", "Invalid billing_cycle_anchor: it must be no later than one"
        + " full period after the start (" + limit.getEpochSecond() + ").", "billing_cycle_anchor");
  }

  private static ApiError invalid(String param, String message) {
    return ApiError.invalid("parameter_invalid", message, param);
  }
}
