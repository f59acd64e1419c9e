package io.metergate.catalog;

import io.metergate.common.Metadata;
import io.metergate.http.Http;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The price object as Stripe shapes it. As at Stripe, {@code tiers} is present only when expanded;
 * {@code unit_amount} is the integer form of {@code unit_amount_decimal} when that is whole.
 */
public final class PriceJson {
  private PriceJson() {}

  public static JsonObject render(Price p, boolean withTiers) {
    JsonObject json = new JsonObject()
        .put("id", p.publicId())
        .put("object", "price")
        .put("active", p.active())
        .put("billing_scheme", p.billingScheme())
        .put("created", Http.epoch(p.created()))
        .put("currency", p.currency())
        .put("custom_unit_amount", null)
        .put("livemode", p.livemode())
        .put("lookup_key", p.lookupKey())
        .put("metadata", Metadata.toJson(p.metadata()))
        .put("nickname", p.nickname())
        .put("product", p.productPublicId())
        .put("recurring", recurring(p))
        .put("tax_behavior", p.taxBehavior())
        .put("tiers_mode", p.tiersMode())
        .put("transform_quantity", null)
        .put("type", p.type())
        .put("unit_amount", Amounts.whole(p.unitAmountDecimal()))
        .put("unit_amount_decimal", Amounts.text(p.unitAmountDecimal()));
    if (withTiers) {
      json.put("tiers", tiers(p));
    }
    return json;
  }

  private static JsonObject recurring(Price p) {
    if (!p.recurring()) {
      return null;
    }
    return new JsonObject()
        .put("interval", p.interval())
        .put("interval_count", p.intervalCount())
        .put("meter", p.meterPublicId())
        .put("trial_period_days", null)
        .put("usage_type", p.usageType());
  }

  /** An empty array for a per-unit price: the field is an array whenever it is expanded. */
  private static JsonArray tiers(Price p) {
    JsonArray out = new JsonArray();
    if (p.tiers() == null) {
      return out;
    }
    p.tiers().forEach(t -> out.add(new JsonObject()
        .put("flat_amount", Amounts.whole(t.flatAmountDecimal()))
        .put("flat_amount_decimal", Amounts.text(t.flatAmountDecimal()))
        .put("unit_amount", Amounts.whole(t.unitAmountDecimal()))
        .put("unit_amount_decimal", Amounts.text(t.unitAmountDecimal()))
        .put("up_to", t.upTo())));
    return out;
  }
}
