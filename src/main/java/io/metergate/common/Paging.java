package io.metergate.common;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.Collections;
import java.util.List;

/**
 * Stripe list pages read by id: newest first below a starting_after cursor, or upwards above an
 * ending_before cursor and then reversed. Stores fetch {@code limit + 1} rows to learn has_more.
 */
public final class Paging {
  public record Page<T>(List<T> items, boolean hasMore) {}

  private Paging() {}

  public static boolean backwards(ListRequest r) {
    return r.endingBefore() != null;
  }

  /** The cursor given, or null. */
  public static String cursor(ListRequest r) {
    return backwards(r) ? r.endingBefore() : r.startingAfter();
  }

  public static String cursorParam(ListRequest r) {
    return backwards(r) ? "ending_before" : "starting_after";
  }

  /** The exclusive id bound when no cursor is given. */
  public static long openBound(ListRequest r) {
    return backwards(r) ? 0L : Long.MAX_VALUE;
  }

  /**
   * The exclusive id bound of the page: the open bound without a cursor, else the row id of the
   * cursor's object, read by {@code cursorIdSql} with the cursor as $1 and {@code scope} after it
   * (usually account and livemode). A cursor naming nothing there is a 404 on the cursor parameter.
   */
  public static Future<Long> bound(SqlClient db, ListRequest r, String cursorIdSql, String resource,
                                   Object... scope) {
    String cursor = cursor(r);
    if (cursor == null) {
      return Future.succeededFuture(openBound(r));
    }
    Tuple args = Tuple.tuple().addString(cursor);
    for (Object o : scope) {
      args.addValue(o);
    }
    return db.preparedQuery(cursorIdSql).execute(args).map(rows -> {
      if (rows.size() == 0) {
        throw ApiError.notFound(resource, cursor, cursorParam(r));
      }
      return rows.iterator().next().getLong(0);
    });
  }

  /** Rows mapped into a mutable list, for {@link #page}. */
  public static <R, T> List<T> rows(Iterable<R> rows, java.util.function.Function<R, T> map) {
    List<T> out = new java.util.ArrayList<>();
    rows.forEach(r -> out.add(map.apply(r)));
    return out;
  }

  /** {@code rows}: up to limit + 1 items in read order (mutable); the page in newest-first order. */
  public static <T> Page<T> page(List<T> rows, ListRequest r) {
    boolean hasMore = rows.size() > r.limit();
    if (hasMore) {
      rows.remove(rows.size() - 1);
    }
    if (backwards(r)) {
      Collections.reverse(rows);
    }
    return new Page<>(rows, hasMore);
  }
}
