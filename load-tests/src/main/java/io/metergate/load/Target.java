package io.metergate.load;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** An http(s) base URL split for Vert.x requests (StreamLoad, UsageBench); loopback only unless allowed. */
record Target(String url, boolean ssl, String host, int port, String basePath) {

  static Target parse(String flag, String url, boolean allowRemote) {
    return parse(flag, flag, url, allowRemote);
  }

  /** {@code what} names the URL in the non-loopback refusal ("target" in StreamLoad, the flag elsewhere). */
  static Target parse(String flag, String what, String url, boolean allowRemote) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(flag + " is not a URL: " + e.getMessage());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException(flag + " must be http:// or https://");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException(flag + " has no host");
    }
    boolean ssl = scheme.equals("https");
    String host = uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = uri.getPort() > 0 ? uri.getPort() : (ssl ? 443 : 80);
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    String basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    if (!allowRemote && !StreamLoad.LOOPBACK_HOSTS.contains(host.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException("refusing non-loopback " + what + " '" + host
          + "' (only 127.0.0.1, localhost and ::1); pass --allow-remote to override");
    }
    return new Target(url, ssl, host, port, basePath);
  }

  /** The Host header Vert.x gets wrong for IPv6 literals (it writes them unbracketed), or null. */
  String hostHeader() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : null;
  }
}
