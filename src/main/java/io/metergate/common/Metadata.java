package io.metergate.common;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Stripe metadata: at most 50 keys of at most 40 characters, values of at most 500. In a request,
 * {@code metadata=} clears every key, {@code metadata[k]=} removes one, anything else sets it.
 */
public record Metadata(boolean clear, Map<String, String> set, Set<String> unset) {
  public static final int MAX_KEYS = 50;
  public static final int MAX_KEY_LENGTH = 40;
  public static final int MAX_VALUE_LENGTH = 500;
  public static final Metadata UNCHANGED = new Metadata(false, Map.of(), Set.of());

  /** {@code metadata=} (clear), absent (unchanged) or a map of strings. */
  public static Metadata parse(Params p) {
    return parse(p, "metadata");
  }

  /** The same rules for a parameter of another name (invoice_metadata on line operations). */
  public static Metadata parse(Params p, String name) {
    if (!p.has(name)) {
      return UNCHANGED;
    }
    if (p.isEmptyValue(name)) {
      return new Metadata(true, Map.of(), Set.of());
    }
    Map<String, String> given = p.requiredStringMap(name, MAX_KEYS, MAX_KEY_LENGTH, MAX_VALUE_LENGTH);
    Map<String, String> set = new LinkedHashMap<>();
    Set<String> unset = new LinkedHashSet<>();
    given.forEach((k, v) -> {
      if (v.isEmpty()) {
        unset.add(k);
      } else {
        set.put(k, v);
      }
    });
    return new Metadata(false, set, unset);
  }

  /** True when the request did not mention metadata at all. */
  public boolean unchanged() {
    return !clear && set.isEmpty() && unset.isEmpty();
  }

  /** The same change, on metadata stored as a JSON object (a jsonb column). */
  public JsonObject applyTo(JsonObject current) {
    return toJson(applyTo(fromJson(current)));
  }

  /** Metadata as stored in a jsonb column. */
  public static JsonObject toJson(Map<String, String> metadata) {
    return new JsonObject(new LinkedHashMap<>(metadata));
  }

  /** Metadata read from a jsonb column (null: none). */
  public static Map<String, String> fromJson(JsonObject stored) {
    Map<String, String> out = new LinkedHashMap<>();
    if (stored != null) {
      stored.forEach(e -> out.put(e.getKey(), String.valueOf(e.getValue())));
    }
    return out;
  }

  public Map<String, String> applyTo(Map<String, String> current) {
    Map<String, String> out = new LinkedHashMap<>(clear ? Map.of() : current);
    unset.forEach(out::remove);
    out.putAll(set);
    if (out.size() > MAX_KEYS) {
      throw ApiError.invalid("too_many_keys",
          "Invalid metadata: at most " + MAX_KEYS + " keys are allowed.", "metadata");
    }
    return out;
  }
}
