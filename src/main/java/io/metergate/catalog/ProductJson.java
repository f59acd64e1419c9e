package io.metergate.catalog;

import io.metergate.http.Http;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The product object as Stripe shapes it; what this gateway does not model is null or empty. */
public final class ProductJson {
  private ProductJson() {}

  public static JsonObject render(Product p) {
    return new JsonObject()
        .put("id", p.publicId())
        .put("object", "product")
        .put("active", p.active())
        .put("created", Http.epoch(p.created()))
        .put("default_price", null)
        .put("description", p.description())
        .put("images", new JsonArray())
        .put("livemode", p.livemode())
        .put("marketing_features", new JsonArray())
        .put("metadata", new JsonObject(new java.util.LinkedHashMap<>(p.metadata())))
        .put("name", p.name())
        .put("package_dimensions", null)
        .put("shippable", null)
        .put("statement_descriptor", null)
        .put("tax_code", null)
        .put("type", "service")
        .put("unit_label", null)
        .put("updated", Http.epoch(p.updated()))
        .put("url", null);
  }
}
