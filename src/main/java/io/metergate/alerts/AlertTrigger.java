package io.metergate.alerts;

import io.metergate.events.EventLog;
import io.metergate.usage.AlertCheck;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Fires alerts whose usage reached their threshold: inside the usage folder's transaction, so an
 * alert triggers exactly once per customer and its event (and webhook deliveries) commit with it.
 */
public final class AlertTrigger {
  public static final String EVENT_TYPE = "billing.alert.triggered";
  private static final BigDecimal MAX_LONG = BigDecimal.valueOf(Long.MAX_VALUE);

  private AlertTrigger() {}

  /** Returns how many alerts triggered; an {@link io.metergate.usage.AlertCheck} for the usage folder. */
  public static Future<Integer> fire(SqlConnection tx, Collection<AlertCheck.Moved> pairs) {
    if (pairs.isEmpty()) {
      return Future.succeededFuture(0);
    }
    Long[] alerts = new Long[pairs.size()];
    String[] customers = new String[pairs.size()];
    int i = 0;
    for (AlertCheck.Moved p : pairs) {
      alerts[i] = p.alertId();
      customers[i++] = p.customer();
    }
    return tx.preparedQuery(AlertSql.FIRE).execute(Tuple.tuple().addArrayOfLong(alerts).addArrayOfString(customers))
        .compose(rows -> {
          List<EventLog.NewEvent> events = new ArrayList<>(rows.size());
          for (Row r : rows) {
            events.add(triggered(r));
          }
          return EventLog.record(tx, events).map(ids -> events.size());
        });
  }

  private static EventLog.NewEvent triggered(Row r) {
    Alert alert = AlertStore.toAlert(r);
    JsonObject object = new JsonObject()
        .put("object", "billing.alert_triggered")
        .put("alert", AlertJson.render(alert))
        .put("created", r.getOffsetDateTime("triggered_at").toEpochSecond())
        .put("customer", r.getString("usage_customer"))
        .put("livemode", alert.livemode())
        .put("value", wholeUsage(r.getBigDecimal("usage")));
    return new EventLog.NewEvent(alert.accountId(), alert.livemode(), EVENT_TYPE, object);
  }

  /** Stripe reports the usage as an integer; it is at least gte, so rounding down keeps that true. */
  static long wholeUsage(BigDecimal usage) {
    BigDecimal whole = usage.setScale(0, RoundingMode.FLOOR);
    return whole.compareTo(MAX_LONG) > 0 ? Long.MAX_VALUE : whole.longValueExact();
  }
}
