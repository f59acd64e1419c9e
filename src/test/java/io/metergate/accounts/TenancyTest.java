package io.metergate.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.StripeClient;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.StripeException;
import com.stripe.model.billing.Meter;
import com.stripe.param.billing.MeterEventCreateParams;
import com.stripe.param.billing.MeterListParams;
import com.stripe.param.billing.MeterUpdateParams;
import io.metergate.testing.Meters;
import io.metergate.testing.StreamBatches;
import io.metergate.testing.TestGateway;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

@DisplayName("Tenancy: every read and write is scoped to the key's account and mode")
class TenancyTest {
  private static TestGateway gateway;
  private static StripeClient aliceTest;
  private static StripeClient aliceLive;
  private static StripeClient bob;
  private static Meter aliceMeter;

  @BeforeAll
  static void start() throws Exception {
    gateway = TestGateway.start();
    aliceTest = gateway.client();
    String aliceAccount = gateway.queryLong("SELECT min(id) FROM accounts") + "";
    aliceLive = gateway.client(liveKeyFor(aliceAccount));
    bob = gateway.client(gateway.newAccountKey(false));
    aliceMeter = aliceTest.billing().meters().create(Meters.sum("shared_name", "Alice test"));
  }

  private static String liveKeyFor(String accountId) throws Exception {
    try (var c = io.metergate.testing.TestDatabase.connect(gateway.database(), gateway.database().database());
         var ps = c.prepareStatement("SELECT public_id FROM accounts WHERE id = ?")) {
      ps.setLong(1, Long.parseLong(accountId));
      var rs = ps.executeQuery();
      rs.next();
      return new AccountAdmin(c).addKey(rs.getString(1), ApiKeys.generate(true)).key();
    }
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  private static void assertMissing(Executable call) {
    assertThatThrownBy(call::execute).isInstanceOfSatisfying(InvalidRequestException.class, e -> {
      assertThat(e.getStatusCode()).isEqualTo(404);
      assertThat(e.getCode()).isEqualTo("resource_missing");
    });
  }

  @Test
  @DisplayName("another account's meter id is 404 on retrieve, update, deactivate, reactivate and as a list cursor")
  void otherAccountsMeterIsMissing() {
    String id = aliceMeter.getId();
    for (StripeClient stranger : List.of(bob, aliceLive)) {
      assertMissing(() -> stranger.billing().meters().retrieve(id));
      assertMissing(() -> stranger.billing().meters().update(id, MeterUpdateParams.builder().setDisplayName("x").build()));
      assertMissing(() -> stranger.billing().meters().deactivate(id));
      assertMissing(() -> stranger.billing().meters().reactivate(id));
      assertMissing(() -> stranger.billing().meters().list(MeterListParams.builder().setStartingAfter(id).build()));
    }
  }

  @Test
  @DisplayName("lists show only the caller's own meters; live mode and test mode are separate namespaces")
  void listsAreScoped() throws StripeException {
    Meter live = aliceLive.billing().meters().create(Meters.sum("shared_name", "Alice live"));
    Meter bobs = bob.billing().meters().create(Meters.sum("shared_name", "Bob"));

    assertThat(live.getLivemode()).isTrue();
    assertThat(aliceTest.billing().meters().list().getData()).extracting(Meter::getId)
        .contains(aliceMeter.getId()).doesNotContain(live.getId(), bobs.getId());
    assertThat(aliceLive.billing().meters().list().getData()).extracting(Meter::getId)
        .containsExactly(live.getId());
    assertThat(bob.billing().meters().list().getData()).extracting(Meter::getId).containsExactly(bobs.getId());
  }

  @Test
  @DisplayName("events land on the caller's own meter of that name, never another account's or mode's")
  void eventsGoToOwnMeter() throws StripeException {
    StripeClient carol = gateway.client(gateway.newAccountKey(false));
    assertThatThrownBy(() -> carol.billing().meterEvents().create(MeterEventCreateParams.builder()
        .setEventName("shared_name").setIdentifier("carol-1")
        .putPayload("stripe_customer_id", "c").putPayload("value", "1").build()))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.getCode()).isEqualTo("no_meter"));

    aliceTest.billing().meterEvents().create(MeterEventCreateParams.builder().setEventName("shared_name")
        .setIdentifier("alice-1").putPayload("stripe_customer_id", "c").putPayload("value", "1").build());
    assertThat(gateway.queryLong("SELECT count(*) FROM meter_events e JOIN meters m ON m.id = e.meter_id"
        + " WHERE e.identifier = 'alice-1' AND m.public_id = ? AND e.account_id = m.account_id"
        + " AND e.livemode = false", aliceMeter.getId())).isEqualTo(1);
    assertThat(gateway.queryLong("SELECT count(*) FROM meter_events WHERE identifier = 'carol-1'")).isZero();
  }

  @Test
  @DisplayName("a session token of one account cannot write to another account's meters")
  void sessionTokensAreScoped() throws StripeException {
    StripeClient dave = gateway.client(gateway.newAccountKey(false));
    StripeClient daveStream = gateway.client(dave.v2().billing().meterEventSession().create().getAuthenticationToken());
    assertThatThrownBy(() -> daveStream.v2().billing().meterEventStream()
        .create(StreamBatches.batch("dave-", 5, "shared_name")))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.getCode()).isEqualTo("no_meter"));
    assertThat(gateway.queryLong("SELECT count(*) FROM meter_events WHERE identifier LIKE 'dave-%'")).isZero();
  }

  @Test
  @DisplayName("identifiers are unique per account and mode: the same identifier in another account is a new event")
  void identifiersPerAccount() throws StripeException {
    Meter bobsOwn = bob.billing().meters().list().getData().stream()
        .filter(m -> m.getEventName().equals("shared_name")).findFirst()
        .orElseGet(() -> {
          try {
            return bob.billing().meters().create(Meters.sum("shared_name", "Bob"));
          } catch (StripeException e) {
            throw new IllegalStateException(e);
          }
        });
    for (StripeClient who : List.of(aliceTest, bob)) {
      who.billing().meterEvents().create(MeterEventCreateParams.builder().setEventName("shared_name")
          .setIdentifier("same-id").putPayload("stripe_customer_id", "c").putPayload("value", "1").build());
    }
    assertThat(bobsOwn).isNotNull();
    assertThat(gateway.queryLong("SELECT count(DISTINCT account_id) FROM meter_events WHERE identifier = 'same-id'"))
        .isEqualTo(2);
  }
}
