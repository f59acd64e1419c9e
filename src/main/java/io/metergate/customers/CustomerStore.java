package io.metergate.customers;

import io.metergate.accounts.Principal;
import io.metergate.common.ApiError;
import io.metergate.common.CreatedRange;
import io.metergate.common.Ids;
import io.metergate.common.ListRequest;
import io.metergate.common.Metadata;
import io.metergate.common.Paging;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Customer persistence; every statement is scoped to the caller's account and mode. */
public final class CustomerStore {
  static final String RESOURCE = "customer";

  /** A customer found by id, deleted or not. */
  record Lookup(Customer customer, boolean deleted) {}

  private final Pool pool;

  public CustomerStore(Pool pool) {
    this.pool = pool;
  }

  /** A live (not deleted) customer named in a path: unknown is 404 resource_missing (param id). */
  public Future<Customer> find(Principal who, String publicId) {
    return findLive(who, publicId).map(c -> {
      if (c == null) {
        throw ApiError.notFound(RESOURCE, publicId, "id");
      }
      return c;
    });
  }

  /** A live customer named by a request parameter: unknown is 400 resource_missing naming {@code param}. */
  public Future<Customer> findForParam(Principal who, String publicId, String param) {
    return findLive(who, publicId).map(c -> {
      if (c == null) {
        throw ApiError.of(400, "invalid_request_error", "resource_missing",
            "No such " + RESOURCE + ": '" + publicId + "'", param);
      }
      return c;
    });
  }

  private Future<Customer> findLive(Principal who, String publicId) {
    return pool.preparedQuery(CustomerSql.FIND).execute(Tuple.of(publicId, who.accountId(), who.livemode()))
        .map(rows -> rows.size() == 0 ? null : single(rows));
  }

  Future<Lookup> lookup(Principal who, String publicId) {
    return pool.preparedQuery(CustomerSql.FIND_ANY).execute(Tuple.of(publicId, who.accountId(), who.livemode()))
        .map(rows -> {
          if (rows.size() == 0) {
            throw ApiError.notFound(RESOURCE, publicId, "id");
          }
          Row r = rows.iterator().next();
          return new Lookup(toCustomer(r), r.getBoolean("deleted"));
        });
  }

  Future<Customer> create(Principal who, CustomerParams.Draft d) {
    Tuple args = Tuple.of(Ids.newId("cus_"), who.accountId(), who.livemode(), d.name(), d.email(), d.phone(),
        d.description(), Metadata.toJson(d.metadata()));
    return pool.preparedQuery(CustomerSql.INSERT).execute(args).map(CustomerStore::single);
  }

  /** Read, merge (metadata is a patch) and write under the row lock, so concurrent updates keep each other's keys. */
  Future<Customer> update(Principal who, String publicId, CustomerParams.Change change) {
    return pool.withTransaction(conn -> conn.preparedQuery(CustomerSql.FIND_FOR_UPDATE)
        .execute(Tuple.of(publicId, who.accountId(), who.livemode()))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(ApiError.notFound(RESOURCE, publicId, "id"));
          }
          return write(conn, single(rows), change);
        }));
  }

  private static Future<Customer> write(SqlConnection conn, Customer c, CustomerParams.Change change) {
    Map<String, String> metadata = change.metadata().applyTo(Metadata.fromJson(c.metadata()));
    Tuple args = Tuple.of(c.id(), change.value("name", c.name()), change.value("email", c.email()),
        change.value("phone", c.phone()), change.value("description", c.description()), Metadata.toJson(metadata));
    return conn.preparedQuery(CustomerSql.UPDATE).execute(args).map(CustomerStore::single);
  }

  Future<String> delete(Principal who, String publicId) {
    return pool.preparedQuery(CustomerSql.DELETE).execute(Tuple.of(publicId, who.accountId(), who.livemode()))
        .map(rows -> {
          if (rows.size() == 0) {
            throw ApiError.notFound(RESOURCE, publicId, "id");
          }
          return rows.iterator().next().getString("public_id");
        });
  }

  Future<Paging.Page<Customer>> list(Principal who, String email, CreatedRange created, ListRequest page) {
    Future<Long> bound = Paging.bound(pool, page, CustomerSql.CURSOR_ID, RESOURCE, who.accountId(), who.livemode());
    return bound.compose(id -> pool.preparedQuery(Paging.backwards(page) ? CustomerSql.LIST_BEFORE : CustomerSql.LIST_AFTER)
            .execute(Tuple.of(who.accountId(), who.livemode(), email, created.from(), created.before(), id,
                page.limit() + 1)))
        .map(rows -> {
          List<Customer> customers = new ArrayList<>(rows.size());
          rows.forEach(r -> customers.add(toCustomer(r)));
          return Paging.page(customers, page);
        });
  }

  private static Customer single(RowSet<Row> rows) {
    return toCustomer(rows.iterator().next());
  }

  static Customer toCustomer(Row r) {
    return new Customer(r.getLong("id"), r.getString("public_id"), r.getLong("account_id"), r.getBoolean("livemode"),
        r.getString("name"), r.getString("email"), r.getString("phone"), r.getString("description"),
        r.getJsonObject("metadata"), r.getLong("balance"), r.getString("currency"),
        r.getOffsetDateTime("created_at").toInstant(), r.getLong("next_invoice_sequence"));
  }
}
