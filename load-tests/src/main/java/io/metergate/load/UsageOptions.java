package io.metergate.load;

import java.math.BigDecimal;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** UsageBench command-line options; {@code --flag value} or {@code --flag=value}. */
final class UsageOptions {
  static final List<String> PHASES = List.of("load", "summaries", "alerts");
  static final List<String> VARIANTS = List.of("day", "none");

  Set<String> phases = new LinkedHashSet<>(PHASES);
  String baseUrl = "http://127.0.0.1:8080";
  String managementUrl = "http://127.0.0.1:9090";
  boolean allowRemote;
  String apiKey = "sk_test_metergate_dev";
  String eventName = "usage_bench";
  String customer = "cus_big";
  long events = 10_000_000L;
  BigDecimal value = BigDecimal.ONE;
  int days = 30;
  int endOffsetMinutes = 60;
  String idPrefix;
  int producers = 32;
  int batch = 100;
  int loadTimeoutS = 3_600;
  int foldTimeoutS = 1_800;
  int renewAfterS = 600;
  int requestTimeoutS = 10;
  double summaryRate = 20;
  int summarySeconds = 30;
  int summaryWarmupS = 2;
  List<String> variants = List.of("day", "none");
  int summaryMaxInFlight = 64;
  Long startTime;
  Long endTime;
  int probes = 30;
  int probeIntervalMs = 1_000;
  int probeTimeoutS = 30;
  int pollMs = 100;
  String databaseUrl;
  String label = "";
  String jsonOut;
  boolean help;

  Target api;
  Target management;

  static UsageOptions parse(String[] args) {
    UsageOptions o = new UsageOptions();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + arg + "'");
      }
      String name = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      if (name.equals("--help") || name.equals("--allow-remote")) {
        if (value != null) {
          throw new IllegalArgumentException(name + " takes no value");
        }
        o.help |= name.equals("--help");
        o.allowRemote |= name.equals("--allow-remote");
        continue;
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(name + " needs a value");
        }
        value = args[++i];
      }
      o.set(name, value);
    }
    if (!o.help) {
      o.check();
    }
    return o;
  }

  private void set(String name, String value) {
    switch (name) {
      case "--phases" -> phases = listOf(name, value, PHASES);
      case "--base-url" -> baseUrl = value;
      case "--management-url" -> managementUrl = value;
      case "--api-key" -> apiKey = value;
      case "--event-name" -> eventName = nonEmpty(name, value);
      case "--customer" -> customer = nonEmpty(name, value);
      case "--events" -> events = longIn(name, value, 1, 1_000_000_000L);
      case "--value" -> this.value = decimal(name, value);
      case "--days" -> days = (int) longIn(name, value, 1, 34);
      case "--end-offset-minutes" -> endOffsetMinutes = (int) longIn(name, value, 0, 24 * 60);
      case "--id-prefix" -> idPrefix = nonEmpty(name, value);
      case "--producers" -> producers = (int) longIn(name, value, 1, 1_000);
      case "--batch" -> batch = (int) longIn(name, value, 1, StreamLoad.MAX_BATCH);
      case "--load-timeout" -> loadTimeoutS = (int) longIn(name, value, 1, 86_400);
      case "--fold-timeout" -> foldTimeoutS = (int) longIn(name, value, 1, 86_400);
      case "--renew-after" -> renewAfterS = (int) longIn(name, value, 1, 86_400);
      case "--request-timeout" -> requestTimeoutS = (int) longIn(name, value, 1, 600);
      case "--summary-rate" -> summaryRate = positive(name, value);
      case "--summary-seconds" -> summarySeconds = (int) longIn(name, value, 1, 86_400);
      case "--summary-warmup" -> summaryWarmupS = (int) longIn(name, value, 0, 3_600);
      case "--summary-variants" -> variants = List.copyOf(listOf(name, value, VARIANTS));
      case "--summary-max-in-flight" -> summaryMaxInFlight = (int) longIn(name, value, 1, 10_000);
      case "--start-time" -> startTime = longIn(name, value, 0, 253_402_300_799L);
      case "--end-time" -> endTime = longIn(name, value, 0, 253_402_300_799L);
      case "--probes" -> probes = (int) longIn(name, value, 1, 10_000);
      case "--probe-interval-ms" -> probeIntervalMs = (int) longIn(name, value, 10, 600_000);
      case "--probe-timeout" -> probeTimeoutS = (int) longIn(name, value, 1, 3_600);
      case "--poll-ms" -> pollMs = (int) longIn(name, value, 10, 10_000);
      case "--database-url" -> databaseUrl = value.isEmpty() ? null : value;
      case "--label" -> label = value;
      case "--json-out" -> jsonOut = value.isEmpty() ? null : value;
      default -> throw new IllegalArgumentException("unknown option " + name);
    }
  }

  private void check() {
    api = Target.parse("--base-url", baseUrl, allowRemote);
    management = Target.parse("--management-url", managementUrl, allowRemote);
    if (idPrefix == null) {
      idPrefix = "ub-" + customer + "-";
    }
    if (idPrefix.length() + Long.toString(events).length() > 100) {
      throw new IllegalArgumentException("--id-prefix is too long for 100-character identifiers");
    }
    if ((startTime == null) != (endTime == null)) {
      throw new IllegalArgumentException("give both --start-time and --end-time, or neither");
    }
    if (startTime != null && (startTime % 86_400 != 0 || endTime % 86_400 != 0 || endTime <= startTime)) {
      throw new IllegalArgumentException("--start-time and --end-time must be UTC midnights, start before end");
    }
    if (databaseUrl != null) {
      String host;
      try {
        host = new java.net.URI(databaseUrl).getHost();
      } catch (java.net.URISyntaxException e) {
        throw new IllegalArgumentException("--database-url is not a URL: " + e.getMessage());
      }
      if (host == null || !databaseUrl.startsWith("postgresql://") && !databaseUrl.startsWith("postgres://")) {
        throw new IllegalArgumentException("--database-url must look like postgresql://user@127.0.0.1:5432/db");
      }
      host = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
      if (!allowRemote && !StreamLoad.LOOPBACK_HOSTS.contains(host.toLowerCase(java.util.Locale.ROOT))) {
        throw new IllegalArgumentException("refusing non-loopback --database-url host '" + host
            + "'; pass --allow-remote to override");
      }
    }
  }

  /** The expected sum for the big customer: events x value. */
  BigDecimal expectedTotal() {
    return value.multiply(BigDecimal.valueOf(events));
  }

  private static Set<String> listOf(String name, String value, List<String> allowed) {
    Set<String> out = new LinkedHashSet<>();
    for (String v : value.split(",")) {
      String t = v.trim();
      if (!allowed.contains(t)) {
        throw new IllegalArgumentException(name + " takes a comma-separated list of " + allowed + ", got '" + t + "'");
      }
      out.add(t);
    }
    return out;
  }

  private static String nonEmpty(String name, String value) {
    if (value.isEmpty() || value.length() > 100) {
      throw new IllegalArgumentException(name + " must be 1 to 100 characters");
    }
    return value;
  }

  private static long longIn(String name, String value, long min, long max) {
    long n;
    try {
      n = Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be an integer, got '" + value + "'");
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + n);
    }
    return n;
  }

  private static BigDecimal decimal(String name, String value) {
    if (!value.matches("[0-9]{1,20}(\\.[0-9]{1,12})?")) {
      throw new IllegalArgumentException(name + " must be a non-negative decimal like 1 or 2.5, got '" + value + "'");
    }
    return new BigDecimal(value);
  }

  private static double positive(String name, String value) {
    double r;
    try {
      r = Double.parseDouble(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number, got '" + value + "'");
    }
    if (!(r > 0) || Double.isInfinite(r)) {
      throw new IllegalArgumentException(name + " must be > 0");
    }
    return r;
  }

  static final String USAGE = String.join("\n",
      "usage: java -cp metergate-load.jar io.metergate.load.UsageBench [options]",
      "  --phases LIST              load,summaries,alerts (default all three, in that order)",
      "  --base-url URL             gateway API (default http://127.0.0.1:8080; loopback only)",
      "  --management-url URL       gateway management port, for /metrics (default http://127.0.0.1:9090)",
      "  --api-key KEY              secret key (default sk_test_metergate_dev)",
      "  --event-name NAME          sum meter to create or reuse (default usage_bench)",
      "  --customer ID              the big customer (default cus_big)",
      "  --events N                 events loaded for the big customer (default 10000000)",
      "  --value V                  payload value of each event (default 1); summaries must total N x V",
      "  --json-out FILE            also write the report as JSON",
      "  --label TEXT               free text copied into the report (e.g. 'baseline')",
      " load:",
      "  --days D                   timestamps spread evenly over D days (default 30) ...",
      "  --end-offset-minutes M     ... ending M minutes ago (default 60)",
      "  --id-prefix P              identifiers P<i> (default ub-<customer>-); a reload within 24 h is deduplicated",
      "  --producers N              stream requests in flight, closed loop (default 32)",
      "  --batch N                  events per stream request, 1..100 (default 100)",
      "  --load-timeout S           give up loading after S seconds (default 3600)",
      "  --fold-timeout S           give up waiting for the usage folder after S seconds (default 1800)",
      "  --renew-after S            renew the meter event session after S seconds (default 600)",
      " summaries:",
      "  --summary-rate R           requests/s, open loop, latency from the scheduled time (default 20)",
      "  --summary-seconds S        measured seconds per variant (default 30)",
      "  --summary-warmup S         seconds sent first per variant, left out of the stats (default 2)",
      "  --summary-variants LIST    day,none: value_grouping_window=day, or no grouping (default day,none)",
      "  --summary-max-in-flight N  requests in flight at most (default 64)",
      "  --start-time T --end-time T  range (UTC midnights); default: midnight before now-(days+1) to next midnight",
      " alerts:",
      "  --probes N                 alert probes, one per interval, each on a fresh customer (default 30)",
      "  --probe-interval-ms MS     between probes (default 1000)",
      "  --probe-timeout S          a probe not seen within S seconds is missed (default 30)",
      "  --poll-ms MS               /v1/events or database polling interval (default 100)",
      "  --database-url URL         postgresql://user@127.0.0.1:5432/db: poll the events table when",
      "                             /v1/events is not implemented",
      " common:",
      "  --request-timeout S        per-request idle and connect timeout (default 10)",
      "  --allow-remote             allow non-loopback URLs",
      "  --help");
}
