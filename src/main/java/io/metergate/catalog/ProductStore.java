package io.metergate.catalog;

import io.metergate.accounts.Principal;
import io.metergate.common.ApiError;
import io.metergate.common.Ids;
import io.metergate.common.Metadata;
import io.metergate.common.Paging;
import io.metergate.common.ListRequest;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.List;

/** Product persistence; every statement is scoped to the caller's account and mode. */
public final class ProductStore {
  static final String RESOURCE = "product";

  private final Pool pool;

  public ProductStore(Pool pool) {
    this.pool = pool;
  }

  Future<Product> create(Principal who, ProductParams.Draft d) {
    return insert(pool, who, d);
  }

  /** Also used inside a price's transaction for product_data. */
  static Future<Product> insert(SqlClient client, Principal who, ProductParams.Draft d) {
    Tuple args = Tuple.of(Ids.newId("prod_"), who.accountId(), who.livemode(), d.name(), d.description(), d.active(),
        Metadata.toJson(d.metadata()));
    return client.preparedQuery(ProductSql.INSERT).execute(args).map(ProductStore::single);
  }

  public Future<Product> find(Principal who, String publicId) {
    return pool.preparedQuery(ProductSql.FIND).execute(Tuple.of(publicId, who.accountId(), who.livemode()))
        .map(rows -> {
          if (rows.size() == 0) {
            throw ApiError.notFound(RESOURCE, publicId, "id");
          }
          return single(rows);
        });
  }

  /** Read, merge (metadata is a patch) and write under a row lock, so concurrent updates lose no keys. */
  Future<Product> update(Principal who, String publicId, ProductParams.Change c) {
    return pool.withTransaction(conn -> conn.preparedQuery(ProductSql.FIND_FOR_UPDATE)
        .execute(Tuple.of(publicId, who.accountId(), who.livemode()))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(ApiError.notFound(RESOURCE, publicId, "id"))
            : write(conn, single(rows), c)));
  }

  private static Future<Product> write(SqlConnection conn, Product p, ProductParams.Change c) {
    Tuple args = Tuple.of(p.id(), c.name() == null ? p.name() : c.name(),
        c.describes() ? c.description() : p.description(), c.active() == null ? p.active() : c.active(),
        Metadata.toJson(c.metadata().applyTo(p.metadata())));
    return conn.preparedQuery(ProductSql.UPDATE).execute(args).map(ProductStore::single);
  }

  Future<Paging.Page<Product>> list(Principal who, Boolean active, List<String> ids, ListRequest page) {
    Future<Long> bound = Paging.bound(pool, page, ProductSql.CURSOR_ID, RESOURCE, who.accountId(), who.livemode());
    return bound.compose(id -> pool.preparedQuery(Paging.backwards(page) ? ProductSql.LIST_BEFORE : ProductSql.LIST_AFTER)
            .execute(Tuple.tuple().addLong(who.accountId()).addBoolean(who.livemode()).addBoolean(active)
                .addArrayOfString(ids == null ? null : ids.toArray(String[]::new)).addLong(id)
                .addInteger(page.limit() + 1)))
        .map(rows -> Paging.page(Paging.rows(rows, ProductStore::toProduct), page));
  }

  private static Product single(RowSet<Row> rows) {
    return toProduct(rows.iterator().next());
  }

  private static Product toProduct(Row r) {
    return new Product(r.getLong("id"), r.getString("public_id"), r.getBoolean("livemode"), r.getString("name"),
        r.getString("description"), r.getBoolean("active"), Metadata.fromJson(r.getJsonObject("metadata")),
        r.getOffsetDateTime("created_at").toInstant(), r.getOffsetDateTime("updated_at").toInstant());
  }
}
