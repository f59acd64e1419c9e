package io.metergate.common;

import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * One page of a v1 list read with {@code limit + 1} rows: the extra row only says there is more.
 * Rows read backwards (for ending_before) are put back newest first.
 */
public record ListPage<T>(List<T> data, boolean hasMore) {
  public static <T> ListPage<T> of(RowSet<Row> rows, Function<Row, T> map, ListRequest page) {
    List<T> data = new ArrayList<>(rows.size());
    rows.forEach(r -> data.add(map.apply(r)));
    boolean hasMore = data.size() > page.limit();
    if (hasMore) {
      data.remove(data.size() - 1);
    }
    if (page.endingBefore() != null) {
      Collections.reverse(data);
    }
    return new ListPage<>(data, hasMore);
  }

  /** The exclusive id bound a list starts from when no cursor is given. */
  public static long openBound(ListRequest page) {
    return page.endingBefore() != null ? 0L : Long.MAX_VALUE;
  }
}
