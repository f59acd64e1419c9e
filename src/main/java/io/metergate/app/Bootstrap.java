package io.metergate.app;

import io.metergate.accounts.AccountAdmin;
import io.metergate.accounts.ApiKeys;
import io.metergate.session.SessionTokens;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Start-up data: the session-signing secret and, on an empty database, the first account and key. */
public final class Bootstrap {
  private static final Logger LOG = LoggerFactory.getLogger(Bootstrap.class);

  private Bootstrap() {}

  /** Returns the session-token signing secret. */
  public static byte[] run(DatabaseTarget db, Config config) {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
      AccountAdmin admin = new AccountAdmin(c);
      if (config.bootstrapKey().isPresent()) {
        AccountAdmin.CreatedKey created = admin.bootstrap(config.bootstrapKey().get());
        if (created != null) {
          // the documented development key is public; a configured one is a secret and only hinted at
          String shown = Config.DEFAULT_BOOTSTRAP_KEY.equals(created.key()) ? created.key() : ApiKeys.hint(created.key());
          LOG.info("Empty database: created account {} with {} key {} (set METERGATE_BOOTSTRAP_KEY=off to skip)",
              created.accountPublicId(), created.livemode() ? "live" : "test", shown);
        }
      }
      if (config.sessionSecret().isPresent()) {
        try {
          return SessionTokens.decodeSecret(config.sessionSecret().get());
        } catch (IllegalArgumentException e) {
          throw new ConfigException("METERGATE_SESSION_SECRET " + e.getMessage() + ".");
        }
      }
      String generated = HexFormat.of().formatHex(io.metergate.common.Ids.randomBytes(32));
      return HexFormat.of().parseHex(admin.sharedSetting("session_signing_secret", generated));
    } catch (SQLException e) {
      throw new ConfigException("Could not prepare the database " + db.describe() + ": " + e.getMessage());
    }
  }
}
