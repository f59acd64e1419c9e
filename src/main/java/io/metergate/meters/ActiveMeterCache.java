package io.metergate.meters;

import io.vertx.core.Future;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Meters by (account, mode, event name) for the ingest hot path, shared by every event loop.
 * Changes made through this gateway invalidate at once; changes made through another replica are
 * seen within the TTL. Absent meters are cached too, so unknown event names cannot hammer the
 * database.
 */
public final class ActiveMeterCache {
  private static final int MAX_ENTRIES = 100_000;

  private final long ttlMillis;
  private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();
  /** Bumped by invalidate(): a load that began before the change must not cache what it read. */
  private final ConcurrentHashMap<Key, Long> generations = new ConcurrentHashMap<>();
  private volatile MeterLoader loader;

  public interface MeterLoader {
    Future<Meter> load(long accountId, boolean livemode, String eventName);
  }

  private record Key(long accountId, boolean livemode, String eventName) {}

  private record Entry(Optional<Meter> meter, long expiresAt) {}

  public ActiveMeterCache(long ttlMillis) {
    this.ttlMillis = ttlMillis;
  }

  public void loader(MeterLoader loader) {
    this.loader = loader;
  }

  /**
   * The cached answer without a round trip: empty Optional for "no such meter", or null when the
   * cache does not know (then call {@link #load}).
   */
  @SuppressWarnings("OptionalAssignedToNull")
  public Optional<Meter> cached(long accountId, boolean livemode, String eventName) {
    Entry e = entries.get(new Key(accountId, livemode, eventName));
    return e != null && e.expiresAt > System.currentTimeMillis() ? e.meter : null;
  }

  public Future<Optional<Meter>> load(long accountId, boolean livemode, String eventName) {
    Key key = new Key(accountId, livemode, eventName);
    long generation = generations.getOrDefault(key, 0L);
    return loader.load(accountId, livemode, eventName).map(m -> {
      Optional<Meter> found = Optional.ofNullable(m);
      if (generations.getOrDefault(key, 0L) == generation) {
        if (entries.size() >= MAX_ENTRIES) {
          entries.clear();
        }
        entries.put(key, new Entry(found, System.currentTimeMillis() + ttlMillis));
      }
      return found;
    });
  }

  public void invalidate(long accountId, boolean livemode, String eventName) {
    Key key = new Key(accountId, livemode, eventName);
    if (generations.size() >= MAX_ENTRIES) {
      generations.clear();
    }
    generations.merge(key, 1L, Long::sum);
    entries.remove(key);
  }
}
