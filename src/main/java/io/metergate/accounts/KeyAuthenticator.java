package io.metergate.accounts;

import io.metergate.common.ApiError;
import io.metergate.common.LogThrottle;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves a secret key to its account and mode. Lookups are cached for a short time (shared by all
 * event loops) so that the single-event routes do not pay a database round trip per request; a
 * revoked key stops working within the TTL.
 */
public final class KeyAuthenticator {
  private static final Logger LOG = LoggerFactory.getLogger(KeyAuthenticator.class);
  private static final LogThrottle LOOKUP_FAILURES = new LogThrottle(10_000);
  private static final int MAX_ENTRIES = 10_000;

  private final Pool pool;
  private final long ttlMillis;
  private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

  private record Cached(Optional<Principal> principal, long expiresAt) {}

  public KeyAuthenticator(Pool pool, long ttlMillis) {
    this.pool = pool;
    this.ttlMillis = ttlMillis;
  }

  public Future<Principal> authenticate(String key) {
    if (!ApiKeys.wellFormed(key)) {
      return Future.failedFuture(invalidKey(key));
    }
    byte[] hash = ApiKeys.hash(key);
    String cacheKey = HexFormat.of().formatHex(hash);
    Cached cached = cache.get(cacheKey);
    long now = System.currentTimeMillis();
    if (cached != null && cached.expiresAt > now) {
      return cached.principal.map(Future::succeededFuture).orElseGet(() -> Future.failedFuture(invalidKey(key)));
    }
    return pool.preparedQuery(AccountSql.FIND_BY_KEY_HASH)
        .execute(Tuple.of(Buffer.buffer(hash)))
        .recover(err -> {
          if (LOOKUP_FAILURES.allow()) {
            LOG.warn("API key lookups are failing, answering 503: {}", err.toString());
          }
          return Future.failedFuture(ApiError.unavailable("Could not verify the API key: the database is unavailable.", 1));
        })
        .compose(rows -> {
          Optional<Principal> found = rows.size() == 0 ? Optional.empty() : Optional.of(toPrincipal(rows.iterator().next()));
          remember(cacheKey, found, now);
          return found.map(Future::succeededFuture).orElseGet(() -> Future.failedFuture(invalidKey(key)));
        });
  }

  private void remember(String cacheKey, Optional<Principal> principal, long now) {
    if (cache.size() >= MAX_ENTRIES) {
      cache.clear();
    }
    cache.put(cacheKey, new Cached(principal, now + ttlMillis));
  }

  private static Principal toPrincipal(Row row) {
    return new Principal(row.getLong(0), row.getString(1), row.getBoolean(2));
  }

  static ApiError invalidKey(String key) {
    return ApiError.unauthorized("api_key_invalid", "Invalid API Key provided: " + ApiKeys.hint(key));
  }
}
