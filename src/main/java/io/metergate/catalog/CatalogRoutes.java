package io.metergate.catalog;

import io.metergate.http.ApiServices;
import io.vertx.ext.web.Router;

/** /v1/products and /v1/prices. */
public final class CatalogRoutes {
  private final ApiServices services;

  public CatalogRoutes(ApiServices services) {
    this.services = services;
  }

  public void mount(Router router) {
    ProductStore products = new ProductStore(services.pool());
    new ProductRoutes(products).mount(router);
    new PriceRoutes(new PriceStore(services.pool()), products, services.meterStore()).mount(router);
  }
}
