package io.metergate.customers;

import io.metergate.common.ApiError;
import io.metergate.common.CreatedRange;
import io.metergate.common.ListRequest;
import io.metergate.common.Metadata;
import io.metergate.common.Paging;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A customer's balance transactions; every read is scoped to one (already authorized) customer. */
final class BalanceTransactionStore {
  static final String RESOURCE = "customer balance transaction";

  private final Pool pool;

  BalanceTransactionStore(Pool pool) {
    this.pool = pool;
  }

  Future<BalanceTransaction> create(Customer c, BalanceTransactionParams.Draft d) {
    return CustomerBalance.recordTransaction(pool, new CustomerBalance.Entry(c.accountId(), c.livemode(), c.id(),
        d.amount(), d.currency(), "adjustment", d.description(), Metadata.toJson(d.metadata()), null));
  }

  /** Another customer's transaction is not found, as an unknown one. */
  Future<BalanceTransaction> find(Customer c, String publicId) {
    return pool.preparedQuery(CustomerSql.TXN_FIND).execute(Tuple.of(publicId, c.id())).map(rows -> {
      if (rows.size() == 0) {
        throw ApiError.notFound(RESOURCE, publicId, "transaction");
      }
      return toTransaction(rows.iterator().next());
    });
  }

  /** Only description and metadata change; under the row lock, so concurrent metadata patches all apply. */
  Future<BalanceTransaction> update(Customer c, String publicId, BalanceTransactionParams.Change change) {
    return pool.withTransaction(conn -> conn.preparedQuery(CustomerSql.TXN_FIND_FOR_UPDATE)
        .execute(Tuple.of(publicId, c.id()))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(ApiError.notFound(RESOURCE, publicId, "transaction"));
          }
          BalanceTransaction t = toTransaction(rows.iterator().next());
          Map<String, String> metadata = change.metadata().applyTo(t.metadata());
          return conn.preparedQuery(CustomerSql.TXN_UPDATE)
              .execute(Tuple.of(t.id(), change.describes() ? change.description() : t.description(),
                  Metadata.toJson(metadata)))
              .map(updated -> toTransaction(updated.iterator().next()));
        }));
  }

  Future<Paging.Page<BalanceTransaction>> list(Customer c, CreatedRange created, String invoice, ListRequest page) {
    Future<Long> bound = Paging.bound(pool, page, CustomerSql.TXN_CURSOR_ID, RESOURCE, c.id());
    return bound.compose(id -> pool.preparedQuery(Paging.backwards(page) ? CustomerSql.TXN_LIST_BEFORE
                : CustomerSql.TXN_LIST_AFTER)
            .execute(Tuple.of(c.id(), created.from(), created.before(), invoice, id, page.limit() + 1)))
        .map(rows -> {
          List<BalanceTransaction> out = new ArrayList<>(rows.size());
          rows.forEach(r -> out.add(toTransaction(r)));
          return Paging.page(out, page);
        });
  }

  static BalanceTransaction toTransaction(Row r) {
    return new BalanceTransaction(r.getLong("id"), r.getString("public_id"), r.getBoolean("livemode"),
        r.getString("customer"), r.getLong("amount"), r.getString("currency"), r.getString("description"),
        Metadata.fromJson(r.getJsonObject("metadata")), r.getLong("ending_balance"), r.getString("type"),
        r.getString("invoice"), r.getOffsetDateTime("created_at").toInstant());
  }
}
