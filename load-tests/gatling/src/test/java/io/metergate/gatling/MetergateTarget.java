package io.metergate.gatling;

import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Settings shared by the Metergate simulations, read from system properties
 * ({@code mvn gatling:test -DbaseUrl=... -DdurationSeconds=...}), plus the loopback guard, the HTTP
 * protocol and a small blocking client for the one-off setup calls made in {@code before()}.
 *
 * <p>Everything is validated when the simulation class is instantiated, so a bad property or a
 * non-loopback target stops the run before any request is sent.
 */
final class MetergateTarget {
  static final String DEFAULT_BASE_URL = "http://127.0.0.1:8080";
  static final String DEFAULT_API_KEY = "sk_test_metergate_dev";
  /** The API version the official stripe-java 33.3.0 client pins and sends on every request. */
  static final String STRIPE_VERSION = "2026-07-29.dahlia";
  static final String FORM = "application/x-www-form-urlencoded;charset=UTF-8";
  static final String JSON = "application/json";
  private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

  final String baseUrl;
  /** Management listener (health, metrics); null when unknown, then the HTTP warm-up is off. */
  final String managementUrl;
  final String apiKey;
  final boolean allowRemote;
  final int durationSeconds;
  /** Existing meter event name from -DeventName, or null to create a meter in before(). */
  final String eventName;
  /** Prefix of every identifier this run sends; rows are counted with {@code like '<runId>-%'}. */
  final String runId;

  private final HttpClient setupClient = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5))
      .version(HttpClient.Version.HTTP_1_1)
      .build();

  private MetergateTarget() {
    allowRemote = Boolean.parseBoolean(System.getProperty("allowRemote", "false"));
    baseUrl = checkedUrl("baseUrl", System.getProperty("baseUrl", DEFAULT_BASE_URL));
    String mgmt = System.getProperty("managementUrl");
    if (mgmt == null) {
      // Only the stock layout (API 8080, management 9090 on the same host) can be guessed.
      URI api = URI.create(baseUrl);
      mgmt = api.getPort() == 8080 ? api.getScheme() + "://" + hostForUrl(api.getHost()) + ":9090" : "";
    }
    managementUrl = mgmt.isBlank() ? null : checkedUrl("managementUrl", mgmt);
    apiKey = System.getProperty("apiKey", DEFAULT_API_KEY);
    if (apiKey.isBlank()) {
      throw new IllegalArgumentException("-DapiKey must not be empty");
    }
    durationSeconds = intProperty("durationSeconds", 60, 1, 86_400);
    String name = System.getProperty("eventName", "");
    eventName = name.isBlank() ? null : name;
    String hex = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL | 0x1000000L).substring(1);
    runId = System.getProperty("runId",
        "gt" + DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC).format(Instant.now()) + hex);
    if (!runId.matches("[A-Za-z0-9_]{1,40}")) {
      throw new IllegalArgumentException("-DrunId must be 1..40 letters, digits or underscores");
    }
  }

  static MetergateTarget fromSystemProperties() {
    return new MetergateTarget();
  }

  /** Protocol shared by both simulations: JSON accept, Stripe-Version, warm-up on the gateway. */
  HttpProtocolBuilder protocol() {
    HttpProtocolBuilder p = http.baseUrl(baseUrl)
        .acceptHeader(JSON)
        .userAgentHeader("Metergate-Gatling/0.1 (Gatling 3.15.1)")
        .header("Stripe-Version", STRIPE_VERSION);
    return managementUrl == null ? p.disableWarmUp() : p.warmUp(managementUrl + "/health/live");
  }

  String describe() {
    return "target " + baseUrl + " (management " + (managementUrl == null ? "unknown, HTTP warm-up off" : managementUrl)
        + "), run id " + runId + ", duration " + durationSeconds + "s";
  }

  // ------------------------------------------------------------------ setup calls (before())

  /**
   * Creates a sum meter for {@code eventName} with the secret key, as the SDK would, and returns its
   * id. Blocking; only for {@code before()}, never inside a scenario.
   */
  String createMeter(String eventName, String displayName) {
    String body = form(
        "display_name", displayName,
        "event_name", eventName,
        "default_aggregation[formula]", "sum",
        "customer_mapping[type]", "by_id",
        "customer_mapping[event_payload_key]", "stripe_customer_id",
        "value_settings[event_payload_key]", "value");
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/v1/billing/meters"))
        .timeout(Duration.ofSeconds(15))
        .header("Authorization", "Bearer " + apiKey)
        .header("Stripe-Version", STRIPE_VERSION)
        .header("Idempotency-Key", UUID.randomUUID().toString())
        .header("Content-Type", FORM)
        .header("Accept", JSON)
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    HttpResponse<String> response;
    try {
      response = setupClient.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("setup: cannot reach " + baseUrl + " to create meter '" + eventName + "': " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("setup interrupted", e);
    }
    Matcher id = Pattern.compile("\"id\"\\s*:\\s*\"(mtr_[^\"]+)\"").matcher(response.body());
    if (response.statusCode() != 200 || !id.find()) {
      throw new IllegalStateException("setup: POST /v1/billing/meters answered " + response.statusCode() + ": "
          + abbreviate(response.body(), 500));
    }
    return id.group(1);
  }

  /** The meter event name this run uses: -DeventName, or a fresh one derived from the run id. */
  String eventNameOr(String prefix) {
    return eventName != null ? eventName : prefix + "_" + runId.toLowerCase(Locale.ROOT);
  }

  // ------------------------------------------------------------------ helpers

  /** Stripe v1 form encoding as stripe-java sends it: literal brackets in keys, encoded values. */
  static String form(String... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("form needs key/value pairs");
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      if (sb.length() > 0) {
        sb.append('&');
      }
      sb.append(keysAndValues[i]).append('=').append(URLEncoder.encode(keysAndValues[i + 1], StandardCharsets.UTF_8));
    }
    return sb.toString();
  }

  /** A JSON string literal, quotes included. */
  static String jsonString(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"': sb.append("\\\""); break;
        case '\\': sb.append("\\\\"); break;
        default:
          if (c < 0x20) {
            sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
      }
    }
    return sb.append('"').toString();
  }

  static String abbreviate(String s, int max) {
    if (s == null) {
      return "";
    }
    String oneLine = s.replace('\n', ' ');
    return oneLine.length() <= max ? oneLine : oneLine.substring(0, max) + "...";
  }

  static int intProperty(String name, int defaultValue, int min, int max) {
    String raw = System.getProperty(name);
    if (raw == null || raw.isBlank()) {
      return defaultValue;
    }
    int n;
    try {
      n = Integer.parseInt(raw.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("-D" + name + " must be an integer, got '" + raw + "'");
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException("-D" + name + " must be between " + min + " and " + max + ", got " + n);
    }
    return n;
  }

  static double doubleProperty(String name, double defaultValue, double min, double max) {
    String raw = System.getProperty(name);
    if (raw == null || raw.isBlank()) {
      return defaultValue;
    }
    double d;
    try {
      d = Double.parseDouble(raw.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("-D" + name + " must be a number, got '" + raw + "'");
    }
    if (!(d >= min && d <= max)) {
      throw new IllegalArgumentException("-D" + name + " must be between " + min + " and " + max + ", got " + raw);
    }
    return d;
  }

  /** Parses an http(s) URL, drops a trailing slash, and refuses non-loopback hosts by default. */
  private String checkedUrl(String property, String raw) {
    URI uri;
    try {
      uri = new URI(raw.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("-D" + property + " is not a URL: " + e.getMessage());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("-D" + property + " must start with http:// or https://, got '" + raw + "'");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("-D" + property + " has no host: '" + raw + "'");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException("-D" + property + " must not have a query or fragment: '" + raw + "'");
    }
    if (!allowRemote && !isLoopback(uri.getHost())) {
      throw new IllegalArgumentException("refusing non-loopback -D" + property + " host '" + uri.getHost()
          + "' (allowed: localhost, 127.0.0.0/8, [::1]); pass -DallowRemote=true to override");
    }
    String s = uri.toString();
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  private static String hostForUrl(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  /** Literal loopback check; names other than localhost are not resolved. */
  static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.equals("localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")) {
      return true;
    }
    Matcher m = IPV4.matcher(h);
    if (!m.matches() || !m.group(1).equals("127")) {
      return false;
    }
    for (int i = 2; i <= 4; i++) {
      if (Integer.parseInt(m.group(i)) > 255) {
        return false;
      }
    }
    return true;
  }
}
