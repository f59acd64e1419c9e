package io.metergate.invoices;

import io.metergate.common.ApiError;
import io.metergate.common.Params;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stripe's metadata update: {@code metadata=} clears every key, {@code metadata[k]=} removes one,
 * other values set keys; at most 50 keys of 40 characters, values of 500.
 */
record MetadataPatch(boolean clear, Map<String, String> changes) {
  static final MetadataPatch NONE = new MetadataPatch(false, Map.of());

  /** {@code raw}: the decoded form level that holds "metadata". */
  static MetadataPatch read(Params p, Map<String, Object> raw) {
    Object value = raw.get("metadata");
    if (value == null) {
      return NONE;
    }
    if ("".equals(value)) {
      return new MetadataPatch(true, Map.of());
    }
    return new MetadataPatch(false, new LinkedHashMap<>(p.requiredStringMap("metadata", 50, 40, 500)));
  }

  JsonObject applyTo(JsonObject current) {
    Map<String, Object> out = new LinkedHashMap<>(clear || current == null ? Map.of() : current.getMap());
    changes.forEach((k, v) -> {
      if (v.isEmpty()) {
        out.remove(k);
      } else {
        out.put(k, v);
      }
    });
    if (out.size() > 50) {
      throw ApiError.invalid("too_many_keys", "Invalid metadata: at most 50 keys are allowed.", "metadata");
    }
    return new JsonObject(out);
  }
}
