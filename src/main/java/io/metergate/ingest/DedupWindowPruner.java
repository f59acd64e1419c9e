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

  private final Pool pool;
  private final int windowSeconds;

  public DedupWindowPruner(Pool pool, int windowSeconds) {
    this.pool = pool;
    this.windowSeconds = windowSeconds;
  }

  /** Completes with the number of identifiers forgotten in this pass. */
  public Future<Integer> prune() {
    return pool.preparedQuery(IngestSql.PRUNE_IDENTIFIERS).execute(Tuple.of(windowSeconds, SLICE))
        .map(rows -> {
          if (rows.rowCount() > 0) {
            LOG.debug("Pruned {} identifiers older than the dedup window", rows.rowCount());
          }
          return rows.rowCount();
        })
        .onFailure(err -> LOG.warn("Could not prune the dedup window: {}", err.getMessage()));
  }
}
