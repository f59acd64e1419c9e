package io.metergate.idempotency;

import io.metergate.accounts.Principal;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Arrays;
import java.util.UUID;

/** Idempotency records in PostgreSQL, scoped to the caller's account and mode. */
public final class IdempotencyStore {
  /**
   * An in-progress claim older than this is taken to be abandoned (its gateway died). It must exceed
   * the longest a request can run: flushes time out after METERGATE_FLUSH_TIMEOUT_MS (at most 60 s).
   */
  static final int ABANDONED_AFTER_SECONDS = 120;

  private static final int SLICE = 50_000;

  private final Pool pool;
  private final int retentionSeconds;

  public sealed interface Claim permits Claimed, Replay, Mismatch, InProgress {}
  /** This request holds the key; {@code token} must accompany its complete() or release(). */
  public record Claimed(UUID token) implements Claim {}
  public record Replay(int status, String body) implements Claim {}
  public record Mismatch() implements Claim {}
  public record InProgress() implements Claim {}

  public IdempotencyStore(Pool pool, int retentionSeconds) {
    this.pool = pool;
    this.retentionSeconds = retentionSeconds;
  }

  public Future<Claim> claim(Principal who, String key, byte[] fingerprint) {
    UUID token = UUID.randomUUID();
    return pool.preparedQuery(IdempotencySql.CLAIM)
        .execute(Tuple.of(who.accountId(), who.livemode(), key, Buffer.buffer(fingerprint), retentionSeconds,
            ABANDONED_AFTER_SECONDS, token))
        .map(rows -> {
          if (rows.size() == 0) {
            return new InProgress();
          }
          Row r = rows.iterator().next();
          if (r.getBoolean(0)) {
            return new Claimed(token);
          }
          if (!Arrays.equals(r.getBuffer(1).getBytes(), fingerprint)) {
            return new Mismatch();
          }
          Integer status = r.getInteger(2);
          return status == null ? new InProgress() : new Replay(status, r.getString(3));
        });
  }

  public Future<Void> complete(Principal who, String key, UUID token, int status, String body) {
    return pool.preparedQuery(IdempotencySql.COMPLETE)
        .execute(Tuple.of(who.accountId(), who.livemode(), key, status, body, token)).mapEmpty();
  }

  public Future<Void> release(Principal who, String key, UUID token) {
    return pool.preparedQuery(IdempotencySql.RELEASE)
        .execute(Tuple.of(who.accountId(), who.livemode(), key, token)).mapEmpty();
  }

  /** Forgets expired records, slice after slice while slices come back full (bounded per pass). */
  public Future<Integer> prune() {
    return pruneFrom(0, 0);
  }

  private Future<Integer> pruneFrom(int slices, int pruned) {
    return pool.preparedQuery(IdempotencySql.PRUNE).execute(Tuple.of(retentionSeconds, SLICE))
        .compose(rows -> rows.rowCount() == SLICE && slices + 1 < 200
            ? pruneFrom(slices + 1, pruned + rows.rowCount())
            : Future.succeededFuture(pruned + rows.rowCount()));
  }
}
