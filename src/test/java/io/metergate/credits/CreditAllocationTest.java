package io.metergate.credits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.metergate.credits.CreditAllocation.Allocation;
import io.metergate.credits.CreditAllocation.Line;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Credit allocation: which grants pay which invoice lines")
class CreditAllocationTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** A metered-scope paid grant: priority 50, no expiry, effective and created at T0. */
  private static Grant grant(long id, long remaining) {
    return new Grant(id, "credgr_" + id, 1, "paid", "usd", remaining, "metered", null, 50, T0, null, T0);
  }

  private static Grant with(Grant g, int priority, Instant expiresAt, String category, Instant effectiveAt,
                            Instant created) {
    return new Grant(g.id(), g.publicId(), g.customerId(), category, g.currency(), g.remaining(), g.priceType(),
        g.priceIds(), priority, effectiveAt, expiresAt, created);
  }

  private static Grant forPrices(long id, long remaining, String... prices) {
    return new Grant(id, "credgr_" + id, 1, "paid", "usd", remaining, null, List.of(prices), 50, T0, null, T0);
  }

  private static Line metered(int index, long amount) {
    return new Line(index, "price_m" + index, true, amount);
  }

  private static List<String> usedFirst(Grant... grants) {
    List<Grant> shuffled = new ArrayList<>(List.of(grants));
    Collections.reverse(shuffled);
    return CreditAllocation.allocate(shuffled, List.of(metered(0, 1))).stream()
        .map(a -> a.grant().publicId()).toList();
  }

  @Test
  @DisplayName("a lower priority number is used first")
  void priority() {
    Grant low = with(grant(1, 10), 80, null, "paid", T0, T0);
    Grant high = with(grant(2, 10), 0, null, "paid", T0, T0);
    assertThat(usedFirst(low, high)).containsExactly("credgr_2");
  }

  @Test
  @DisplayName("at equal priority the earlier expiry is used first, and a grant without expiry last")
  void expiry() {
    Grant never = grant(1, 10);
    Grant late = with(grant(2, 10), 50, T0.plusSeconds(200), "paid", T0, T0);
    Grant soon = with(grant(3, 10), 50, T0.plusSeconds(100), "paid", T0, T0);
    assertThat(usedFirst(never, late, soon)).containsExactly("credgr_3");
    assertThat(usedFirst(never, late)).containsExactly("credgr_2");
  }

  @Test
  @DisplayName("then promotional credits before paid ones, then earlier effective_at, then earlier created, then id")
  void tieBreaks() {
    Grant paid = grant(1, 10);
    Grant promo = with(grant(2, 10), 50, null, "promotional", T0, T0);
    assertThat(usedFirst(paid, promo)).containsExactly("credgr_2");
    Grant later = with(grant(3, 10), 50, null, "paid", T0.plusSeconds(5), T0);
    Grant earlier = with(grant(4, 10), 50, null, "paid", T0.minusSeconds(5), T0.plusSeconds(99));
    assertThat(usedFirst(later, earlier)).containsExactly("credgr_4");
    Grant createdLate = with(grant(5, 10), 50, null, "paid", T0, T0.plusSeconds(9));
    Grant createdEarly = with(grant(6, 10), 50, null, "paid", T0, T0.plusSeconds(1));
    assertThat(usedFirst(createdLate, createdEarly)).containsExactly("credgr_6");
    assertThat(usedFirst(grant(8, 10), grant(7, 10))).containsExactly("credgr_7");
  }

  @Test
  @DisplayName("the order compares every key in turn")
  void fullOrder() {
    List<Grant> expected = List.of(
        with(grant(1, 1), 0, T0.plusSeconds(50), "paid", T0, T0),
        with(grant(2, 1), 10, T0.plusSeconds(10), "paid", T0, T0),
        with(grant(3, 1), 10, T0.plusSeconds(20), "promotional", T0, T0),
        with(grant(4, 1), 10, T0.plusSeconds(20), "paid", T0.minusSeconds(1), T0),
        with(grant(5, 1), 10, T0.plusSeconds(20), "paid", T0, T0.minusSeconds(1)),
        with(grant(6, 1), 10, T0.plusSeconds(20), "paid", T0, T0),
        with(grant(7, 1), 10, T0.plusSeconds(20), "paid", T0, T0),
        with(grant(8, 1), 10, null, "promotional", T0, T0));
    List<Grant> shuffled = new ArrayList<>(expected);
    Collections.shuffle(shuffled, new Random(7));
    shuffled.sort(CreditAllocation.ORDER);
    assertThat(shuffled).containsExactlyElementsOf(expected);
  }

  @Test
  @DisplayName("a metered-scope grant pays metered lines only; a price grant pays only its listed prices")
  void coverage() {
    Grant anyMetered = grant(1, 1000);
    Grant listed = forPrices(2, 1000, "price_a");
    List<Line> lines = List.of(new Line(0, "price_licensed", false, 100), new Line(1, null, false, 100),
        new Line(2, "price_b", true, 100), new Line(3, "price_a", true, 100));
    List<Allocation> out = CreditAllocation.allocate(List.of(listed), lines);
    assertThat(out).extracting(Allocation::lineIndex).containsExactly(3);
    out = CreditAllocation.allocate(List.of(anyMetered), lines);
    assertThat(out).extracting(Allocation::lineIndex).containsExactly(2, 3);
  }

  @Test
  @DisplayName("lines are paid in invoice order: the first line takes what it needs before the next")
  void linesInOrder() {
    List<Allocation> out = CreditAllocation.allocate(List.of(grant(1, 150)),
        List.of(metered(2, 100), metered(0, 100), metered(1, 100)));
    assertThat(out).extracting(Allocation::lineIndex, Allocation::amount)
        .containsExactly(tuple(0, 100L), tuple(1, 50L));
  }

  @Test
  @DisplayName("a line is paid by several grants in order, and a grant's rest is left for later lines")
  void severalGrants() {
    Grant first = with(grant(1, 30), 1, null, "paid", T0, T0);
    Grant second = with(grant(2, 50), 2, null, "paid", T0, T0);
    Grant third = with(grant(3, 40), 3, null, "paid", T0, T0);
    List<Allocation> out = CreditAllocation.allocate(List.of(third, second, first),
        List.of(metered(0, 100), metered(1, 15)));
    assertThat(out).extracting(a -> a.lineIndex() + ":" + a.grant().id() + ":" + a.amount())
        .containsExactly("0:1:30", "0:2:50", "0:3:20", "1:3:15");
  }

  @Test
  @DisplayName("partial use: a grant larger than the invoice pays all of it and keeps the rest")
  void partialUse() {
    assertThat(CreditAllocation.allocate(List.of(grant(1, 1000)), List.of(metered(0, 120), metered(1, 30))))
        .extracting(Allocation::amount).containsExactly(120L, 30L);
  }

  @Test
  @DisplayName("nothing goes below zero: negative and zero lines take nothing, empty grants give nothing")
  void neverBelowZero() {
    List<Allocation> out = CreditAllocation.allocate(List.of(grant(1, 0), grant(2, -5), grant(3, 10)),
        List.of(metered(0, -40), metered(1, 0), metered(2, 25)));
    assertThat(out).extracting(a -> a.lineIndex() + ":" + a.grant().id() + ":" + a.amount())
        .containsExactly("2:3:10");
    assertThat(CreditAllocation.allocate(List.of(), List.of(metered(0, 5)))).isEmpty();
    assertThat(CreditAllocation.allocate(List.of(grant(1, 5)), List.of())).isEmpty();
  }

  @Test
  @DisplayName("on random invoices no line is overpaid, no grant overspent, and a line is short only when every"
      + " grant covering it is used up")
  void randomInvariants() {
    Random random = new Random(42);
    for (int round = 0; round < 2000; round++) {
      List<Grant> grants = new ArrayList<>();
      int grantCount = random.nextInt(5);
      for (int g = 0; g < grantCount; g++) {
        Grant base = random.nextBoolean() ? grant(g, random.nextInt(300))
            : forPrices(g, random.nextInt(300), "price_" + random.nextInt(3));
        grants.add(with(base, random.nextInt(3), random.nextBoolean() ? null : T0.plusSeconds(random.nextInt(3)),
            random.nextBoolean() ? "paid" : "promotional", T0, T0));
      }
      List<Line> lines = new ArrayList<>();
      int lineCount = random.nextInt(6);
      for (int l = 0; l < lineCount; l++) {
        lines.add(new Line(l, "price_" + random.nextInt(4), random.nextBoolean(), random.nextInt(400) - 50));
      }
      List<Allocation> out = CreditAllocation.allocate(grants, lines);
      Map<Integer, Long> paid = new HashMap<>();
      Map<Long, Long> spent = new HashMap<>();
      for (Allocation a : out) {
        Line line = lines.get(a.lineIndex());
        assertThat(a.amount()).isPositive();
        assertThat(a.grant().covers(line.pricePublicId(), line.metered())).isTrue();
        paid.merge(a.lineIndex(), a.amount(), Long::sum);
        spent.merge(a.grant().id(), a.amount(), Long::sum);
      }
      for (Line line : lines) {
        long got = paid.getOrDefault(line.index(), 0L);
        assertThat(got).isLessThanOrEqualTo(Math.max(0, line.amount()));
        if (got < line.amount()) {
          for (Grant g : grants) {
            if (g.covers(line.pricePublicId(), line.metered())) {
              assertThat(spent.getOrDefault(g.id(), 0L)).as("round %d", round).isEqualTo(g.remaining());
            }
          }
        }
      }
      for (Grant g : grants) {
        assertThat(spent.getOrDefault(g.id(), 0L)).isLessThanOrEqualTo(g.remaining());
      }
    }
  }
}
