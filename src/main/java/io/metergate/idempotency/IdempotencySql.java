package io.metergate.idempotency;

final class IdempotencySql {
  /**
   * Claims a key, or re-claims one whose record has expired or was abandoned mid-request. Returns
   * one row (claimed = true) on success, the existing record otherwise, or no row when another
   * request claimed the key an instant ago and has not committed its result yet.
   */
  static final String CLAIM = """
      WITH claim AS (
        INSERT INTO idempotency_keys (account_id, livemode, idempotency_key, fingerprint, claim_token)
        VALUES ($1, $2, $3, $4, $7)
        ON CONFLICT (account_id, livemode, idempotency_key) DO UPDATE
           SET fingerprint = EXCLUDED.fingerprint, status_code = NULL, response_body = NULL, created_at = now(),
               claim_token = EXCLUDED.claim_token
         WHERE idempotency_keys.created_at < now() - make_interval(secs => $5)
            OR (idempotency_keys.status_code IS NULL
                AND idempotency_keys.created_at < now() - make_interval(secs => $6))
        RETURNING true AS claimed
      )
      SELECT true, NULL::bytea, NULL::int, NULL::text FROM claim
      UNION ALL
      SELECT false, fingerprint, status_code, response_body FROM idempotency_keys
       WHERE account_id = $1 AND livemode = $2 AND idempotency_key = $3 AND NOT EXISTS (SELECT 1 FROM claim)""";

  static final String COMPLETE = """
      UPDATE idempotency_keys SET status_code = $4, response_body = $5
       WHERE account_id = $1 AND livemode = $2 AND idempotency_key = $3 AND claim_token = $6""";

  static final String RELEASE = """
      DELETE FROM idempotency_keys
       WHERE account_id = $1 AND livemode = $2 AND idempotency_key = $3 AND status_code IS NULL
         AND claim_token = $4""";

  static final String PRUNE = """
      DELETE FROM idempotency_keys
       WHERE ctid IN (SELECT ctid FROM idempotency_keys
                       WHERE created_at < now() - make_interval(secs => $1) LIMIT $2)""";

  private IdempotencySql() {}
}
