package io.metergate.testing;

import io.metergate.accounts.ApiKeys;
import io.vertx.core.Future;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** A Vert.x pool on a test gateway's database, to call feature code (stores, ledgers) as other features do. */
public final class TestPool implements AutoCloseable {
  private final TestGateway gateway;
  private final Pool pool;

  public TestPool(TestGateway gateway) {
    this.gateway = gateway;
    this.pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(4))
        .connectingTo(gateway.database().connectOptions()).using(gateway.vertx()).build();
  }

  public Pool pool() {
    return pool;
  }

  /** The internal account id behind a secret key. */
  public long accountId(String key) {
    return gateway.queryLong("SELECT account_id FROM api_keys WHERE key_hash = ?", (Object) ApiKeys.hash(key));
  }

  /** Runs {@code work} in one transaction and commits; a failed future rolls back and is rethrown. */
  public <T> T inTransaction(Function<SqlConnection, Future<T>> work) {
    return await(pool.withTransaction(work));
  }

  public <T> T run(Function<Pool, Future<T>> work) {
    return await(work.apply(pool));
  }

  /** The outcome of a future, waiting at most 30 s; a failure is rethrown as it is (ApiErrors included). */
  public static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    await(pool.close());
  }
}
