package io.metergate.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.metergate.subscriptions.Periods.Period;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Periods: anchored billing periods in UTC calendar arithmetic")
class PeriodsTest {
  private static Instant t(String iso) {
    return Instant.parse(iso);
  }

  private static Period period(String start, String end) {
    return new Period(t(start), t(end));
  }

  private static Period containing(String anchor, String interval, int count, String at) {
    return Periods.containing(t(anchor), interval, count, t(at));
  }

  @Test
  @DisplayName("monthly periods anchored on the 31st clamp to short months and return to the 31st")
  void monthEndClamping() {
    String anchor = "2024-01-31T10:00:00Z";
    assertThat(containing(anchor, "month", 1, "2024-02-15T00:00:00Z"))
        .isEqualTo(period("2024-01-31T10:00:00Z", "2024-02-29T10:00:00Z"));
    assertThat(containing(anchor, "month", 1, "2024-03-01T00:00:00Z"))
        .isEqualTo(period("2024-02-29T10:00:00Z", "2024-03-31T10:00:00Z"));
    assertThat(containing(anchor, "month", 1, "2024-04-30T10:00:00Z"))
        .isEqualTo(period("2024-04-30T10:00:00Z", "2024-05-31T10:00:00Z"));
    assertThat(containing("2025-01-31T00:00:00Z", "month", 1, "2025-02-10T00:00:00Z"))
        .as("not a leap year").isEqualTo(period("2025-01-31T00:00:00Z", "2025-02-28T00:00:00Z"));
    assertThat(containing("2025-01-31T00:00:00Z", "month", 1, "2025-03-30T00:00:00Z"))
        .isEqualTo(period("2025-02-28T00:00:00Z", "2025-03-31T00:00:00Z"));
  }

  @Test
  @DisplayName("an instant exactly on a boundary belongs to the period that starts there")
  void boundaryBelongsToNewPeriod() {
    String anchor = "2024-01-31T10:00:00Z";
    assertThat(containing(anchor, "month", 1, anchor)).isEqualTo(period(anchor, "2024-02-29T10:00:00Z"));
    assertThat(containing(anchor, "month", 1, "2024-02-29T10:00:00Z"))
        .isEqualTo(period("2024-02-29T10:00:00Z", "2024-03-31T10:00:00Z"));
    assertThat(containing(anchor, "month", 1, "2024-02-29T09:59:59.999Z"))
        .isEqualTo(period(anchor, "2024-02-29T10:00:00Z"));
    assertThat(containing("2024-01-01T00:00:00Z", "day", 1, "2024-01-02T00:00:00Z"))
        .isEqualTo(period("2024-01-02T00:00:00Z", "2024-01-03T00:00:00Z"));
  }

  @Test
  @DisplayName("interval_count above 1 spans several months, still clamped from the anchor")
  void severalMonths() {
    assertThat(containing("2024-01-31T00:00:00Z", "month", 3, "2024-05-01T00:00:00Z"))
        .isEqualTo(period("2024-04-30T00:00:00Z", "2024-07-31T00:00:00Z"));
    assertThat(containing("2024-01-15T08:00:00Z", "month", 6, "2026-11-22T00:00:00Z"))
        .isEqualTo(period("2026-07-15T08:00:00Z", "2027-01-15T08:00:00Z"));
  }

  @Test
  @DisplayName("yearly periods keep the anchor's date; a Feb 29 anchor uses Feb 28 in common years")
  void years() {
    String anchor = "2024-02-29T12:00:00Z";
    assertThat(containing(anchor, "year", 1, "2025-03-01T00:00:00Z"))
        .isEqualTo(period("2025-02-28T12:00:00Z", "2026-02-28T12:00:00Z"));
    assertThat(containing(anchor, "year", 1, "2028-02-29T12:00:00Z"))
        .isEqualTo(period("2028-02-29T12:00:00Z", "2029-02-28T12:00:00Z"));
    assertThat(containing("2020-06-01T00:00:00Z", "year", 2, "2023-12-31T00:00:00Z"))
        .isEqualTo(period("2022-06-01T00:00:00Z", "2024-06-01T00:00:00Z"));
  }

  @Test
  @DisplayName("weeks and days are fixed lengths from the anchor's time")
  void weeksAndDays() {
    assertThat(containing("2024-01-01T00:00:00Z", "week", 2, "2024-01-14T23:59:59Z"))
        .isEqualTo(period("2024-01-01T00:00:00Z", "2024-01-15T00:00:00Z"));
    assertThat(containing("2024-01-01T00:00:00Z", "week", 2, "2024-01-15T00:00:00Z"))
        .isEqualTo(period("2024-01-15T00:00:00Z", "2024-01-29T00:00:00Z"));
    assertThat(containing("2024-03-10T12:00:00Z", "day", 1, "2024-03-12T12:00:00Z"))
        .isEqualTo(period("2024-03-12T12:00:00Z", "2024-03-13T12:00:00Z"));
    assertThat(containing("2024-03-10T12:00:00Z", "day", 30, "2024-06-01T00:00:00Z"))
        .isEqualTo(period("2024-05-09T12:00:00Z", "2024-06-08T12:00:00Z"));
  }

  @Test
  @DisplayName("decades after the anchor the period is found directly, on the anchor's day")
  void farFromAnchor() {
    assertThat(containing("2000-01-31T06:30:00Z", "month", 1, "2026-11-22T00:00:00Z"))
        .isEqualTo(period("2026-10-31T06:30:00Z", "2026-11-30T06:30:00Z"));
  }

  @Test
  @DisplayName("an instant before the anchor, an unknown interval or a count below 1 is a programming error")
  void refusals() {
    assertThatThrownBy(() -> containing("2024-01-01T00:00:00Z", "month", 1, "2023-12-31T23:59:59Z"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> containing("2024-01-01T00:00:00Z", "month", 0, "2024-02-01T00:00:00Z"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> containing("2024-01-01T00:00:00Z", "fortnight", 1, "2024-02-01T00:00:00Z"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("a subscription whose start precedes its anchor has one shorter first period [start, anchor)")
  void partialFirstPeriod() {
    Subscription s = new Subscription(1, "sub_x", 1, "cus_x", "active", "usd", t("2024-02-01T00:00:00Z"),
        t("2024-01-20T00:00:00Z"), "month", 1, List.of(), t("2024-01-20T00:00:00Z"));
    assertThat(s.periodAt(t("2024-01-25T00:00:00Z")))
        .isEqualTo(period("2024-01-20T00:00:00Z", "2024-02-01T00:00:00Z"));
    assertThat(s.periodAt(t("2024-02-01T00:00:00Z")))
        .isEqualTo(period("2024-02-01T00:00:00Z", "2024-03-01T00:00:00Z"));
  }
}
