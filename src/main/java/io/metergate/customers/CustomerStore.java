package io.metergate.customers;

import io.metergate.accounts.Principal;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;

/** Customer persistence; every statement is scoped to the caller's account and mode. */
public final class CustomerStore {
  private final Pool pool;

  public CustomerStore(Pool pool) {
    this.pool = pool;
  }

  /** A live (not deleted) customer named in a path: unknown is 404 resource_missing (param id). */
  public Future<Customer> find(Principal who, String publicId) {
    throw new UnsupportedOperationException("not built yet");
  }

  /** A live customer named by a request parameter: unknown is 400 resource_missing naming {@code param}. */
  public Future<Customer> findForParam(Principal who, String publicId, String param) {
    throw new UnsupportedOperationException("not built yet");
  }
}
