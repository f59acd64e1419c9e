package io.metergate.invoices;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Invoice arithmetic: credits before the customer balance, balances carried either way")
class BillingTest {
  private static InvoiceLine line(long amount, long... credits) {
    List<InvoiceLine.Credit> c = java.util.Arrays.stream(credits).mapToObj(a -> new InvoiceLine.Credit(a, null)).toList();
    return new InvoiceLine(0, "il_x", "ii_x", null, null, "usd", amount, 1L, BigDecimal.ONE, BigDecimal.valueOf(amount),
        null, null, false, "amount", null, true, new JsonObject(), Instant.EPOCH, Instant.EPOCH, c);
  }

  @Test
  @DisplayName("credits lower the total; a credit balance pays what is left, up to the total")
  void creditBalance() {
    Billing.Totals t = Billing.totals(List.of(line(6500, 2000), line(500)), -1000);
    assertThat(t.subtotal()).isEqualTo(7000);
    assertThat(t.credits()).isEqualTo(2000);
    assertThat(t.total()).isEqualTo(5000);
    assertThat(t.startingBalance()).isEqualTo(-1000);
    assertThat(t.endingBalance()).isZero();
    assertThat(t.amountDue()).isEqualTo(4000);
  }

  @Test
  @DisplayName("a credit balance larger than the total leaves the rest for later and nothing due")
  void largeCreditBalance() {
    Billing.Totals t = Billing.totals(List.of(line(300)), -500);
    assertThat(t.amountDue()).isZero();
    assertThat(t.endingBalance()).isEqualTo(-200);
  }

  @Test
  @DisplayName("a debit balance is added to what is due; a negative total becomes credit")
  void debitsAndNegativeTotals() {
    Billing.Totals owed = Billing.totals(List.of(line(100)), 300);
    assertThat(owed.amountDue()).isEqualTo(400);
    assertThat(owed.endingBalance()).isZero();
    Billing.Totals negative = Billing.totals(List.of(line(-100)), 0);
    assertThat(negative.amountDue()).isZero();
    assertThat(negative.endingBalance()).isEqualTo(-100);
  }

  @Test
  @DisplayName("a finalized invoice's amount due follows from the balance it recorded")
  void recorded() {
    Billing.Totals t = Billing.recorded(List.of(line(6500, 2000)), -1000, 0);
    assertThat(t.amountDue()).isEqualTo(3500);
  }
}
