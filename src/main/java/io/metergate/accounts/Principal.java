package io.metergate.accounts;

/** Who a request acts for: every read and write is scoped to this account and mode. */
public record Principal(long accountId, String accountPublicId, boolean livemode) {
  public String mode() {
    return livemode ? "live" : "test";
  }
}
