package io.metergate.app;

import io.metergate.accounts.AccountAdmin;
import io.metergate.accounts.ApiKeys;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;

/**
 * {@code keys create [--mode test|live] [--account acct_...|--new-account]}: creates a secret key
 * and prints it once on standard output (the database keeps only its digest).
 */
final class KeysCommand {
  private KeysCommand() {}

  static final String USAGE = "Usage: metergate keys create [--mode test|live] [--account acct_...|--new-account]"
      + " | keys revoke sk_... | keys list";

  static int run(String[] args) {
    if (args.length == 1 && args[0].equals("list")) {
      return withAdmin(admin -> {
        admin.describeKeys().forEach(System.out::println);
        return 0;
      });
    }
    if (args.length == 2 && args[0].equals("revoke")) {
      return withAdmin(admin -> {
        if (!admin.revokeKey(args[1])) {
          System.err.println("No active key matches " + ApiKeys.hint(args[1]) + ".");
          return 2;
        }
        System.err.println("Revoked " + ApiKeys.hint(args[1]) + "; gateways stop accepting it within their key"
            + " cache time (METERGATE_KEY_CACHE_TTL_MS).");
        return 0;
      });
    }
    if (args.length == 0 || !args[0].equals("create")) {
      System.err.println(USAGE);
      return 64;
    }
    boolean live = false;
    String account = null;
    boolean newAccount = false;
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--mode" -> {
          String mode = i + 1 < args.length ? args[++i] : "";
          if (!mode.equals("test") && !mode.equals("live")) {
            System.err.println("--mode must be test or live");
            return 64;
          }
          live = mode.equals("live");
        }
        case "--account" -> account = i + 1 < args.length ? args[++i] : null;
        case "--new-account" -> newAccount = true;
        default -> {
          System.err.println("Unknown option " + args[i]);
          return 64;
        }
      }
    }
    boolean liveMode = live;
    String named = account;
    boolean fresh = newAccount;
    return withAdmin(admin -> {
      String target = fresh ? admin.createAccount() : named != null ? named : soleAccount(admin);
      if (target == null) {
        return 2;
      }
      AccountAdmin.CreatedKey key;
      try {
        key = admin.addKey(target, ApiKeys.generate(liveMode));
      } catch (IllegalArgumentException noSuchAccount) {
        System.err.println("Could not create the key: " + noSuchAccount.getMessage());
        return 2;
      }
      System.out.println(key.key());
      System.err.println("Created a " + (liveMode ? "live" : "test") + " key for account " + key.accountPublicId()
          + ". It is shown only this once.");
      return 0;
    });
  }

  private interface AdminTask {
    int run(AccountAdmin admin) throws SQLException;
  }

  private static int withAdmin(AdminTask task) {
    DatabaseTarget db = Database.resolve(Config.fromEnv(System.getenv()));
    try {
      Migrations.run(db);
      try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
        return task.run(new AccountAdmin(c));
      }
    } catch (SQLException e) {
      System.err.println("Could not reach the key store: " + e.getMessage());
      return 2;
    } finally {
      if (db.embedded() != null) {
        try {
          db.embedded().close();
        } catch (Exception ignored) {
          // the process is exiting
        }
      }
    }
  }

  private static String soleAccount(AccountAdmin admin) throws SQLException {
    List<String> accounts = admin.accounts();
    if (accounts.size() == 1) {
      return accounts.get(0);
    }
    if (accounts.isEmpty()) {
      return admin.createAccount();
    }
    System.err.println("There are " + accounts.size() + " accounts (" + String.join(", ", accounts)
        + "): name one with --account, or use --new-account.");
    return null;
  }
}
