package io.metergate.common;

import java.util.List;

/** Parameter rules that several v1 resources share beyond what {@link Params} reads. */
public final class ParamRules {
  private ParamRules() {}

  /** Form booleans are the strings true and false. */
  public static Boolean optionalBoolean(Params p, String name) {
    String value = p.optionalString(name, 5);
    if (value == null) {
      return null;
    }
    if (!value.equals("true") && !value.equals("false")) {
      throw ApiError.invalid("parameter_invalid_boolean", "Invalid boolean: " + value, p.path(name));
    }
    return Boolean.valueOf(value);
  }

  /**
   * Parameters Stripe defines but this gateway does not implement are refused by name rather than
   * ignored, so a client never believes a setting took effect.
   */
  public static void refuseUnsupported(Params p, List<String> names) {
    for (String name : names) {
      if (p.has(name)) {
        throw ApiError.invalid("parameter_unsupported",
            p.path(name) + " is not supported by Metergate.", p.path(name));
      }
    }
  }

  /** Refuses a flag set to true where false is the only behaviour this gateway has. */
  public static void refuseTrue(Params p, String name, String why) {
    if (Boolean.TRUE.equals(optionalBoolean(p, name))) {
      throw ApiError.invalid("parameter_unsupported", p.path(name) + "=true is not supported: " + why, p.path(name));
    }
  }
}
