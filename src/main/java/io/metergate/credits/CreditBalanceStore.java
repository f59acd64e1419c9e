package io.metergate.credits;

import io.metergate.accounts.Principal;
import io.metergate.common.ApiError;
import io.metergate.common.ListRequest;
import io.metergate.common.Paging;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** Reads of credit balances: the summary by currency, and credit balance transactions. */
final class CreditBalanceStore {
  static final String RESOURCE = "credit balance transaction";

  /**
   * Which of a customer's grants a summary counts: one grant ({@code grantId}), metered-scope
   * grants ({@code meteredScope}), or grants covering any of {@code prices} ({@code anyMetered}:
   * one of them is metered, so metered-scope grants cover it); all null or false means every grant.
   */
  record Filter(Long grantId, boolean meteredScope, List<String> prices, boolean anyMetered) {}

  private final Pool pool;

  CreditBalanceStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * Ledger balance per currency: what remains of the matching grants usable now. Credits are only
   * consumed when an invoice is finalized (drafts and previews merely show them), so nothing is
   * held between the ledger and what is available: available equals ledger.
   */
  Future<List<CreditJson.Balance>> summary(long customerId, Filter f) {
    Tuple args = Tuple.tuple().addLong(customerId).addLong(f.grantId()).addBoolean(f.meteredScope())
        .addArrayOfString(f.prices() == null ? null : f.prices().toArray(String[]::new)).addBoolean(f.anyMetered());
    return pool.preparedQuery(CreditSql.SUMMARY).execute(args).map(rows -> {
      List<CreditJson.Balance> out = new ArrayList<>(rows.size());
      rows.forEach(r -> out.add(new CreditJson.Balance(r.getString("currency"), r.getLong("ledger"),
          r.getLong("ledger"))));
      return out;
    });
  }

  /** The customer's grant named by {@code param}: unknown, or another customer's, is 400 resource_missing. */
  Future<Long> grantOf(long customerId, String publicId, String param) {
    return pool.preparedQuery(CreditSql.GRANT_OF_CUSTOMER).execute(Tuple.of(publicId, customerId)).map(rows -> {
      if (rows.size() == 0) {
        throw ApiError.of(400, "invalid_request_error", "resource_missing",
            "No such " + GrantStore.RESOURCE + " for this customer: '" + publicId + "'", param);
      }
      return rows.iterator().next().getLong(0);
    });
  }

  Future<CreditTransaction> find(Principal who, String publicId) {
    return pool.preparedQuery(CreditSql.FIND_TXN).execute(Tuple.of(publicId, who.accountId(), who.livemode()))
        .map(rows -> {
          if (rows.size() == 0) {
            throw ApiError.notFound(RESOURCE, publicId, "id");
          }
          return toTransaction(rows.iterator().next());
        });
  }

  Future<Paging.Page<CreditTransaction>> list(long customerId, String grant, ListRequest page) {
    Future<Long> bound = Paging.bound(pool, page, CreditSql.TXN_CURSOR_ID, RESOURCE, customerId);
    return bound.compose(id -> pool.preparedQuery(Paging.backwards(page) ? CreditSql.LIST_TXNS_BEFORE
                : CreditSql.LIST_TXNS_AFTER)
            .execute(Tuple.of(customerId, grant, id, page.limit() + 1)))
        .map(rows -> {
          List<CreditTransaction> out = new ArrayList<>(rows.size());
          rows.forEach(r -> out.add(toTransaction(r)));
          return Paging.page(out, page);
        });
  }

  private static CreditTransaction toTransaction(Row r) {
    return new CreditTransaction(r.getLong("id"), r.getString("public_id"), r.getBoolean("livemode"),
        r.getString("credit_grant"), r.getString("type"), r.getString("kind"), r.getLong("amount"),
        r.getString("currency"), r.getString("invoice_public_id"), r.getString("line_public_id"),
        GrantStore.instant(r, "effective_at"), GrantStore.instant(r, "created_at"));
  }
}
