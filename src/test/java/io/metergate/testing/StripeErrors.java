package io.metergate.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.exception.InvalidRequestException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Assertions on the Stripe errors the SDK raises. */
public final class StripeErrors {
  private StripeErrors() {}

  /** The call must fail with this HTTP status, error code and parameter name (null for none). */
  public static void refused(ThrowingCallable call, int status, String code, String param) {
    assertThatThrownBy(call).isInstanceOfSatisfying(InvalidRequestException.class, e -> {
      assertThat(e.getStatusCode()).as("status of %s", e.getMessage()).isEqualTo(status);
      assertThat(e.getCode()).as("code of %s", e.getMessage()).isEqualTo(code);
      assertThat(e.getStripeError().getParam()).as("param of %s", e.getMessage()).isEqualTo(param);
    });
  }

  /** A 400 invalid_request_error naming the parameter. */
  public static void refused(ThrowingCallable call, String code, String param) {
    refused(call, 400, code, param);
  }
}
