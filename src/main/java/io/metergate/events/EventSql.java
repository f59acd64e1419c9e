package io.metergate.events;

final class EventSql {
  /** Events, and in the same statement one pending delivery per enabled endpoint that wants the type. */
  static final String RECORD = """
      WITH ev AS (
        INSERT INTO events (public_id, account_id, livemode, type, api_version, data_object)
        SELECT x.public_id, x.account_id, x.livemode, x.type, $6, x.data_object::jsonb
          FROM unnest($1::text[], $2::int8[], $3::bool[], $4::text[], $5::text[])
            AS x(public_id, account_id, livemode, type, data_object)
        RETURNING id, account_id, livemode, type
      )
      INSERT INTO webhook_deliveries (event_id, endpoint_id)
      SELECT ev.id, we.id
        FROM ev JOIN webhook_endpoints we
          ON we.account_id = ev.account_id AND we.livemode = ev.livemode
         AND we.deleted_at IS NULL AND we.status = 'enabled'
         AND we.enabled_events && ARRAY['*', ev.type]""";

  private EventSql() {}
}
