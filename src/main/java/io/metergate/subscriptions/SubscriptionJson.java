package io.metergate.subscriptions;

import io.metergate.catalog.PriceJson;
import io.metergate.common.Metadata;
import io.metergate.http.Http;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * The subscription object as Stripe shapes it in 2026-07-29.dahlia: current_period_start and _end
 * live on the items. The current period is the one containing {@code now}, or for a canceled
 * subscription the one it ended in. What this gateway does not model is null, empty or off.
 */
public final class SubscriptionJson {
  private SubscriptionJson() {}

  public static JsonObject render(Subscription s, Instant now, boolean withTiers) {
    Periods.Period current = s.periodAt(s.canceledAt() == null ? now : s.canceledAt());
    JsonArray items = new JsonArray();
    s.items().forEach(i -> items.add(item(s, i, current, withTiers)));
    Subscription.Cancellation c = s.cancellation();
    return new JsonObject()
        .put("id", s.publicId())
        .put("object", "subscription")
        .put("application", null)
        .put("application_fee_percent", null)
        .put("automatic_tax", new JsonObject().put("disabled_reason", null).put("enabled", false)
            .put("liability", null))
        .put("billing_cycle_anchor", Http.epoch(s.billingCycleAnchor()))
        .put("billing_cycle_anchor_config", null)
        .put("billing_thresholds", null)
        .put("cancel_at", null)
        .put("cancel_at_period_end", false)
        .put("canceled_at", Http.epoch(s.canceledAt()))
        .put("cancellation_details", new JsonObject().put("comment", c == null ? null : c.comment())
            .put("feedback", c == null ? null : c.feedback())
            .put("reason", c == null ? null : "cancellation_requested"))
        .put("collection_method", "charge_automatically")
        .put("created", Http.epoch(s.created()))
        .put("currency", s.currency())
        .put("customer", s.customerPublicId())
        .put("days_until_due", null)
        .put("default_payment_method", null)
        .put("default_source", null)
        .put("default_tax_rates", new JsonArray())
        .put("description", null)
        .put("discounts", new JsonArray())
        .put("ended_at", Http.epoch(s.canceledAt()))
        .put("invoice_settings", new JsonObject().put("account_tax_ids", null)
            .put("issuer", new JsonObject().put("type", "self")))
        .put("items", new JsonObject().put("object", "list").put("data", items).put("has_more", false)
            .put("total_count", items.size()).put("url", "/v1/subscription_items?subscription=" + s.publicId()))
        .put("latest_invoice", null)
        .put("livemode", s.livemode())
        .put("metadata", Metadata.toJson(s.metadata()))
        .put("next_pending_invoice_item_invoice", null)
        .put("on_behalf_of", null)
        .put("pause_collection", null)
        .put("pending_invoice_item_interval", null)
        .put("pending_setup_intent", null)
        .put("pending_update", null)
        .put("schedule", null)
        .put("start_date", Http.epoch(s.startDate()))
        .put("status", s.status())
        .put("test_clock", null)
        .put("transfer_data", null)
        .put("trial_end", null)
        .put("trial_start", null);
  }

  private static JsonObject item(Subscription s, Subscription.Item i, Periods.Period current, boolean withTiers) {
    return new JsonObject()
        .put("id", i.publicId())
        .put("object", "subscription_item")
        .put("billing_thresholds", null)
        .put("created", Http.epoch(i.created()))
        .put("current_period_end", Http.epoch(current.end()))
        .put("current_period_start", Http.epoch(current.start()))
        .put("discounts", new JsonArray())
        .put("metadata", Metadata.toJson(i.metadata()))
        .put("price", PriceJson.render(i.price(), withTiers))
        .put("quantity", i.quantity())
        .put("subscription", s.publicId())
        .put("tax_rates", new JsonArray());
  }
}
