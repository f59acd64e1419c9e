package io.metergate.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.metergate.usage.Aggregation.Spec;
import io.metergate.usage.Aggregation.Window;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Aggregation: formulas, event time windows and summary windows")
class AggregationTest {
  private static final long T0 = 1_700_006_400L; // a UTC midnight
  private static final Spec SUM = new Spec(Aggregation.Formula.SUM, 0);
  private static final Spec COUNT = new Spec(Aggregation.Formula.COUNT, 0);
  private static final Spec LAST = new Spec(Aggregation.Formula.LAST, 0);

  private static UsageItem event(long secondsAfterT0, String value, long id) {
    long at = T0 + secondsAfterT0;
    BigDecimal v = value == null ? null : new BigDecimal(value);
    return new UsageItem(Math.floorDiv(at, 60), v == null ? BigDecimal.ZERO : v, 1,
        new UsageItem.Latest(at * 1_000_000L, id, v));
  }

  private static List<String> values(List<Window> windows) {
    return windows.stream().map(w -> w.value().stripTrailingZeros().toPlainString()).toList();
  }

  @Test
  @DisplayName("sum adds exactly, with no floating-point drift over many small values")
  void sumIsExact() {
    List<UsageItem> items = new java.util.ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      items.add(event(i, "0.1", i));
    }
    assertThat(Aggregation.summarize(SUM, T0, T0 + 3600, 0, items).get(0).value()).isEqualByComparingTo("100");
  }

  @Test
  @DisplayName("grouping by hour leaves out hours without events and keeps the range's bounds")
  void hourlyWindows() {
    List<UsageItem> items = List.of(event(10, "1", 1), event(7300, "2", 2));
    List<Window> w = Aggregation.summarize(COUNT, T0, T0 + 3 * 3600, Aggregation.HOUR, items);
    assertThat(w).extracting(Window::start).containsExactly(T0, T0 + 7200);
    assertThat(w).extracting(Window::end).containsExactly(T0 + 3600, T0 + 3 * 3600);
    assertThat(values(w)).containsExactly("1", "1");
  }

  @Test
  @DisplayName("without grouping an empty range still has its one window, worth zero")
  void emptyRange() {
    assertThat(values(Aggregation.summarize(LAST, T0, T0 + 60, 0, List.of()))).containsExactly("0");
  }

  @Test
  @DisplayName("last picks the latest timestamp, then the higher id on a tie")
  void lastTieBreak() {
    List<UsageItem> items = List.of(event(100, "5", 9), event(200, "6", 1), event(200, "7", 2));
    assertThat(values(Aggregation.summarize(LAST, T0, T0 + 3600, 0, items))).containsExactly("7");
  }

  @Test
  @DisplayName("an event_time_window keeps the latest event per bucket and places it by its own time")
  void windowedMeter() {
    Spec hourlySum = new Spec(Aggregation.Formula.SUM, Aggregation.HOUR);
    Spec hourlyCount = new Spec(Aggregation.Formula.COUNT, Aggregation.HOUR);
    List<UsageItem> items = List.of(event(600, "5", 1), event(3000, "7", 2), event(1200, "100", 3),
        event(3600 + 600, "1", 4));
    assertThat(values(Aggregation.summarize(hourlySum, T0, T0 + 7200, 0, items))).containsExactly("8");
    assertThat(values(Aggregation.summarize(hourlyCount, T0, T0 + 7200, 0, items))).containsExactly("2");
    assertThat(values(Aggregation.summarize(hourlySum, T0, T0 + 1800, 0, items)))
        .as("the first hour's latest event lies after the range").containsExactly("0");
  }

  @Test
  @DisplayName("a windowed meter reads whole buckets around the range; a raw meter reads just the range")
  void fetchRange() {
    Spec daily = new Spec(Aggregation.Formula.SUM, Aggregation.DAY);
    assertThat(Aggregation.fetchRange(SUM, T0 + 120, T0 + 600)).isEqualTo(new Aggregation.Range((T0 + 120) / 60,
        (T0 + 600) / 60));
    assertThat(Aggregation.fetchRange(daily, T0 + 120, T0 + 600))
        .isEqualTo(new Aggregation.Range(T0 / 60, (T0 + Aggregation.DAY) / 60));
  }

  @Test
  @DisplayName("aggregate items whose events were all canceled count for nothing")
  void emptiedItems() {
    UsageItem emptied = new UsageItem(T0 / 60, BigDecimal.ZERO, 0, null);
    assertThat(Aggregation.summarize(COUNT, T0, T0 + 3600, Aggregation.HOUR, List.of(emptied))).isEmpty();
  }
}
