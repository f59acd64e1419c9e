package io.metergate.catalog;

import io.metergate.accounts.Principal;
import io.metergate.common.ApiError;
import io.metergate.common.Ids;
import io.metergate.common.Metadata;
import io.metergate.common.Paging;
import io.metergate.common.ListRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** Price persistence; every statement is scoped to the caller's account and mode. */
public final class PriceStore {
  static final String RESOURCE = "price";
  private static final String UNIQUE_VIOLATION = "23505";
  private static final String LOOKUP_KEY_INDEX = "prices_lookup_key_idx";

  /** List filters, each null for none. */
  record Filter(Boolean active, String product, String type, String currency, String usageType, String interval,
                String meter, List<String> lookupKeys) {}

  private final Pool pool;

  public PriceStore(Pool pool) {
    this.pool = pool;
  }

  /** product_data creates the product in the same transaction; {@code meterId} is the resolved active meter. */
  Future<Price> create(Principal who, PriceDraft d, Long meterId) {
    return pool.withTransaction(conn -> {
      Future<String> product = d.productData() == null ? Future.succeededFuture(d.product())
          : ProductStore.insert(conn, who, d.productData()).map(Product::publicId);
      return product.compose(productId -> releaseLookupKey(conn, who, d.transferLookupKey(), d.lookupKey(), 0)
          .compose(v -> conn.preparedQuery(PriceSql.INSERT).execute(insertArgs(who, d, productId, meterId))));
    }).recover(err -> lookupKeyTaken(who, d.lookupKey(), err)).map(rows -> {
      if (rows.size() == 0) {
        throw ApiError.invalid("resource_missing", "No such product: '" + d.product() + "'", "product");
      }
      return single(rows);
    });
  }

  private static Tuple insertArgs(Principal who, PriceDraft d, String product, Long meterId) {
    PriceDraft.Recurring r = d.recurring();
    return Tuple.tuple().addString(Ids.newId("price_")).addLong(who.accountId()).addBoolean(who.livemode())
        .addString(product).addString(d.currency()).addBoolean(d.active()).addString(d.nickname())
        .addString(d.lookupKey()).addValue(Metadata.toJson(d.metadata())).addString(d.type())
        .addString(d.billingScheme()).addString(Amounts.text(d.unitAmountDecimal())).addString(d.tiersMode())
        .addValue(d.tiers() == null ? null : tiersJson(d.tiers())).addString(d.taxBehavior())
        .addString(r == null ? null : r.interval()).addInteger(r == null ? null : r.intervalCount())
        .addString(r == null ? null : r.usageType()).addLong(meterId);
  }

  public Future<Price> find(Principal who, String publicId) {
    return pool.preparedQuery(PriceSql.FIND).execute(Tuple.of(publicId, who.accountId(), who.livemode()))
        .map(rows -> {
          if (rows.size() == 0) {
            throw ApiError.notFound(RESOURCE, publicId, "id");
          }
          return single(rows);
        });
  }

  /** A price named by a request parameter: unknown is 400 resource_missing naming {@code param}. */
  public Future<Price> findForParam(Principal who, String publicId, String param) {
    return pool.preparedQuery(PriceSql.FIND).execute(Tuple.of(publicId, who.accountId(), who.livemode()))
        .map(rows -> {
          if (rows.size() == 0) {
            throw ApiError.invalid("resource_missing", "No such price: '" + publicId + "'", param);
          }
          return single(rows);
        });
  }

  /** Read and write under a row lock so that metadata merges and lookup-key moves are atomic. */
  Future<Price> update(Principal who, String publicId, PriceChange c) {
    return pool.withTransaction(conn -> conn.preparedQuery(PriceSql.FIND_FOR_UPDATE)
        .execute(Tuple.of(publicId, who.accountId(), who.livemode()))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(ApiError.notFound(RESOURCE, publicId, "id"))
            : write(conn, who, single(rows), c)))
        .recover(err -> lookupKeyTaken(who, c.rekeys() ? c.lookupKey() : null, err));
  }

  private static Future<Price> write(SqlConnection conn, Principal who, Price p, PriceChange c) {
    String lookupKey = c.rekeys() ? c.lookupKey() : p.lookupKey();
    boolean active = c.active() == null ? p.active() : c.active();
    Tuple args = Tuple.of(p.id(), active, c.renames() ? c.nickname() : p.nickname(), lookupKey,
        Metadata.toJson(c.metadata().applyTo(p.metadata())));
    return releaseLookupKey(conn, who, c.transferLookupKey() && active, lookupKey, p.id())
        .compose(v -> conn.preparedQuery(PriceSql.UPDATE).execute(args))
        .map(PriceStore::single);
  }

  private static Future<Void> releaseLookupKey(SqlConnection conn, Principal who, boolean transfer, String key,
                                               long keeperId) {
    if (!transfer || key == null) {
      return Future.succeededFuture();
    }
    return conn.preparedQuery(PriceSql.RELEASE_LOOKUP_KEY)
        .execute(Tuple.of(who.accountId(), who.livemode(), key, keeperId)).mapEmpty();
  }

  /** After the transaction has rolled back: names the active price that already holds the key. */
  private <T> Future<T> lookupKeyTaken(Principal who, String key, Throwable err) {
    if (!(err instanceof PgException pg) || !UNIQUE_VIOLATION.equals(pg.getSqlState())
        || !LOOKUP_KEY_INDEX.equals(pg.getConstraint())) {
      return Future.failedFuture(err);
    }
    return pool.preparedQuery(PriceSql.LOOKUP_KEY_HOLDER).execute(Tuple.of(who.accountId(), who.livemode(), key))
        .compose(rows -> Future.failedFuture(ApiError.invalid("lookup_key_already_used", "A price ("
            + (rows.size() == 0 ? "another one" : "`" + rows.iterator().next().getString(0) + "`")
            + ") already uses the lookup key '" + key + "'. Pass transfer_lookup_key=true to move it to this price.",
            "lookup_key")));
  }

  Future<Paging.Page<Price>> list(Principal who, Filter f, ListRequest page) {
    boolean backwards = Paging.backwards(page);
    Future<Long> bound = Paging.bound(pool, page, PriceSql.CURSOR_ID, RESOURCE, who.accountId(), who.livemode());
    return bound.compose(id -> pool.preparedQuery(backwards ? PriceSql.LIST_BEFORE : PriceSql.LIST_AFTER)
            .execute(Tuple.tuple().addLong(who.accountId()).addBoolean(who.livemode()).addBoolean(f.active())
                .addString(f.product()).addString(f.type()).addString(f.currency()).addString(f.usageType())
                .addString(f.interval()).addString(f.meter())
                .addArrayOfString(f.lookupKeys() == null ? null : f.lookupKeys().toArray(String[]::new))
                .addLong(id).addInteger(page.limit() + 1)))
        .map(rows -> Paging.page(Paging.rows(rows, PriceStore::toPrice), page));
  }

  private static Price single(RowSet<Row> rows) {
    return toPrice(rows.iterator().next());
  }

  /** Reads the columns of {@link PriceSql#COLUMNS}, from any statement that selects them. */
  public static Price toPrice(Row r) {
    return new Price(r.getLong("price_id"), r.getString("price_public_id"), r.getLong("price_account_id"),
        r.getBoolean("price_livemode"), r.getString("price_product"), r.getString("price_currency"),
        r.getBoolean("price_active"), r.getString("price_nickname"), r.getString("price_type"),
        r.getString("price_billing_scheme"), r.getBigDecimal("price_unit_amount_decimal"),
        r.getString("price_tiers_mode"), tiers(r.getValue("price_tiers")), r.getString("price_interval"),
        r.getInteger("price_interval_count"), r.getString("price_usage_type"), r.getLong("price_meter_id"),
        r.getString("price_meter"), r.getOffsetDateTime("price_created_at").toInstant(),
        r.getString("price_lookup_key"), r.getString("price_tax_behavior"),
        Metadata.fromJson(r.getJsonObject("price_metadata")));
  }

  private static JsonArray tiersJson(List<Price.Tier> tiers) {
    JsonArray out = new JsonArray();
    tiers.forEach(t -> out.add(new JsonObject().put("up_to", t.upTo())
        .put("unit_amount_decimal", Amounts.text(t.unitAmountDecimal()))
        .put("flat_amount_decimal", Amounts.text(t.flatAmountDecimal()))));
    return out;
  }

  private static List<Price.Tier> tiers(Object stored) {
    if (!(stored instanceof JsonArray array)) {
      return null;
    }
    List<Price.Tier> out = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      JsonObject t = array.getJsonObject(i);
      out.add(new Price.Tier(t.getLong("up_to"), decimal(t.getString("unit_amount_decimal")),
          decimal(t.getString("flat_amount_decimal"))));
    }
    return List.copyOf(out);
  }

  private static BigDecimal decimal(String text) {
    return text == null ? null : new BigDecimal(text);
  }
}
