package io.metergate.usage;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** Reads usage items for one or many (meter, customer, minute range) requests in one round trip. */
public final class UsageReader {
  public record Request(long meterId, String customerId, long fromMinute, long toMinute) {}

  private UsageReader() {}

  /** The aggregates and the events not yet folded into them, read in one snapshot. */
  public static Future<List<List<UsageItem>>> items(SqlClient client, List<Request> requests) {
    int n = requests.size();
    Long[] meters = new Long[n];
    String[] customers = new String[n];
    Long[] from = new Long[n];
    Long[] to = new Long[n];
    for (int i = 0; i < n; i++) {
      Request r = requests.get(i);
      meters[i] = r.meterId();
      customers[i] = r.customerId();
      from[i] = r.fromMinute();
      to[i] = r.toMinute();
    }
    Tuple args = Tuple.tuple().addArrayOfLong(meters).addArrayOfString(customers).addArrayOfLong(from)
        .addArrayOfLong(to);
    return client.preparedQuery(UsageSql.ITEMS).execute(args).map(rows -> {
      List<List<UsageItem>> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        out.add(new ArrayList<>());
      }
      for (Row r : rows) {
        out.get((int) (r.getLong(0) - 1)).add(toItem(r));
      }
      return out;
    });
  }

  private static UsageItem toItem(Row r) {
    Long lastMicros = r.getLong("last_us");
    UsageItem.Latest latest = lastMicros == null ? null
        : new UsageItem.Latest(lastMicros, r.getLong("last_id"), r.getBigDecimal("last_value"));
    BigDecimal sum = r.getBigDecimal("value_sum");
    return new UsageItem(r.getLong("minute"), sum == null ? BigDecimal.ZERO : sum, r.getLong("event_count"), latest);
  }
}
