package io.metergate.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.metergate.common.ApiError;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Assertions for domain code that refuses input with a Stripe-shaped ApiError. */
public final class ApiErrors {
  private ApiErrors() {}

  /** The call must throw a 400 invalid_request_error; returns it for code and param checks. */
  public static ApiError rejected(ThrowingCallable call) {
    ApiError e = catchThrowableOfType(ApiError.class, call);
    assertThat(e).as("expected an ApiError").isNotNull();
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.type()).isEqualTo("invalid_request_error");
    return e;
  }
}
