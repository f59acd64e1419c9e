package io.metergate.accounts;

final class AccountSql {
  static final String FIND_BY_KEY_HASH = """
      SELECT a.id, a.public_id, k.livemode
        FROM api_keys k JOIN accounts a ON a.id = k.account_id
       WHERE k.key_hash = $1 AND k.revoked_at IS NULL""";

  private AccountSql() {}
}
