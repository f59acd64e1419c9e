package io.metergate.events;

import static io.metergate.testing.ApiErrors.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.metergate.common.FormDecoder;
import io.metergate.common.Params;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Event list filters")
class EventFilterTest {
  private static EventFilter filter(String query) {
    return EventFilter.from(new Params(FormDecoder.decode(query), Params.Style.FORM));
  }

  @Test
  @DisplayName("type becomes a LIKE pattern: '*' is the wildcard, and '_', '%' and '\\' match only themselves")
  void typePattern() {
    assertThat(filter("type=billing.*").typePattern()).isEqualTo("billing.%");
    assertThat(filter("type=billing_portal.session.created").typePattern()).isEqualTo("billing\\_portal.session.created");
    assertThat(filter("type=a%25b\\c").typePattern()).isEqualTo("a\\%b\\\\c");
    assertThat(filter("").typePattern()).isNull();
  }

  @Test
  @DisplayName("types[] lists exact names, at most 20, and excludes type")
  void types() {
    assertThat(filter("types[0]=a.b&types[1]=c.d").types()).containsExactly("a.b", "c.d");
    assertThat(filter("types[]=a.b").types()).containsExactly("a.b");
    assertThat(rejected(() -> filter("type=a.b&types[0]=c.d")).code()).isEqualTo("parameters_exclusive");
    StringBuilder many = new StringBuilder("types[0]=x.y");
    for (int i = 1; i <= 20; i++) {
      many.append("&types[").append(i).append("]=x.y");
    }
    assertThat(rejected(() -> filter(many.toString())).param()).isEqualTo("types");
  }

  @Test
  @DisplayName("created, exact or as a range, becomes a half-open range of seconds")
  void created() {
    EventFilter exact = filter("created=1700000000");
    assertThat(exact.createdFrom()).isEqualTo(1_700_000_000L);
    assertThat(exact.createdBefore()).isEqualTo(1_700_000_001L);
    EventFilter range = filter("created[gt]=100&created[gte]=50&created[lte]=200&created[lt]=300");
    assertThat(range.createdFrom()).isEqualTo(101L);
    assertThat(range.createdBefore()).isEqualTo(201L);
    EventFilter open = filter("created[gte]=100");
    assertThat(open.createdBefore()).isNull();
    assertThat(filter("created[lt]=99999999999999").createdBefore()).isEqualTo(253_402_300_800L);
    assertThat(rejected(() -> filter("created[after]=1")).param()).isEqualTo("created[after]");
    assertThat(rejected(() -> filter("created=yesterday")).param()).isEqualTo("created");
  }

  @Test
  @DisplayName("delivery_success is a boolean")
  void deliverySuccess() {
    assertThat(filter("delivery_success=true").deliverySuccess()).isTrue();
    assertThat(filter("delivery_success=false").deliverySuccess()).isFalse();
    assertThat(filter("").deliverySuccess()).isNull();
    assertThat(rejected(() -> filter("delivery_success=1")).param()).isEqualTo("delivery_success");
  }
}
