package io.metergate.ingest;

final class IngestSql {
  /**
   * One statement, one round trip, one transaction per flush. Identifiers are claimed first in the
   * narrow dedup table; only rows whose claim succeeded are stored. The result lists the batch
   * positions that were duplicates (usually none). A claim older than the dedup window ($11 seconds)
   * counts as free and is renewed, so correctness does not depend on the pruner keeping up. Claims
   * are taken in dedup-key order so concurrent flushes lock index entries in the same order and
   * cannot deadlock.
   *
   * <p>Event ids are drawn here in arrival order (the batch position $10: rows come in the order they
   * arrived), so on equal timestamps the event that came
   * later wins for "last". The claim keeps the event id, so a cancellation finds the event by
   * identifier.
   */
  static final String INSERT_BATCH = """
      WITH batch AS MATERIALIZED (
        SELECT b.*, nextval('meter_events_id_seq'::regclass) AS id
          FROM (SELECT * FROM unnest($1::int8[], $2::bool[], $3::uuid[], $4::int8[], $5::text[], $6::text[],
                                     $7::int8[], $8::text[], $9::text[], $10::int4[], $12::bool[])
                  AS u(account_id, livemode, identifier_hash, meter_id, customer_id, value, event_us, identifier,
                       payload, pos, latest_wins)
                 ORDER BY pos) b
      ), claimed AS (
        INSERT INTO meter_event_identifiers (account_id, livemode, identifier_hash, event_id)
        SELECT account_id, livemode, identifier_hash, id FROM batch ORDER BY account_id, livemode, identifier_hash
        ON CONFLICT (account_id, livemode, identifier_hash) DO UPDATE SET received_at = now(), event_id = EXCLUDED.event_id
         WHERE meter_event_identifiers.received_at < now() - make_interval(secs => $11)
        RETURNING account_id, livemode, identifier_hash
      ), stored AS (
        INSERT INTO meter_events (id, account_id, livemode, meter_id, customer_id, value, event_ts, identifier, payload,
                                  latest_wins)
        OVERRIDING SYSTEM VALUE
        SELECT b.id, b.account_id, b.livemode, b.meter_id, b.customer_id, b.value::numeric,
               timestamptz 'epoch' + b.event_us * interval '1 microsecond', b.identifier,
               b.payload::jsonb, b.latest_wins
          FROM batch b JOIN claimed c USING (account_id, livemode, identifier_hash)
      )
      SELECT b.pos FROM batch b LEFT JOIN claimed c USING (account_id, livemode, identifier_hash)
       WHERE c.identifier_hash IS NULL""";

  /** Bounded so one pass never holds locks for long; repeated each interval until caught up. */
  static final String PRUNE_IDENTIFIERS = """
      DELETE FROM meter_event_identifiers
       WHERE ctid IN (SELECT ctid FROM meter_event_identifiers
                       WHERE received_at < now() - make_interval(secs => $1) LIMIT $2)""";

  private IngestSql() {}
}
