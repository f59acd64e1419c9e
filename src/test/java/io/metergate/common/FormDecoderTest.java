package io.metergate.common;

import static io.metergate.testing.ApiErrors.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("FormDecoder")
class FormDecoderTest {

  @Test
  @DisplayName("decodes scalars, nested objects, indexed arrays and [] lists into a tree")
  void decodesTreeShape() {
    Map<String, Object> tree = FormDecoder.decode("a=1&payload[k]=v&lines[0][amount]=5&expand[]=x&expand[]=y");

    assertThat(tree).containsOnlyKeys("a", "payload", "lines", "expand");
    assertThat(tree.get("a")).isEqualTo("1");
    assertThat(tree.get("payload")).isEqualTo(Map.of("k", "v"));
    assertThat(tree.get("lines")).isEqualTo(Map.of("0", Map.of("amount", "5")));
    assertThat(tree.get("expand")).isEqualTo(List.of("x", "y"));
  }

  @Test
  @DisplayName("keeps parameters in the order they were sent")
  void keepsOrder() {
    assertThat(FormDecoder.decode("z=1&a=2&m=3")).containsExactly(
        Map.entry("z", "1"), Map.entry("a", "2"), Map.entry("m", "3"));
  }

  @Test
  @DisplayName("an empty or null body decodes to an empty tree")
  void emptyBody() {
    assertThat(FormDecoder.decode("")).isEmpty();
    assertThat(FormDecoder.decode((String) null)).isEmpty();
  }

  @Test
  @DisplayName("empty pairs from stray ampersands are skipped")
  void skipsEmptyPairs() {
    assertThat(FormDecoder.decode("&a=1&&b=2&")).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
  }

  @Test
  @DisplayName("a key without '=' gets an empty string value")
  void keyWithoutValue() {
    assertThat(FormDecoder.decode("flag")).containsExactly(Map.entry("flag", ""));
  }

  @Test
  @DisplayName("'+' decodes to a space and %xx escapes decode as UTF-8 in values")
  void urlDecodesValues() {
    Map<String, Object> tree = FormDecoder.decode("name=Jane+Doe&note=caf%C3%A9%20%26%3D");

    assertThat(tree.get("name")).isEqualTo("Jane Doe");
    assertThat(tree.get("note")).isEqualTo("café &=");
  }

  @Test
  @DisplayName("percent-encoded brackets in keys are decoded before nesting is parsed")
  void urlDecodesKeys() {
    Map<String, Object> tree = FormDecoder.decode("payload%5Bstripe_customer_id%5D=cus_1");

    assertThat(tree.get("payload")).isEqualTo(Map.of("stripe_customer_id", "cus_1"));
  }

  @Test
  @DisplayName("a key with an unclosed bracket is rejected as parameter_invalid_name")
  void unclosedBracket() {
    ApiError e = rejected(() -> FormDecoder.decode("a[b=1"));

    assertThat(e.code()).isEqualTo("parameter_invalid_name");
    assertThat(e.param()).isEqualTo("a[b");
  }

  @Test
  @DisplayName("a key starting with a bracket is rejected as parameter_invalid_name")
  void leadingBracket() {
    ApiError e = rejected(() -> FormDecoder.decode("[x]=1"));

    assertThat(e.code()).isEqualTo("parameter_invalid_name");
    assertThat(e.param()).isEqualTo("[x]");
  }

  @Test
  @DisplayName("text between closing and opening brackets is rejected as parameter_invalid_name")
  void textBetweenBrackets() {
    assertThat(rejected(() -> FormDecoder.decode("a[b]c=1")).code()).isEqualTo("parameter_invalid_name");
  }

  @Test
  @DisplayName("an empty key is rejected as parameter_invalid_name")
  void emptyKey() {
    assertThat(rejected(() -> FormDecoder.decode("=1")).code()).isEqualTo("parameter_invalid_name");
  }

  @Test
  @DisplayName("[] anywhere but the last segment is rejected as parameter_invalid_name")
  void appendNotLast() {
    assertThat(rejected(() -> FormDecoder.decode("a[][b]=1")).code()).isEqualTo("parameter_invalid_name");
  }

  @Test
  @DisplayName("a scalar followed by an object under the same name is a parameter_conflict")
  void scalarThenObject() {
    ApiError e = rejected(() -> FormDecoder.decode("a=1&a[b]=2"));

    assertThat(e.code()).isEqualTo("parameter_conflict");
    assertThat(e.param()).isEqualTo("a[b]");
  }

  @Test
  @DisplayName("an object followed by a scalar under the same name is a parameter_conflict")
  void objectThenScalar() {
    ApiError e = rejected(() -> FormDecoder.decode("a[b]=2&a=1"));

    assertThat(e.code()).isEqualTo("parameter_conflict");
    assertThat(e.param()).isEqualTo("a");
  }

  @Test
  @DisplayName("mixing a [] list and a scalar under the same name is a parameter_conflict")
  void listAndScalar() {
    assertThat(rejected(() -> FormDecoder.decode("a[]=1&a=2")).code()).isEqualTo("parameter_conflict");
    assertThat(rejected(() -> FormDecoder.decode("a=1&a[]=2")).code()).isEqualTo("parameter_conflict");
  }

  @Test
  @DisplayName("nesting exactly MAX_DEPTH levels deep is accepted")
  void maxDepthAccepted() {
    Map<String, Object> tree = FormDecoder.decode("a" + "[x]".repeat(FormDecoder.MAX_DEPTH) + "=1");

    Object node = tree.get("a");
    for (int i = 0; i < FormDecoder.MAX_DEPTH; i++) {
      assertThat(node).isInstanceOf(Map.class);
      node = ((Map<?, ?>) node).get("x");
    }
    assertThat(node).isEqualTo("1");
  }

  @Test
  @DisplayName("nesting deeper than MAX_DEPTH is rejected as parameter_nesting_too_deep")
  void tooDeep() {
    String key = "a" + "[x]".repeat(FormDecoder.MAX_DEPTH + 1);

    ApiError e = rejected(() -> FormDecoder.decode(key + "=1"));

    assertThat(e.code()).isEqualTo("parameter_nesting_too_deep");
    assertThat(e.param()).isEqualTo(key);
  }

  @Test
  @DisplayName("exactly MAX_FIELDS pairs are accepted")
  void maxFieldsAccepted() {
    assertThat(FormDecoder.decode(pairs(FormDecoder.MAX_FIELDS))).hasSize(FormDecoder.MAX_FIELDS);
  }

  @Test
  @DisplayName("more than MAX_FIELDS pairs are rejected as too_many_parameters")
  void tooManyFields() {
    ApiError e = rejected(() -> FormDecoder.decode(pairs(FormDecoder.MAX_FIELDS + 1)));

    assertThat(e.code()).isEqualTo("too_many_parameters");
    assertThat(e.param()).isNull();
  }

  @Test
  @DisplayName("a bad percent escape is rejected as invalid_form_encoding")
  void badPercentEscape() {
    ApiError e = rejected(() -> FormDecoder.decode("a=%zz"));

    assertThat(e.code()).isEqualTo("invalid_form_encoding");
  }

  @Test
  @DisplayName("a truncated percent escape in a key is rejected as invalid_form_encoding")
  void truncatedPercentEscapeInKey() {
    assertThat(rejected(() -> FormDecoder.decode("a%2=1")).code()).isEqualTo("invalid_form_encoding");
  }

  @Test
  @DisplayName("decoding already-split entries builds the same tree as decoding the body")
  void decodesEntries() {
    Map<String, Object> tree = FormDecoder.decode(List.of(
        Map.entry("payload[k]", "v"), Map.entry("expand[]", "x")));

    assertThat(tree.get("payload")).isEqualTo(Map.of("k", "v"));
    assertThat(tree.get("expand")).isEqualTo(List.of("x"));
  }

  private static String pairs(int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        sb.append('&');
      }
      sb.append('p').append(i).append("=v");
    }
    return sb.toString();
  }
}
