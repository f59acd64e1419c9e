package io.metergate.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Pricing: exact costs of per-unit, graduated and volume prices, rounded half up")
class PricingTest {
  /** up_to 1000 at 0.5; up_to 10000 at 0.4 plus 100 flat; then 0.3. */
  private static final List<Price.Tier> TIERS = List.of(
      tier(1000L, "0.5", null), tier(10000L, "0.4", "100"), tier(null, "0.3", null));

  private static Price.Tier tier(Long upTo, String unit, String flat) {
    return new Price.Tier(upTo, unit == null ? null : new BigDecimal(unit), flat == null ? null : new BigDecimal(flat));
  }

  private static Price perUnit(String unitAmount) {
    return price("per_unit", new BigDecimal(unitAmount), null, null);
  }

  private static Price tiered(String mode, List<Price.Tier> tiers) {
    return price("tiered", null, mode, tiers);
  }

  private static Price price(String scheme, BigDecimal unit, String mode, List<Price.Tier> tiers) {
    return new Price(1, "price_x", 1, false, "prod_x", "usd", true, null, "recurring", scheme, unit, mode, tiers,
        "month", 1, "metered", 1L, "mtr_x", Instant.EPOCH);
  }

  private static BigDecimal cost(Price price, String quantity) {
    return Pricing.cost(price, new BigDecimal(quantity));
  }

  @Test
  @DisplayName("per_unit multiplies the quantity by the unit amount, whole or fractional, exactly")
  void perUnit() {
    assertThat(cost(perUnit("1000"), "3")).isEqualByComparingTo("3000");
    assertThat(cost(perUnit("0.5"), "3")).isEqualByComparingTo("1.5");
    assertThat(cost(perUnit("0.1"), "3")).as("no binary floating point").isEqualByComparingTo("0.3");
    assertThat(cost(perUnit("2.5"), "0.4")).isEqualByComparingTo("1");
    assertThat(cost(perUnit("0.000000000001"), "1000000000000")).isEqualByComparingTo("1");
    assertThat(cost(perUnit("12.345"), "0.001")).isEqualByComparingTo("0.012345");
  }

  @Test
  @DisplayName("zero and negative quantities cost nothing, whatever the scheme and flat amounts")
  void zeroAndNegative() {
    List<Price.Tier> flatFirst = List.of(tier(10L, "0", "500"), tier(null, "2", null));
    for (Price p : List.of(perUnit("7"), tiered("graduated", TIERS), tiered("volume", TIERS),
        tiered("graduated", flatFirst), tiered("volume", flatFirst))) {
      assertThat(cost(p, "0")).isEqualByComparingTo("0");
      assertThat(cost(p, "-5")).isEqualByComparingTo("0");
    }
  }

  @Test
  @DisplayName("graduated adds each tier's units at its own amount, plus the flat amount of every tier reached")
  void graduated() {
    Price p = tiered("graduated", TIERS);
    assertThat(cost(p, "1")).isEqualByComparingTo("0.5");
    assertThat(cost(p, "1000")).as("up_to is inclusive; tier 2 not reached").isEqualByComparingTo("500");
    assertThat(cost(p, "1001")).as("500 + 1 x 0.4 + 100").isEqualByComparingTo("600.4");
    assertThat(cost(p, "1000.5")).as("half a unit reaches tier 2").isEqualByComparingTo("600.2");
    assertThat(cost(p, "10000")).as("500 + 9000 x 0.4 + 100").isEqualByComparingTo("4200");
    assertThat(cost(p, "25000")).as("500 + 3600 + 100 + 15000 x 0.3").isEqualByComparingTo("8700");
  }

  @Test
  @DisplayName("graduated charges a first tier's flat amount from the first unit")
  void graduatedFlatFirstTier() {
    Price p = tiered("graduated", List.of(tier(10L, null, "500"), tier(null, "2", null)));
    assertThat(cost(p, "1")).isEqualByComparingTo("500");
    assertThat(cost(p, "10")).isEqualByComparingTo("500");
    assertThat(cost(p, "11")).isEqualByComparingTo("502");
  }

  @Test
  @DisplayName("volume prices the whole quantity at the tier it falls in, plus that tier's flat amount")
  void volume() {
    Price p = tiered("volume", TIERS);
    assertThat(cost(p, "1")).isEqualByComparingTo("0.5");
    assertThat(cost(p, "1000")).isEqualByComparingTo("500");
    assertThat(cost(p, "1001")).as("1001 x 0.4 + 100").isEqualByComparingTo("500.4");
    assertThat(cost(p, "1000.5")).isEqualByComparingTo("500.2");
    assertThat(cost(p, "10000")).isEqualByComparingTo("4100");
    assertThat(cost(p, "25000")).as("25000 x 0.3, no flat").isEqualByComparingTo("7500");
  }

  @Test
  @DisplayName("round is half up to a whole amount, and refuses what a long cannot hold")
  void round() {
    assertThat(Pricing.round(new BigDecimal("0.5"))).isEqualTo(1);
    assertThat(Pricing.round(new BigDecimal("1.5"))).isEqualTo(2);
    assertThat(Pricing.round(new BigDecimal("2.5"))).isEqualTo(3);
    assertThat(Pricing.round(new BigDecimal("2.4999999999999"))).isEqualTo(2);
    assertThat(Pricing.round(new BigDecimal("600.4"))).isEqualTo(600);
    assertThat(Pricing.round(new BigDecimal("0.000000000001"))).isZero();
    assertThat(Pricing.round(BigDecimal.ZERO)).isZero();
    assertThatThrownBy(() -> Pricing.round(new BigDecimal("1e30"))).isInstanceOf(ArithmeticException.class);
  }
}
