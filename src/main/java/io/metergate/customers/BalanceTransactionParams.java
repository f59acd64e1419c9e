package io.metergate.customers;

import io.metergate.common.ApiError;
import io.metergate.common.Currencies;
import io.metergate.common.ListRequest;
import io.metergate.common.Metadata;
import io.metergate.common.Params;
import java.util.Map;
import java.util.Set;

/** The validated parameters of creating and updating a customer balance transaction. */
final class BalanceTransactionParams {
  static final Set<String> EXPANDABLE = Set.of("checkout_session", "credit_note");
  static final int MAX_DESCRIPTION = 350;
  static final long MAX_AMOUNT = 999_999_999_999L;
  private static final Set<String> CREATE = Set.of("amount", "currency", "description", "metadata", "expand");
  private static final Set<String> UPDATE = Set.of("description", "metadata", "expand");

  record Draft(long amount, String currency, String description, Map<String, String> metadata) {}

  /** {@code describes}: description was given (null then unsets it). */
  record Change(boolean describes, String description, Metadata metadata) {}

  private BalanceTransactionParams() {}

  static Draft create(Params p) {
    p.allowOnly(CREATE);
    ListRequest.checkExpand(p, EXPANDABLE);
    Long amount = p.optionalInteger("amount");
    if (amount == null) {
      throw ApiError.missing("amount");
    }
    if (amount == 0) {
      throw ApiError.invalid("parameter_invalid_integer",
          "Invalid amount: a balance transaction must move the balance, so it cannot be 0.", "amount");
    }
    if (Math.abs(amount) > MAX_AMOUNT) {
      throw ApiError.invalid("amount_too_large",
          "Invalid amount: it must be at most " + MAX_AMOUNT + " in absolute value.", "amount");
    }
    String currency = Currencies.required(p, "currency");
    return new Draft(amount, currency, description(p), Metadata.parse(p).applyTo(Map.of()));
  }

  static Change update(Params p) {
    p.allowOnly(UPDATE);
    ListRequest.checkExpand(p, EXPANDABLE);
    return new Change(p.has("description"), description(p), Metadata.parse(p));
  }

  /** {@code description=} means none. */
  private static String description(Params p) {
    return p.clearableString("description", MAX_DESCRIPTION);
  }
}
