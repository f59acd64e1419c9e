package io.metergate.testing;

import com.stripe.param.billing.MeterCreateParams;

/** The meter most tests need: sum aggregation, default payload keys. */
public final class Meters {
  private Meters() {}

  public static MeterCreateParams sum(String eventName, String displayName) {
    return MeterCreateParams.builder()
        .setDisplayName(displayName)
        .setEventName(eventName)
        .setDefaultAggregation(MeterCreateParams.DefaultAggregation.builder()
            .setFormula(MeterCreateParams.DefaultAggregation.Formula.SUM).build())
        .build();
  }
}
