package io.metergate.ingest;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Forgets identifiers older than the dedup window, a bounded slice per run. */
public final class DedupWindowPruner {
  private static final Logger LOG = LoggerFactory.getLogger(DedupWindowPruner.class);
  private static final int SLICE = 50_000;
  static final int MAX_SLICES = 200;

  private final Pool pool;
  private final int windowSeconds;

  public DedupWindowPruner(Pool pool, int windowSeconds) {
    this.pool = pool;
    this.windowSeconds = windowSeconds;
  }

  /**
   * Completes with the number of identifiers forgotten in this pass: slices are repeated while they
   * come back full (at most {@link #MAX_SLICES} per pass), so pruning keeps up with high ingest rates.
   */
  public Future<Integer> prune() {
    return pruneFrom(0, 0);
  }

  private Future<Integer> pruneFrom(int slices, int pruned) {
    return pool.preparedQuery(IngestSql.PRUNE_IDENTIFIERS).execute(Tuple.of(windowSeconds, SLICE))
        .compose(rows -> {
          int total = pruned + rows.rowCount();
          if (rows.rowCount() == SLICE && slices + 1 < MAX_SLICES) {
            return pruneFrom(slices + 1, total);
          }
          if (total > 0) {
            LOG.debug("Pruned {} identifiers older than the dedup window", total);
          }
          return Future.succeededFuture(total);
        })
        .onFailure(err -> LOG.warn("Could not prune the dedup window: {}", err.getMessage()));
  }
}
