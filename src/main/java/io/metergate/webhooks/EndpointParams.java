package io.metergate.webhooks;

import io.metergate.common.ApiError;
import io.metergate.common.ListRequest;
import io.metergate.common.Metadata;
import io.metergate.common.Params;
import io.metergate.events.EventLog;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The validated parameters of POST /v1/webhook_endpoints and POST /v1/webhook_endpoints/:id. */
final class EndpointParams {
  static final int MAX_URL_LENGTH = 5000;
  static final int MAX_DESCRIPTION_LENGTH = 5000;
  private static final Set<String> CREATE =
      Set.of("url", "enabled_events", "description", "metadata", "api_version", "connect", "expand");
  private static final Set<String> UPDATE =
      Set.of("url", "enabled_events", "description", "metadata", "disabled", "expand");

  record Draft(String url, List<String> enabledEvents, String description, Map<String, String> metadata,
               String apiVersion) {}

  /** Null fields are left as they are; {@code description} is applied only when {@code describes}. */
  record Change(String url, List<String> enabledEvents, boolean describes, String description, Metadata metadata,
                Boolean disabled) {}

  private EndpointParams() {}

  static Draft create(Params p) {
    p.allowOnly(CREATE);
    ListRequest.checkExpand(p, Set.of());
    String url = url(p);
    if (url == null) {
      throw ApiError.missing("url");
    }
    List<String> events = enabledEvents(p);
    if (events == null) {
      throw ApiError.missing("enabled_events");
    }
    String apiVersion = p.optionalString("api_version", 100);
    if (apiVersion != null && !apiVersion.equals(EventLog.API_VERSION)) {
      throw ApiError.invalid("parameter_invalid_enum", "Invalid api_version: this gateway renders events in "
          + EventLog.API_VERSION + " only.", "api_version");
    }
    if (Boolean.TRUE.equals(bool(p, "connect"))) {
      throw ApiError.invalid("parameter_invalid_enum",
          "Invalid connect: Metergate has no connected accounts, so connect must be false.", "connect");
    }
    return new Draft(url, events, description(p), Metadata.parse(p).applyTo(Map.of()), apiVersion);
  }

  static Change update(Params p) {
    p.allowOnly(UPDATE);
    ListRequest.checkExpand(p, Set.of());
    return new Change(url(p), enabledEvents(p), p.has("description"), description(p),
        Metadata.parse(p), bool(p, "disabled"));
  }

  /** An absolute http or https URL with a host; credentials in it are refused so that none is stored or logged. */
  static String url(Params p) {
    String url = p.optionalString("url", MAX_URL_LENGTH);
    if (url == null) {
      return null;
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw invalidUrl(url);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null || uri.getPort() > 65535) {
      throw invalidUrl(url);
    }
    if (uri.getRawUserInfo() != null) {
      throw ApiError.invalid("url_invalid", "Invalid URL: it must not contain a user name or password.", "url");
    }
    return url;
  }

  private static ApiError invalidUrl(String url) {
    String shown = url.length() > 100 ? url.substring(0, 100) + "..." : url;
    return ApiError.invalid("url_invalid", "Invalid URL: " + shown + ". It must be an absolute http or https URL.",
        "url");
  }

  /**
   * Each entry must be '*' or an event type Stripe defines (see StripeEventTypes), as Stripe itself
   * checks: a typo is refused instead of silently never firing. Types Stripe defines but this gateway
   * does not emit (it emits billing.alert.triggered today) are accepted, so existing Stripe
   * configurations work unchanged; they simply receive nothing. Duplicates are dropped.
   */
  static List<String> enabledEvents(Params p) {
    if (!p.has("enabled_events")) {
      return null;
    }
    List<Object> given = p.isEmptyValue("enabled_events") ? List.of() : p.optionalArray("enabled_events");
    if (given.isEmpty()) {
      throw ApiError.invalid("parameter_invalid_empty",
          "Invalid enabled_events: it must list at least one event type, or '*' for all.", "enabled_events");
    }
    Set<String> events = new LinkedHashSet<>();
    for (int i = 0; i < given.size(); i++) {
      Object type = given.get(i);
      if (!"*".equals(type) && !StripeEventTypes.ALL.contains(type)) {
        String shown = String.valueOf(type);
        throw ApiError.invalid("parameter_invalid_enum", "Invalid " + p.indexPath("enabled_events", i) + ": '"
            + (shown.length() > 100 ? shown.substring(0, 100) + "..." : shown)
            + "' is not a Stripe event type (or '*').", p.indexPath("enabled_events", i));
      }
      events.add((String) type);
    }
    return new ArrayList<>(events);
  }

  /** {@code description=} unsets it, as in Stripe. */
  private static String description(Params p) {
    return p.clearableString("description", MAX_DESCRIPTION_LENGTH);
  }

  private static Boolean bool(Params p, String name) {
    String value = p.optionalString(name, 100);
    if (value == null) {
      return null;
    }
    if (!value.equals("true") && !value.equals("false")) {
      throw ApiError.invalid("parameter_invalid_boolean", "Invalid boolean: " + value, name);
    }
    return Boolean.valueOf(value);
  }
}
