package io.metergate.catalog;

import io.metergate.common.ListRequest;
import io.metergate.common.Metadata;
import io.metergate.common.ParamRules;
import io.metergate.common.Params;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The validated parameters of POST /v1/products and POST /v1/products/:id. */
final class ProductParams {
  static final int MAX_NAME_LENGTH = 5000;
  static final int MAX_DESCRIPTION_LENGTH = 40000;
  private static final List<String> UNSUPPORTED = List.of("id", "images", "marketing_features", "package_dimensions",
      "shippable", "statement_descriptor", "tax_code", "unit_label", "url", "default_price_data", "default_price");
  private static final Set<String> CREATE = Set.of("name", "description", "active", "metadata", "type", "expand");
  private static final Set<String> UPDATE = Set.of("name", "description", "active", "metadata", "expand");
  /** Always null here, so expanding them changes nothing; accepted because clients expand default_price often. */
  static final Set<String> EXPANDABLE = Set.of("default_price", "tax_code");

  record Draft(String name, String description, boolean active, Map<String, String> metadata) {}

  /** Null fields stay as they are; {@code description} applies only when {@code describes}. */
  record Change(String name, boolean describes, String description, Boolean active, Metadata metadata) {}

  private ProductParams() {}

  static Draft create(Params p) {
    checked(p, CREATE);
    if (p.has("type")) {
      p.requiredEnum("type", List.of("service"));
    }
    String name = p.requiredString("name", MAX_NAME_LENGTH);
    Boolean active = ParamRules.optionalBoolean(p, "active");
    return new Draft(name, description(p), active == null || active, Metadata.parse(p).applyTo(Map.of()));
  }

  static Change update(Params p) {
    checked(p, UPDATE);
    return new Change(p.optionalString("name", MAX_NAME_LENGTH), p.has("description"),
        description(p), ParamRules.optionalBoolean(p, "active"), Metadata.parse(p));
  }

  /** product_data on a price: a new product with a name, and optionally active and metadata. */
  static Draft fromProductData(Params p) {
    ParamRules.refuseUnsupported(p, UNSUPPORTED);
    p.allowOnly(Set.of("name", "active", "metadata"));
    Boolean active = ParamRules.optionalBoolean(p, "active");
    return new Draft(p.requiredString("name", MAX_NAME_LENGTH), null, active == null || active,
        Metadata.parse(p).applyTo(Map.of()));
  }

  private static void checked(Params p, Set<String> allowed) {
    ParamRules.refuseUnsupported(p, UNSUPPORTED);
    p.allowOnly(allowed);
    ListRequest.checkExpand(p, EXPANDABLE);
  }

  /** {@code description=} unsets it, as at Stripe. */
  private static String description(Params p) {
    return p.clearableString("description", MAX_DESCRIPTION_LENGTH);
  }
}
