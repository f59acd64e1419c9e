package io.metergate.common;

import static io.metergate.testing.ApiErrors.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Params")
class ParamsTest {

  private static Params form(Map<String, Object> values) {
    return new Params(values, Params.Style.FORM);
  }

  private static Params json(Map<String, Object> values) {
    return new Params(values, Params.Style.JSON);
  }

  /** A map that allows null values, as a decoded JSON body does. */
  private static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  @Nested
  @DisplayName("parameter paths")
  class Paths {
    @Test
    @DisplayName("top-level names are used as is in both styles")
    void topLevel() {
      assertThat(form(map()).path("event_name")).isEqualTo("event_name");
      assertThat(json(map()).path("event_name")).isEqualTo("event_name");
    }

    @Test
    @DisplayName("FORM style names nested parameters with brackets: payload[value]")
    void formNested() {
      Params payload = form(map("payload", map("value", "1"))).requiredObject("payload");

      assertThat(payload.path("value")).isEqualTo("payload[value]");
    }

    @Test
    @DisplayName("JSON style names array elements and nested parameters with dots: events[3].payload.value")
    void jsonElement() {
      Params event = json(map()).element("events", 3, map("payload", map("value", 1)));
      Params payload = event.requiredObject("payload");

      assertThat(event.path("payload")).isEqualTo("events[3].payload");
      assertThat(payload.path("value")).isEqualTo("events[3].payload.value");
    }

    @Test
    @DisplayName("FORM style names array elements with brackets: lines[0][amount]")
    void formElement() {
      Params line = form(map()).element("lines", 0, map("amount", "5"));

      assertThat(line.path("amount")).isEqualTo("lines[0][amount]");
    }

    @Test
    @DisplayName("an array element that is not an object is rejected as parameter_invalid_object naming its index")
    void elementNotObject() {
      ApiError e = rejected(() -> json(map()).element("events", 2, "oops"));

      assertThat(e.code()).isEqualTo("parameter_invalid_object");
      assertThat(e.param()).isEqualTo("events[2]");
    }
  }

  @Nested
  @DisplayName("allowOnly")
  class AllowOnly {
    @Test
    @DisplayName("accepts a request whose names are all allowed")
    void allowed() {
      Params p = form(map("a", "1", "b", "2"));

      assertThat(p.allowOnly(Set.of("a", "b", "c"))).isSameAs(p);
    }

    @Test
    @DisplayName("rejects an unknown top-level name as parameter_unknown")
    void unknownTopLevel() {
      ApiError e = rejected(() -> form(map("a", "1", "bogus", "2")).allowOnly(Set.of("a")));

      assertThat(e.code()).isEqualTo("parameter_unknown");
      assertThat(e.param()).isEqualTo("bogus");
      assertThat(e.getMessage()).contains("bogus");
    }

    @Test
    @DisplayName("names an unknown nested FORM parameter by its bracket path")
    void unknownNestedForm() {
      Params payload = form(map("payload", map("bogus", "x"))).requiredObject("payload");

      assertThat(rejected(() -> payload.allowOnly(Set.of("value"))).param()).isEqualTo("payload[bogus]");
    }

    @Test
    @DisplayName("names an unknown parameter in a JSON array element by its dotted path")
    void unknownInJsonElement() {
      Params event = json(map()).element("events", 3, map("bogus", "x"));

      ApiError e = rejected(() -> event.allowOnly(Set.of("event_name")));

      assertThat(e.code()).isEqualTo("parameter_unknown");
      assertThat(e.param()).isEqualTo("events[3].bogus");
    }
  }

  @Nested
  @DisplayName("strings")
  class Strings {
    @Test
    @DisplayName("requiredString returns the value when present and short enough")
    void present() {
      assertThat(form(map("name", "hello")).requiredString("name", 5)).isEqualTo("hello");
    }

    @Test
    @DisplayName("requiredString rejects a missing parameter as parameter_missing")
    void missing() {
      ApiError e = rejected(() -> form(map()).requiredString("event_name", 100));

      assertThat(e.code()).isEqualTo("parameter_missing");
      assertThat(e.param()).isEqualTo("event_name");
      assertThat(e.getMessage()).isEqualTo("Missing required param: event_name.");
    }

    @Test
    @DisplayName("requiredString treats a JSON null as missing")
    void jsonNullIsMissing() {
      assertThat(rejected(() -> json(map("event_name", null)).requiredString("event_name", 100)).code())
          .isEqualTo("parameter_missing");
    }

    @Test
    @DisplayName("requiredString names a missing nested parameter by its full path")
    void missingNested() {
      Params event = json(map()).element("events", 0, map());

      assertThat(rejected(() -> event.requiredString("event_name", 100)).param()).isEqualTo("events[0].event_name");
    }

    @Test
    @DisplayName("an empty string is rejected as parameter_invalid_empty")
    void empty() {
      ApiError e = rejected(() -> form(map("event_name", "")).requiredString("event_name", 100));

      assertThat(e.code()).isEqualTo("parameter_invalid_empty");
      assertThat(e.param()).isEqualTo("event_name");
    }

    @Test
    @DisplayName("a string longer than the limit is rejected as string_too_long")
    void tooLong() {
      ApiError e = rejected(() -> form(map("identifier", "x".repeat(101))).requiredString("identifier", 100));

      assertThat(e.code()).isEqualTo("string_too_long");
      assertThat(e.param()).isEqualTo("identifier");
      assertThat(e.getMessage()).contains("100");
    }

    @Test
    @DisplayName("a string exactly at the limit is accepted")
    void atLimit() {
      assertThat(form(map("identifier", "x".repeat(100))).requiredString("identifier", 100)).hasSize(100);
    }

    @Test
    @DisplayName("a JSON number where a string is expected is rejected as parameter_invalid_string")
    void jsonNumber() {
      ApiError e = rejected(() -> json(map("event_name", 42)).requiredString("event_name", 100));

      assertThat(e.code()).isEqualTo("parameter_invalid_string");
      assertThat(e.param()).isEqualTo("event_name");
    }

    @Test
    @DisplayName("a JSON object where a string is expected is rejected as parameter_invalid_string")
    void jsonObject() {
      assertThat(rejected(() -> json(map("event_name", map())).optionalString("event_name", 100)).code())
          .isEqualTo("parameter_invalid_string");
    }

    @Test
    @DisplayName("optionalString returns null when the parameter is absent")
    void optionalAbsent() {
      assertThat(form(map()).optionalString("identifier", 100)).isNull();
    }
  }

  @Nested
  @DisplayName("optionalInteger")
  class Integers {
    @Test
    @DisplayName("parses a FORM string, including a negative one")
    void fromString() {
      assertThat(form(map("n", "1717171717")).optionalInteger("n")).isEqualTo(1717171717L);
      assertThat(form(map("n", "-5")).optionalInteger("n")).isEqualTo(-5L);
    }

    @Test
    @DisplayName("accepts JSON integer and long numbers")
    void fromJsonNumber() {
      assertThat(json(map("n", 42)).optionalInteger("n")).isEqualTo(42L);
      assertThat(json(map("n", 9_000_000_000L)).optionalInteger("n")).isEqualTo(9_000_000_000L);
    }

    @Test
    @DisplayName("returns null when absent")
    void absent() {
      assertThat(form(map()).optionalInteger("n")).isNull();
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"1.5", "abc", "", "1e3", " 1", "1234567890123456789"})
    @DisplayName("rejects a string that is not a whole number of at most 18 digits as parameter_invalid_integer")
    void rejectsStrings(String raw) {
      ApiError e = rejected(() -> form(map("n", raw)).optionalInteger("n"));

      assertThat(e.code()).isEqualTo("parameter_invalid_integer");
      assertThat(e.param()).isEqualTo("n");
    }

    @Test
    @DisplayName("rejects a JSON fractional number as parameter_invalid_integer")
    void rejectsJsonDouble() {
      assertThat(rejected(() -> json(map("n", 1.5)).optionalInteger("n")).code())
          .isEqualTo("parameter_invalid_integer");
    }
  }

  @Nested
  @DisplayName("optionalArray")
  class Arrays {
    @Test
    @DisplayName("reads a FORM map keyed 0..n-1 as a list in index order")
    void formIndexed() {
      Map<String, Object> lines = new LinkedHashMap<>();
      lines.put("1", "b");
      lines.put("0", "a");
      lines.put("2", "c");

      assertThat(form(map("lines", lines)).optionalArray("lines")).containsExactly("a", "b", "c");
    }

    @Test
    @DisplayName("reads a FORM [] list and a JSON array as is")
    void lists() {
      assertThat(form(map("expand", List.of("x", "y"))).optionalArray("expand")).containsExactly("x", "y");
      assertThat(json(map("events", List.of(1, 2))).optionalArray("events")).containsExactly(1, 2);
    }

    @Test
    @DisplayName("rejects a FORM map with a gap in its indices as parameter_invalid_array")
    void formGap() {
      ApiError e = rejected(() -> form(map("lines", map("0", "a", "2", "c"))).optionalArray("lines"));

      assertThat(e.code()).isEqualTo("parameter_invalid_array");
      assertThat(e.param()).isEqualTo("lines");
    }

    @Test
    @DisplayName("rejects a FORM map not starting at index 0 as parameter_invalid_array")
    void formNotFromZero() {
      assertThat(rejected(() -> form(map("lines", map("1", "a"))).optionalArray("lines")).code())
          .isEqualTo("parameter_invalid_array");
    }

    @Test
    @DisplayName("rejects a JSON object where an array is expected as parameter_invalid_array")
    void jsonObject() {
      ApiError e = rejected(() -> json(map("events", map("0", map()))).optionalArray("events"));

      assertThat(e.code()).isEqualTo("parameter_invalid_array");
      assertThat(e.param()).isEqualTo("events");
    }

    @Test
    @DisplayName("rejects a scalar where an array is expected as parameter_invalid_array")
    void scalar() {
      assertThat(rejected(() -> form(map("lines", "x")).optionalArray("lines")).code())
          .isEqualTo("parameter_invalid_array");
    }
  }

  @Nested
  @DisplayName("requiredStringMap")
  class StringMaps {
    @Test
    @DisplayName("returns every key and string value in order")
    void returnsMap() {
      Map<String, String> payload = json(map("payload", map("stripe_customer_id", "cus_1", "value", "3")))
          .requiredStringMap("payload", 20, 100, 100);

      assertThat(payload).containsExactly(Map.entry("stripe_customer_id", "cus_1"), Map.entry("value", "3"));
    }

    @Test
    @DisplayName("rejects a missing map as parameter_missing")
    void missing() {
      ApiError e = rejected(() -> form(map()).requiredStringMap("payload", 20, 100, 100));

      assertThat(e.code()).isEqualTo("parameter_missing");
      assertThat(e.param()).isEqualTo("payload");
    }

    @Test
    @DisplayName("rejects a scalar where the map is expected as parameter_invalid_object")
    void notAnObject() {
      assertThat(rejected(() -> form(map("payload", "x")).requiredStringMap("payload", 20, 100, 100)).code())
          .isEqualTo("parameter_invalid_object");
    }

    @Test
    @DisplayName("rejects a JSON number value rather than coercing it, naming the key")
    void numberValue() {
      Params event = json(map()).element("events", 2, map("payload", map("value", 5)));

      ApiError e = rejected(() -> event.requiredStringMap("payload", 20, 100, 100));

      assertThat(e.code()).isEqualTo("parameter_invalid_string");
      assertThat(e.param()).isEqualTo("events[2].payload.value");
    }

    @Test
    @DisplayName("rejects a nested object value as parameter_invalid_string, naming the key in FORM notation")
    void nestedValue() {
      ApiError e = rejected(() -> form(map("payload", map("value", map("x", "1"))))
          .requiredStringMap("payload", 20, 100, 100));

      assertThat(e.code()).isEqualTo("parameter_invalid_string");
      assertThat(e.param()).isEqualTo("payload[value]");
    }

    @Test
    @DisplayName("rejects more keys than allowed as too_many_keys")
    void tooManyKeys() {
      Map<String, Object> payload = new HashMap<>();
      for (int i = 0; i < 4; i++) {
        payload.put("k" + i, "v");
      }

      ApiError e = rejected(() -> form(map("payload", payload)).requiredStringMap("payload", 3, 100, 100));

      assertThat(e.code()).isEqualTo("too_many_keys");
      assertThat(e.param()).isEqualTo("payload");
    }

    @Test
    @DisplayName("accepts exactly the allowed number of keys")
    void maxKeys() {
      assertThat(form(map("payload", map("a", "1", "b", "2", "c", "3"))).requiredStringMap("payload", 3, 100, 100))
          .hasSize(3);
    }

    @Test
    @DisplayName("rejects a key longer than allowed as invalid_key")
    void longKey() {
      ApiError e = rejected(() -> form(map("payload", map("abcd", "1"))).requiredStringMap("payload", 20, 3, 100));

      assertThat(e.code()).isEqualTo("invalid_key");
      assertThat(e.param()).isEqualTo("payload[abcd]");
    }

    @Test
    @DisplayName("rejects a value longer than allowed as string_too_long")
    void longValue() {
      ApiError e = rejected(() -> form(map("payload", map("k", "abcd"))).requiredStringMap("payload", 20, 100, 3));

      assertThat(e.code()).isEqualTo("string_too_long");
      assertThat(e.param()).isEqualTo("payload[k]");
    }
  }

  @Nested
  @DisplayName("parseDecimal")
  class Decimals {
    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"3", "-2.5", ".5", "+7", "0", "12345678901234567890.123456789012", "1.000000000001"})
    @DisplayName("accepts plain decimal notation within 20 integer and 12 fraction digits, exactly")
    void accepts(String text) {
      assertThat(Params.parseDecimal(text)).isEqualByComparingTo(new BigDecimal(text));
    }

    @Test
    @DisplayName("keeps the exact decimal value rather than a binary approximation")
    void exact() {
      assertThat(Params.parseDecimal("0.1")).isEqualTo(new BigDecimal("0.1"));
      assertThat(Params.parseDecimal("12345678901234567890.123456789012").toPlainString())
          .isEqualTo("12345678901234567890.123456789012");
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"1e5", "NaN", "Infinity", "", " 1", "1,5", "0x10", "abc", "-", ".",
        "1.0000000000001", "123456789012345678901"})
    @DisplayName("rejects exponents, NaN, blanks, junk, more than 12 fraction digits or more than 20 integer digits")
    void rejects(String text) {
      assertThat(Params.parseDecimal(text)).isNull();
    }

    @Test
    @DisplayName("returns null for null")
    void nullInput() {
      assertThat(Params.parseDecimal(null)).isNull();
    }
  }

  @org.junit.jupiter.api.Test
  @org.junit.jupiter.api.DisplayName("strings PostgreSQL cannot store as given (NUL, lone surrogates) are refused by path")
  void unstorableText() {
    Params p = new Params(new java.util.LinkedHashMap<>(java.util.Map.of("event_name", "a\u0000b",
        "identifier", "x\ud800", "display_name", "ok \ud83d\ude00")), Params.Style.JSON);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> p.requiredString("event_name", 100))
        .isInstanceOfSatisfying(io.metergate.common.ApiError.class, e -> {
          org.assertj.core.api.Assertions.assertThat(e.code()).isEqualTo("parameter_invalid_string");
          org.assertj.core.api.Assertions.assertThat(e.param()).isEqualTo("event_name");
        });
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> p.requiredString("identifier", 100))
        .isInstanceOf(io.metergate.common.ApiError.class);
    org.assertj.core.api.Assertions.assertThat(p.requiredString("display_name", 100)).isEqualTo("ok \ud83d\ude00");
    Params payload = new Params(new java.util.LinkedHashMap<>(java.util.Map.of("payload",
        new java.util.LinkedHashMap<>(java.util.Map.of("value", "1\u0000")))), Params.Style.JSON);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> payload.requiredStringMap("payload", 20, 100, 100))
        .isInstanceOfSatisfying(io.metergate.common.ApiError.class,
            e -> org.assertj.core.api.Assertions.assertThat(e.param()).isEqualTo("payload.value"));
  }
}
