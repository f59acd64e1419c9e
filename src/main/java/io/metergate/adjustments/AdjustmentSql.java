package io.metergate.adjustments;

final class AdjustmentSql {
  /** The event an identifier admitted, through the narrow dedup table (it keeps the event id). */
  static final String FIND_CLAIM = """
      SELECT event_id FROM meter_event_identifiers
       WHERE account_id = $1 AND livemode = $2 AND identifier_hash = $3""";

  /** Only events received within the last 24 hours can be canceled, as at Stripe. */
  static final String LOCK_EVENT = """
      SELECT id, meter_id, customer_id, value, event_ts, identifier, canceled_at, latest_wins
        FROM meter_events
       WHERE id = $1 AND account_id = $2 AND livemode = $3 AND received_at > now() - interval '24 hours'
         FOR UPDATE""";

  static final String CANCEL = "UPDATE meter_events SET canceled_at = now() WHERE id = $1";

  private AdjustmentSql() {}
}
