package io.metergate.testing;

import com.stripe.param.billing.CreditGrantCreateParams;
import com.stripe.param.billing.CreditGrantCreateParams.Amount;
import com.stripe.param.billing.CreditGrantCreateParams.ApplicabilityConfig;
import com.stripe.param.billing.CreditGrantCreateParams.ApplicabilityConfig.Scope;

/** Credit grant requests most tests need. */
public final class Credits {
  private Credits() {}

  public static Amount amount(String currency, long value) {
    return Amount.builder().setType(Amount.Type.MONETARY)
        .setMonetary(Amount.Monetary.builder().setCurrency(currency).setValue(value).build()).build();
  }

  /** A grant usable on every metered price. */
  public static CreditGrantCreateParams.Builder metered(String customer, String currency, long value) {
    return CreditGrantCreateParams.builder().setCustomer(customer).setAmount(amount(currency, value))
        .setApplicabilityConfig(ApplicabilityConfig.builder().setScope(
            Scope.builder().setPriceType(Scope.PriceType.METERED).build()).build());
  }

  /** A grant usable on the listed prices only. */
  public static CreditGrantCreateParams.Builder forPrices(String customer, String currency, long value,
                                                         String... prices) {
    Scope.Builder scope = Scope.builder();
    for (String price : prices) {
      scope.addPrice(Scope.Price.builder().setId(price).build());
    }
    return CreditGrantCreateParams.builder().setCustomer(customer).setAmount(amount(currency, value))
        .setApplicabilityConfig(ApplicabilityConfig.builder().setScope(scope.build()).build());
  }
}
