package io.metergate.accounts;

import io.metergate.common.Ids;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Account and key administration over JDBC: used at start-up and by the CLI, never on an event loop. */
public final class AccountAdmin {
  private final Connection connection;

  public record CreatedKey(String accountPublicId, String key, boolean livemode) {}

  public AccountAdmin(Connection connection) {
    this.connection = connection;
  }

  public String createAccount() throws SQLException {
    String publicId = Ids.newId("acct_");
    try (PreparedStatement ps = connection.prepareStatement("INSERT INTO accounts (public_id) VALUES (?)")) {
      ps.setString(1, publicId);
      ps.executeUpdate();
    }
    return publicId;
  }

  public List<String> accounts() throws SQLException {
    List<String> ids = new ArrayList<>();
    try (PreparedStatement ps = connection.prepareStatement("SELECT public_id FROM accounts ORDER BY id");
         ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
    }
    return ids;
  }

  public CreatedKey addKey(String accountPublicId, String key) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement("""
        INSERT INTO api_keys (account_id, livemode, key_hash, key_hint)
        SELECT id, ?, ?, ? FROM accounts WHERE public_id = ?""")) {
      ps.setBoolean(1, ApiKeys.livemode(key));
      ps.setBytes(2, ApiKeys.hash(key));
      ps.setString(3, ApiKeys.hint(key));
      ps.setString(4, accountPublicId);
      if (ps.executeUpdate() != 1) {
        throw new IllegalArgumentException("No such account: " + accountPublicId);
      }
    }
    return new CreatedKey(accountPublicId, key, ApiKeys.livemode(key));
  }

  /** Revokes a key by its full value; returns false when no such active key exists. */
  public boolean revokeKey(String key) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(
        "UPDATE api_keys SET revoked_at = now() WHERE key_hash = ? AND revoked_at IS NULL")) {
      ps.setBytes(1, ApiKeys.hash(key));
      return ps.executeUpdate() == 1;
    }
  }

  /** One line per key: account, mode, hint, created, revoked (never the key itself: it is not stored). */
  public List<String> describeKeys() throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = connection.prepareStatement("""
        SELECT a.public_id, k.livemode, k.key_hint, k.created_at, k.revoked_at
          FROM api_keys k JOIN accounts a ON a.id = k.account_id ORDER BY k.id""");
         ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(String.join("\t", rs.getString(1), rs.getBoolean(2) ? "live" : "test", rs.getString(3),
            "created " + rs.getTimestamp(4).toInstant(),
            rs.getTimestamp(5) == null ? "active" : "revoked " + rs.getTimestamp(5).toInstant()));
      }
    }
    return out;
  }

  /**
   * On an empty database, creates the first account with the given key. Serialised with an advisory
   * lock so replicas starting together bootstrap once. Returns null when accounts already exist.
   */
  public CreatedKey bootstrap(String key) throws SQLException {
    boolean auto = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try {
      try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(7301)")) {
        lock.execute();
      }
      CreatedKey created = null;
      if (accounts().isEmpty()) {
        created = addKey(createAccount(), key);
      }
      connection.commit();
      return created;
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(auto);
    }
  }

  /** The shared session-signing secret: created once, then the same for every replica. */
  public String sharedSetting(String name, String valueIfAbsent) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(
        "INSERT INTO gateway_settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")) {
      ps.setString(1, name);
      ps.setString(2, valueIfAbsent);
      ps.executeUpdate();
    }
    try (PreparedStatement ps = connection.prepareStatement("SELECT value FROM gateway_settings WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }
}
