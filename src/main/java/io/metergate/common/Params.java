package io.metergate.common;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Typed, validating access to request parameters held as a tree of maps, lists and scalars: a
 * decoded v1 form (every scalar a String) or a v2 JSON body (scalars keep their JSON type). Every
 * failure names the parameter in the caller's notation: {@code payload[value]} for v1,
 * {@code events[3].payload.value} for v2.
 */
public final class Params {
  public enum Style { FORM, JSON }

  private static final Pattern INTEGER = Pattern.compile("-?\\d{1,18}");
  private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d{1,20}(\\.\\d{0,12})?|\\.\\d{1,12})");

  private final Map<String, Object> values;
  private final String prefix;
  private final Style style;

  public Params(Map<String, Object> values, Style style) {
    this(values, "", style);
  }

  private Params(Map<String, Object> values, String prefix, Style style) {
    this.values = values;
    this.prefix = prefix;
    this.style = style;
  }

  public String path(String name) {
    if (prefix.isEmpty()) {
      return name;
    }
    return style == Style.FORM ? prefix + "[" + name + "]" : prefix + "." + name;
  }

  public String indexPath(String name, int index) {
    return path(name) + "[" + index + "]";
  }

  public Style style() {
    return style;
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  /**
   * Sent with an empty value ({@code name=}): Stripe's way to clear a field, as opposed to leaving it
   * out, which keeps it.
   */
  public boolean isEmptyValue(String name) {
    return "".equals(values.get(name));
  }

  /** Given as an object ({@code name[k]=v}) rather than a single value. */
  public boolean isObject(String name) {
    return values.get(name) instanceof Map<?, ?>;
  }

  /** The same parameters without {@code name} (a copy; this one is unchanged). */
  public Params without(String name) {
    Map<String, Object> rest = new java.util.LinkedHashMap<>(values);
    rest.remove(name);
    return new Params(rest, prefix, style);
  }

  /** An optional string that {@code name=} clears: null when cleared or absent. */
  public String clearableString(String name, int maxLength) {
    return isEmptyValue(name) ? null : optionalString(name, maxLength);
  }

  public Set<String> names() {
    return values.keySet();
  }

  /** Rejects any parameter not in {@code allowed}; {@code expand} is handled separately. */
  public Params allowOnly(Collection<String> allowed) {
    for (String name : values.keySet()) {
      if (!allowed.contains(name)) {
        throw ApiError.unknownParam(path(name));
      }
    }
    return this;
  }

  public String requiredString(String name, int maxLength) {
    String value = optionalString(name, maxLength);
    if (value == null) {
      throw ApiError.missing(path(name));
    }
    return value;
  }

  public String optionalString(String name, int maxLength) {
    Object raw = values.get(name);
    if (raw == null) {
      return null;
    }
    if (!(raw instanceof String s)) {
      throw ApiError.invalid("parameter_invalid_string",
          "Invalid " + path(name) + ": must be a string.", path(name));
    }
    if (s.isEmpty()) {
      throw ApiError.invalid("parameter_invalid_empty",
          "You passed an empty string for '" + path(name) + "'. We assume empty values are an attempt to unset a"
              + " parameter; however '" + path(name) + "' cannot be unset. You should remove '" + path(name)
              + "' from your request or supply a non-empty value.", path(name));
    }
    if (s.length() > maxLength) {
      throw ApiError.invalid("string_too_long",
          "Invalid " + path(name) + ": must be at most " + maxLength + " characters.", path(name));
    }
    return storable(s, path(name));
  }

  /**
   * Text PostgreSQL can store as given: no NUL characters (it refuses them, and one such value
   * would fail a whole group commit) and no unpaired UTF-16 surrogates (they would be replaced).
   */
  public static String storable(String s, String param) {
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (c == 0) {
        throw ApiError.invalid("parameter_invalid_string", "Invalid " + param + ": must not contain NUL characters.",
            param);
      }
      if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw ApiError.invalid("parameter_invalid_string",
            "Invalid " + param + ": must be valid Unicode text.", param);
      }
    }
    return s;
  }

  public String optionalEnum(String name, List<String> allowed) {
    String value = optionalString(name, 100);
    if (value != null && !allowed.contains(value)) {
      throw ApiError.invalid("parameter_invalid_enum",
          "Invalid " + path(name) + ": must be one of " + String.join(", ", allowed) + ".", path(name));
    }
    return value;
  }

  public String requiredEnum(String name, List<String> allowed) {
    String value = optionalEnum(name, allowed);
    if (value == null) {
      throw ApiError.missing(path(name));
    }
    return value;
  }

  public Long optionalInteger(String name) {
    Object raw = values.get(name);
    if (raw == null) {
      return null;
    }
    if (raw instanceof Number n && (n instanceof Integer || n instanceof Long)) {
      return n.longValue();
    }
    if (raw instanceof String s && INTEGER.matcher(s).matches()) {
      return Long.parseLong(s);
    }
    throw ApiError.invalid("parameter_invalid_integer",
        "Invalid integer: " + abbreviate(raw), path(name));
  }

  public Params optionalObject(String name) {
    Object raw = values.get(name);
    if (raw == null) {
      return null;
    }
    if (!(raw instanceof Map<?, ?> map)) {
      throw ApiError.invalid("parameter_invalid_object",
          "Invalid " + path(name) + ": must be an object.", path(name));
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> typed = (Map<String, Object>) map;
    return new Params(typed, path(name), style);
  }

  public Params requiredObject(String name) {
    Params p = optionalObject(name);
    if (p == null) {
      throw ApiError.missing(path(name));
    }
    return p;
  }

  /** Arrays arrive as JSON arrays, or in forms as maps keyed "0", "1", ... (see FormDecoder). */
  public List<Object> optionalArray(String name) {
    Object raw = values.get(name);
    if (raw == null) {
      return null;
    }
    if (raw instanceof List<?> list) {
      return new ArrayList<>(list);
    }
    if (raw instanceof Map<?, ?> map && style == Style.FORM) {
      List<Object> out = new ArrayList<>(map.size());
      for (int i = 0; i < map.size(); i++) {
        Object item = map.get(Integer.toString(i));
        if (item == null) {
          throw ApiError.invalid("parameter_invalid_array",
              "Invalid array " + path(name) + ": indices must run from 0 without gaps.", path(name));
        }
        out.add(item);
      }
      return out;
    }
    throw ApiError.invalid("parameter_invalid_array", "Invalid " + path(name) + ": must be an array.", path(name));
  }

  public Params element(String arrayName, int index, Object element) {
    if (!(element instanceof Map<?, ?> map)) {
      throw ApiError.invalid("parameter_invalid_object",
          "Invalid " + indexPath(arrayName, index) + ": must be an object.", indexPath(arrayName, index));
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> typed = (Map<String, Object>) map;
    return new Params(typed, indexPath(arrayName, index), style);
  }

  /**
   * A map of string to string such as a meter event payload, with its size and every key and value
   * bounded; values that are not strings are refused rather than coerced.
   */
  public Map<String, String> requiredStringMap(String name, int maxKeys, int maxKeyLength, int maxValueLength) {
    Params map = requiredObject(name);
    if (map.values.size() > maxKeys) {
      throw ApiError.invalid("too_many_keys",
          "Invalid " + path(name) + ": at most " + maxKeys + " keys are allowed.", path(name));
    }
    Map<String, String> out = new LinkedHashMap<>(map.values.size() * 2);
    for (Map.Entry<String, Object> e : map.values.entrySet()) {
      String key = e.getKey();
      if (key.isEmpty() || key.length() > maxKeyLength) {
        throw ApiError.invalid("invalid_key",
            "Invalid " + path(name) + ": keys must be 1 to " + maxKeyLength + " characters.", map.path(key));
      }
      Object value = e.getValue();
      if (!(value instanceof String s)) {
        throw ApiError.invalid("parameter_invalid_string",
            "Invalid " + map.path(key) + ": payload values must be strings.", map.path(key));
      }
      if (s.length() > maxValueLength) {
        throw ApiError.invalid("string_too_long",
            "Invalid " + map.path(key) + ": must be at most " + maxValueLength + " characters.", map.path(key));
      }
      storable(key, map.path("(key)"));
      out.put(key, storable(s, map.path(key)));
    }
    return out;
  }

  /** Plain decimal notation only: no exponent, NaN or infinity, bounded precision. */
  public static BigDecimal parseDecimal(String s) {
    if (s == null || !DECIMAL.matcher(s).matches()) {
      return null;
    }
    return new BigDecimal(s);
  }

  private static String abbreviate(Object raw) {
    String s = String.valueOf(raw);
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
