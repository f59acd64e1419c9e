package io.metergate.usage;

import io.metergate.alerts.AlertTrigger;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Recomputes alert progress from the aggregates, for the cases an increment cannot express: a new
 * event replacing an earlier one (windowed meters) and cancellations. Progress is then exactly
 * the summary of the customer's folded usage from the alert's counts_from onwards.
 */
final class AlertUsage {
  /** Events may be timestamped up to 5 minutes ahead; a day covers them with room to spare. */
  private static final long AHEAD_SECONDS = 86_400;

  private AlertUsage() {}

  static Future<Void> recompute(SqlClient tx, Collection<AlertTrigger.Pair> pairs, Instant now) {
    if (pairs.isEmpty()) {
      return Future.succeededFuture();
    }
    Long[] alerts = new Long[pairs.size()];
    String[] customers = new String[pairs.size()];
    int i = 0;
    for (AlertTrigger.Pair p : pairs) {
      alerts[i] = p.alertId();
      customers[i++] = p.customer();
    }
    long end = (now.getEpochSecond() + AHEAD_SECONDS) / 60 * 60;
    return tx.preparedQuery(UsageSql.RECOMPUTE_TARGETS)
        .execute(Tuple.tuple().addArrayOfLong(alerts).addArrayOfString(customers))
        .compose(rows -> {
          List<Row> targets = new ArrayList<>();
          List<UsageReader.Request> requests = new ArrayList<>();
          for (Row r : rows) {
            Aggregation.Spec spec = spec(r);
            Aggregation.Range range = Aggregation.fetchRange(spec, r.getLong("from_min") * 60, end);
            targets.add(r);
            requests.add(new UsageReader.Request(r.getLong("meter_id"), r.getString("customer_id"),
                range.fromMinute(), range.toMinute()));
          }
          return UsageReader.items(tx, requests, false).compose(items -> write(tx, targets, items, end));
        });
  }

  private static Future<Void> write(SqlClient tx, List<Row> targets, List<List<UsageItem>> items, long end) {
    int n = targets.size();
    Long[] alerts = new Long[n];
    String[] customers = new String[n];
    String[] sums = new String[n];
    Long[] counts = new Long[n];
    Long[] lastMicros = new Long[n];
    Long[] lastIds = new Long[n];
    String[] lastValues = new String[n];
    for (int i = 0; i < n; i++) {
      Row t = targets.get(i);
      Aggregation.Spec spec = spec(t);
      Aggregation.Window w = Aggregation.summarize(spec, t.getLong("from_min") * 60, end, 0, items.get(i)).get(0);
      alerts[i] = t.getLong("alert_id");
      customers[i] = t.getString("customer_id");
      sums[i] = spec.formula() == Aggregation.Formula.SUM ? w.value().toPlainString() : "0";
      counts[i] = w.events();
      lastMicros[i] = w.latest() == null ? null : w.latest().micros();
      lastIds[i] = w.latest() == null ? null : w.latest().id();
      lastValues[i] = w.latest() == null || w.latest().value() == null ? null : w.latest().value().toPlainString();
    }
    Tuple args = Tuple.tuple().addArrayOfLong(alerts).addArrayOfString(customers).addArrayOfString(sums)
        .addArrayOfLong(counts).addArrayOfLong(lastMicros).addArrayOfLong(lastIds).addArrayOfString(lastValues);
    return tx.preparedQuery(UsageSql.SET_PROGRESS).execute(args).mapEmpty();
  }

  private static Aggregation.Spec spec(Row r) {
    return Aggregation.Spec.of(r.getString("formula"), r.getString("event_time_window"));
  }
}
