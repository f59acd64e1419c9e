package io.metergate.subscriptions;

import io.metergate.accounts.Principal;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.util.List;

/** Subscription persistence; every statement is scoped to the caller's account and mode. */
public final class SubscriptionStore {
  private final Pool pool;

  public SubscriptionStore(Pool pool) {
    this.pool = pool;
  }

  /** The customer's active subscriptions with their items and prices, oldest first. */
  public Future<List<Subscription>> active(Principal who, long customerId) {
    throw new UnsupportedOperationException("not built yet");
  }

  /** One subscription named by a request parameter: unknown is 400 resource_missing naming {@code param}. */
  public Future<Subscription> findForParam(Principal who, String publicId, String param) {
    throw new UnsupportedOperationException("not built yet");
  }
}
