package io.metergate.credits;

import io.metergate.common.ApiError;
import io.metergate.common.Currencies;
import io.metergate.common.ListRequest;
import io.metergate.common.Metadata;
import io.metergate.common.Params;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The validated parameters of creating and updating a credit grant. */
final class GrantParams {
  static final Set<String> EXPANDABLE = Set.of("amount", "applicability_config", "test_clock");
  static final long MAX_VALUE = 999_999_999_999L;
  private static final long LAST_SECOND = 253_402_300_799L;
  private static final Set<String> CREATE = Set.of("amount", "applicability_config", "category", "customer",
      "customer_account", "effective_at", "expires_at", "metadata", "name", "priority", "expand");
  private static final Set<String> UPDATE = Set.of("expires_at", "metadata", "expand");

  /** {@code effectiveAt} null: now; {@code scopeParams} names the scope's parameters for errors. */
  record Draft(String customer, String currency, long value, Scope scope, Params scopeParams, String category,
               Long effectiveAt, Long expiresAt, String name, int priority, Map<String, String> metadata) {}

  /** {@code changesExpiry}: expires_at was given ({@code expiresAt} null then clears it). */
  record Change(boolean changesExpiry, Long expiresAt, Metadata metadata) {}

  private GrantParams() {}

  static Draft create(Params p) {
    p.allowOnly(CREATE);
    ListRequest.checkExpand(p, EXPANDABLE);
    refuseCustomerAccount(p);
    Params amount = p.requiredObject("amount").allowOnly(Set.of("type", "monetary"));
    amount.requiredEnum("type", List.of("monetary"));
    Params monetary = amount.requiredObject("monetary").allowOnly(Set.of("currency", "value"));
    String currency = Currencies.required(monetary, "currency");
    long value = value(monetary);
    Params scopeParams = p.requiredObject("applicability_config").allowOnly(Set.of("scope"))
        .requiredObject("scope");
    Scope scope = Scope.parse(scopeParams);
    String category = p.optionalEnum("category", List.of("paid", "promotional"));
    String customer = p.requiredString("customer", 5000);
    Long effectiveAt = timestamp(p, "effective_at");
    Long expiresAt = timestamp(p, "expires_at");
    if (effectiveAt != null && expiresAt != null && expiresAt <= effectiveAt) {
      throw expiresTooEarly();
    }
    String name = p.clearableString("name", 100);
    return new Draft(customer, currency, value, scope, scopeParams, category == null ? "paid" : category,
        effectiveAt, expiresAt, name, priority(p), Metadata.parse(p).applyTo(Map.of()));
  }

  static Change update(Params p) {
    p.allowOnly(UPDATE);
    ListRequest.checkExpand(p, EXPANDABLE);
    return new Change(p.has("expires_at"), p.isEmptyValue("expires_at") ? null : timestamp(p, "expires_at"),
        Metadata.parse(p));
  }

  /** This gateway models customers only, not accounts standing for customers. */
  static void refuseCustomerAccount(Params p) {
    if (p.has("customer_account")) {
      throw ApiError.invalid("parameter_unsupported", "customer_account is not supported by this gateway:"
          + " pass customer (a cus_ id) instead.", "customer_account");
    }
  }

  static ApiError expiresTooEarly() {
    return ApiError.invalid("parameter_invalid_integer", "Invalid expires_at: it must be after effective_at.",
        "expires_at");
  }

  private static long value(Params monetary) {
    Long value = monetary.optionalInteger("value");
    if (value == null) {
      throw ApiError.missing(monetary.path("value"));
    }
    if (value < 1 || value > MAX_VALUE) {
      throw ApiError.invalid("parameter_invalid_integer", "Invalid " + monetary.path("value")
          + ": it must be a whole amount in the currency's smallest unit, from 1 to " + MAX_VALUE + ".",
          monetary.path("value"));
    }
    return value;
  }

  private static int priority(Params p) {
    Long priority = p.optionalInteger("priority");
    if (priority == null) {
      return 50;
    }
    if (priority < 0 || priority > 100) {
      throw ApiError.invalid("parameter_invalid_integer",
          "Invalid priority: it must be from 0 (used first) to 100.", "priority");
    }
    return priority.intValue();
  }

  /** Unix seconds within the years PostgreSQL and Stripe both accept. */
  private static Long timestamp(Params p, String name) {
    Long t = p.optionalInteger(name);
    if (t != null && (t < 0 || t > LAST_SECOND)) {
      throw ApiError.invalid("parameter_invalid_integer", "Invalid " + name + ": it must be a Unix timestamp"
          + " between 1970 and 9999.", name);
    }
    return t;
  }
}
