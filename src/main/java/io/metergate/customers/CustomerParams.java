package io.metergate.customers;

import io.metergate.common.ApiError;
import io.metergate.common.ListRequest;
import io.metergate.common.Metadata;
import io.metergate.common.Params;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The validated parameters of POST /v1/customers and POST /v1/customers/:id (Stripe's length limits). */
final class CustomerParams {
  static final Set<String> EXPANDABLE = Set.of("default_source", "invoice_settings.default_payment_method", "test_clock");
  private static final Set<String> FIELDS =
      Set.of("name", "email", "phone", "description", "metadata", "balance", "expand");
  private static final Map<String, Integer> TEXT = Map.of("name", 256, "email", 512, "phone", 20, "description", 5000);
  private static final List<String> TEXT_ORDER = List.of("name", "email", "phone", "description");
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");

  record Draft(String name, String email, String phone, String description, Map<String, String> metadata) {}

  /** {@code text}: the fields given, each with its new value (null unsets it). */
  record Change(Map<String, String> text, Metadata metadata) {
    String value(String field, String current) {
      return text.containsKey(field) ? text.get(field) : current;
    }
  }

  private CustomerParams() {}

  static Draft create(Params p) {
    check(p);
    Map<String, String> text = text(p);
    return new Draft(text.get("name"), text.get("email"), text.get("phone"), text.get("description"),
        Metadata.parse(p).applyTo(Map.of()));
  }

  static Change update(Params p) {
    check(p);
    return new Change(text(p), Metadata.parse(p));
  }

  /**
   * The balance only moves through balance transactions, so that every change is recorded with its
   * ending balance; setting it directly, as Stripe allows, is refused here.
   */
  private static void check(Params p) {
    p.allowOnly(FIELDS);
    if (p.has("balance")) {
      throw ApiError.invalid("parameter_unsupported", "balance cannot be set directly on this gateway: create a"
          + " customer balance transaction instead (POST /v1/customers/:id/balance_transactions with amount and"
          + " currency), so that every change of the balance is recorded.", "balance");
    }
    ListRequest.checkExpand(p, EXPANDABLE);
  }

  /** The text fields given; an empty value means none (it unsets the field on update, as at Stripe). */
  private static Map<String, String> text(Params p) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String field : TEXT_ORDER) {
      if (p.has(field)) {
        out.put(field, p.clearableString(field, TEXT.get(field)));
      }
    }
    String email = out.get("email");
    if (email != null && !EMAIL.matcher(email).matches()) {
      throw ApiError.invalid("email_invalid", "Invalid email address: " + email, "email");
    }
    return out;
  }
}
