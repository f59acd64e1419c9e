package io.metergate.catalog;

import io.metergate.accounts.Principal;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;

/** Price persistence; every statement is scoped to the caller's account and mode. */
public final class PriceStore {
  private final Pool pool;

  public PriceStore(Pool pool) {
    this.pool = pool;
  }

  /** A price named by a request parameter: unknown is 400 resource_missing naming {@code param}. */
  public Future<Price> findForParam(Principal who, String publicId, String param) {
    throw new UnsupportedOperationException("not built yet");
  }
}
