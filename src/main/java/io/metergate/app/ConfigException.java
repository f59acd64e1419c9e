package io.metergate.app;

/** A start-up problem the operator must fix; printed as one clear line, never a stack trace. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message, null, false, false);
  }
}
