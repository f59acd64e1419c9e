package io.metergate.invoices;

import io.metergate.common.FormDecoder;
import io.metergate.common.Params;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * A v1 form with its decoded tree beside the typed view: an empty value ("" clears metadata,
 * descriptions, tax rates) has to be told apart from an absent one.
 */
record Form(Map<String, Object> raw, Params params) {
  static Form of(RoutingContext ctx) {
    String text = ctx.request().method().name().equals("GET") ? ctx.request().query() : body(ctx);
    Map<String, Object> raw = FormDecoder.decode(text);
    return new Form(raw, new Params(raw, Params.Style.FORM));
  }

  private static String body(RoutingContext ctx) {
    Buffer b = ctx.body().buffer();
    return b == null ? "" : b.toString();
  }
}
