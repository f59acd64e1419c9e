package io.metergate.common;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes Stripe's v1 form encoding ({@code a[b][0][c]=v}, {@code expand[]=x}) into a tree of maps
 * and strings that {@link Params} reads. Array indices stay map keys ("0", "1") so that gaps can be
 * reported; {@code name[]} appends to a list.
 */
public final class FormDecoder {
  public static final int MAX_DEPTH = 5;
  public static final int MAX_FIELDS = 1000;

  private FormDecoder() {}

  public static Map<String, Object> decode(String body) {
    Map<String, Object> root = new LinkedHashMap<>();
    if (body == null || body.isEmpty()) {
      return root;
    }
    String[] pairs = body.split("&", -1);
    if (pairs.length > MAX_FIELDS && java.util.Arrays.stream(pairs).filter(s -> !s.isEmpty()).count() > MAX_FIELDS) {
      throw ApiError.invalid("too_many_parameters",
          "The request has more than " + MAX_FIELDS + " parameters.", null);
    }
    for (String pair : pairs) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = urlDecode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : urlDecode(pair.substring(eq + 1));
      put(root, key, value);
    }
    return root;
  }

  public static Map<String, Object> decode(List<Map.Entry<String, String>> entries) {
    Map<String, Object> root = new LinkedHashMap<>();
    if (entries.size() > MAX_FIELDS) {
      throw ApiError.invalid("too_many_parameters",
          "The request has more than " + MAX_FIELDS + " parameters.", null);
    }
    for (Map.Entry<String, String> e : entries) {
      put(root, e.getKey(), e.getValue());
    }
    return root;
  }

  private static String urlDecode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiError.invalid("invalid_form_encoding",
          "The request body is not valid application/x-www-form-urlencoded data.", null);
    }
  }

  @SuppressWarnings("unchecked")
  static void put(Map<String, Object> root, String key, String value) {
    List<String> path = parseKey(key);
    Map<String, Object> node = root;
    for (int i = 0; i < path.size() - 1; i++) {
      String segment = path.get(i);
      String next = path.get(i + 1);
      Object child = node.get(segment);
      if (next.isEmpty()) {
        if (i + 2 != path.size()) {
          throw malformed(key);
        }
        List<Object> list;
        if (child == null) {
          list = new ArrayList<>();
          node.put(segment, list);
        } else if (child instanceof List<?>) {
          list = (List<Object>) child;
        } else {
          throw conflict(key);
        }
        list.add(value);
        return;
      }
      if (child == null) {
        child = new LinkedHashMap<String, Object>();
        node.put(segment, child);
      } else if (!(child instanceof Map<?, ?>)) {
        throw conflict(key);
      }
      node = (Map<String, Object>) child;
    }
    String leaf = path.get(path.size() - 1);
    Object existing = node.get(leaf);
    if (existing instanceof Map<?, ?> || existing instanceof List<?>) {
      throw conflict(key);
    }
    node.put(leaf, value);
  }

  private static List<String> parseKey(String key) {
    List<String> path = new ArrayList<>(4);
    int open = key.indexOf('[');
    if (open == 0 || key.isEmpty()) {
      throw malformed(key);
    }
    if (open < 0) {
      path.add(key);
      return path;
    }
    path.add(key.substring(0, open));
    int i = open;
    while (i < key.length()) {
      if (key.charAt(i) != '[') {
        throw malformed(key);
      }
      int close = key.indexOf(']', i);
      if (close < 0) {
        throw malformed(key);
      }
      path.add(key.substring(i + 1, close));
      if (path.size() > MAX_DEPTH + 1) {
        throw ApiError.invalid("parameter_nesting_too_deep",
            "Parameter " + abbreviate(key) + " is nested more than " + MAX_DEPTH + " levels deep.", abbreviate(key));
      }
      i = close + 1;
    }
    return path;
  }

  private static ApiError malformed(String key) {
    return ApiError.invalid("parameter_invalid_name", "Invalid parameter name: " + abbreviate(key), abbreviate(key));
  }

  private static ApiError conflict(String key) {
    return ApiError.invalid("parameter_conflict",
        "Parameter " + abbreviate(key) + " is given both as a value and as an object or array.", abbreviate(key));
  }

  private static String abbreviate(String key) {
    return key.length() > 120 ? key.substring(0, 120) + "..." : key;
  }
}
