package io.metergate.idempotency;

import io.metergate.accounts.Principal;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Arrays;

/** Idempotency records in PostgreSQL, scoped to the caller's account and mode. */
public final class IdempotencyStore {
  /** An in-progress claim older than this is taken to be abandoned (its gateway died). */
  static final int ABANDONED_AFTER_SECONDS = 60;

  private final Pool pool;
  private final int retentionSeconds;

  public sealed interface Claim permits Claimed, Replay, Mismatch, InProgress {}
  public record Claimed() implements Claim {}
  public record Replay(int status, String body) implements Claim {}
  public record Mismatch() implements Claim {}
  public record InProgress() implements Claim {}

  public IdempotencyStore(Pool pool, int retentionSeconds) {
    this.pool = pool;
    this.retentionSeconds = retentionSeconds;
  }

  public Future<Claim> claim(Principal who, String key, byte[] fingerprint) {
    return pool.preparedQuery(IdempotencySql.CLAIM)
        .execute(Tuple.of(who.accountId(), who.livemode(), key, Buffer.buffer(fingerprint), retentionSeconds,
            ABANDONED_AFTER_SECONDS))
        .map(rows -> {
          if (rows.size() == 0) {
            return new InProgress();
          }
          Row r = rows.iterator().next();
          if (r.getBoolean(0)) {
            return new Claimed();
          }
          if (!Arrays.equals(r.getBuffer(1).getBytes(), fingerprint)) {
            return new Mismatch();
          }
          Integer status = r.getInteger(2);
          return status == null ? new InProgress() : new Replay(status, r.getString(3));
        });
  }

  public Future<Void> complete(Principal who, String key, int status, String body) {
    return pool.preparedQuery(IdempotencySql.COMPLETE)
        .execute(Tuple.of(who.accountId(), who.livemode(), key, status, body)).mapEmpty();
  }

  public Future<Void> release(Principal who, String key) {
    return pool.preparedQuery(IdempotencySql.RELEASE).execute(Tuple.of(who.accountId(), who.livemode(), key))
        .mapEmpty();
  }

  public Future<Integer> prune() {
    return pool.preparedQuery(IdempotencySql.PRUNE).execute(Tuple.of(retentionSeconds, 50_000))
        .map(rows -> rows.rowCount());
  }
}
