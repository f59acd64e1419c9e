package io.metergate.credits;

import io.metergate.accounts.Principal;
import io.metergate.common.ApiError;
import io.metergate.common.Ids;
import io.metergate.common.ListRequest;
import io.metergate.common.Metadata;
import io.metergate.common.Paging;
import io.metergate.common.Params;
import io.metergate.customers.CustomerStore;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Credit grant persistence; every statement is scoped to the caller's account and mode. */
final class GrantStore {
  static final String RESOURCE = "credit grant";

  private final Pool pool;
  private final CustomerStore customers;

  GrantStore(Pool pool, CustomerStore customers) {
    this.pool = pool;
    this.customers = customers;
  }

  /** The grant and its credits_granted transaction are written by one statement. */
  Future<CreditGrant> create(Principal who, GrantParams.Draft d) {
    Future<Long> customer = customers.findForParam(who, d.customer(), "customer").map(c -> c.id());
    Future<Void> prices = d.scope().prices() == null ? Future.succeededFuture()
        : checkPrices(who, d.scope(), d.scopeParams());
    return Future.all(customer, prices).compose(v -> {
      Tuple args = Tuple.tuple().addString(Ids.newId("credgr_")).addLong(who.accountId()).addBoolean(who.livemode())
          .addLong(customer.result()).addString(d.name()).addString(d.category()).addString(d.currency())
          .addLong(d.value()).addString(d.scope().priceType())
          .addArrayOfString(d.scope().prices() == null ? null : d.scope().prices().toArray(String[]::new))
          .addInteger(d.priority()).addLong(d.effectiveAt()).addLong(d.expiresAt())
          .addValue(Metadata.toJson(d.metadata())).addString(Ids.newId("cbtxn_"));
      return pool.preparedQuery(CreditSql.INSERT_GRANT).execute(args);
    }).map(rows -> {
      if (rows.size() == 0) {
        throw GrantParams.expiresTooEarly();
      }
      return single(rows);
    });
  }

  /** Listed prices must be metered prices of the account, as Stripe requires. */
  Future<Void> checkPrices(Principal who, Scope scope, Params scopeParams) {
    return meteredFlags(who, scope.prices()).map(metered -> {
      for (int i = 0; i < scope.prices().size(); i++) {
        Boolean isMetered = metered.get(scope.prices().get(i));
        String param = Scope.pricePath(scopeParams, i);
        if (isMetered == null) {
          throw ApiError.of(400, "invalid_request_error", "resource_missing",
              "No such price: '" + scope.prices().get(i) + "'", param);
        }
        if (!isMetered) {
          throw ApiError.invalid("price_not_metered", "The price " + scope.prices().get(i) + " is not metered;"
              + " billing credits apply only to metered prices.", param);
        }
      }
      return null;
    });
  }

  /** Price public id to whether it is metered, for the prices that exist in the account and mode. */
  Future<Map<String, Boolean>> meteredFlags(Principal who, List<String> prices) {
    return pool.preparedQuery(CreditSql.PRICES)
        .execute(Tuple.tuple().addLong(who.accountId()).addBoolean(who.livemode())
            .addArrayOfString(prices.toArray(String[]::new)))
        .map(rows -> {
          Map<String, Boolean> out = new HashMap<>();
          rows.forEach(r -> out.put(r.getString("public_id"), r.getBoolean("metered")));
          return out;
        });
  }

  Future<CreditGrant> find(Principal who, String publicId) {
    return pool.preparedQuery(CreditSql.FIND_GRANT).execute(Tuple.of(publicId, who.accountId(), who.livemode()))
        .map(rows -> {
          if (rows.size() == 0) {
            throw ApiError.notFound(RESOURCE, publicId, "id");
          }
          return single(rows);
        });
  }

  /**
   * A new expiry must be after effective_at and in the future (expire ends a grant now); neither an
   * expired nor a voided grant can get one. Metadata can always change.
   */
  Future<CreditGrant> update(Principal who, String publicId, GrantParams.Change c) {
    return locked(who, publicId, (conn, g, now) -> {
      Instant expiresAt = g.expiresAt();
      if (c.changesExpiry()) {
        refuseEnded(g, now, "change its expiry");
        expiresAt = c.expiresAt() == null ? null : Instant.ofEpochSecond(c.expiresAt());
        if (expiresAt != null && (!expiresAt.isAfter(g.effectiveAt()) || !expiresAt.isAfter(now))) {
          return Future.failedFuture(ApiError.invalid("parameter_invalid_integer", "Invalid expires_at: it must be"
              + " after effective_at and in the future; to end the grant now, expire it.", "expires_at"));
        }
      }
      Map<String, String> metadata = c.metadata().applyTo(g.metadata());
      return conn.preparedQuery(CreditSql.UPDATE_GRANT).execute(Tuple.tuple().addLong(g.id())
              .addOffsetDateTime(expiresAt == null ? null : OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC))
              .addValue(Metadata.toJson(metadata)))
          .map(GrantStore::single);
    });
  }

  /** Ends the grant now and debits what remains: credits_expired. */
  Future<CreditGrant> expire(Principal who, String publicId) {
    return locked(who, publicId, (conn, g, now) -> {
      refuseEnded(g, now, "expire it");
      return end(conn, g, CreditSql.EXPIRE_GRANT, "credits_expired");
    });
  }

  /** Voids the grant (an expired one too) and debits what remains: credits_voided. */
  Future<CreditGrant> voidGrant(Principal who, String publicId) {
    return locked(who, publicId, (conn, g, now) -> {
      if (g.voidedAt() != null) {
        throw voided(g);
      }
      return end(conn, g, CreditSql.VOID_GRANT, "credits_voided");
    });
  }

  private static Future<CreditGrant> end(SqlConnection conn, CreditGrant g, String sql, String kind) {
    return conn.preparedQuery(sql).execute(Tuple.of(g.id(), Ids.newId("cbtxn_"), kind)).map(GrantStore::single);
  }

  private static void refuseEnded(CreditGrant g, Instant now, String action) {
    if (g.voidedAt() != null) {
      throw voided(g);
    }
    if (g.expiredAt(now)) {
      throw ApiError.invalid("credit_grant_expired", "The credit grant " + g.publicId() + " expired at "
          + g.expiresAt().getEpochSecond() + "; you cannot " + action + ".", null);
    }
  }

  private static ApiError voided(CreditGrant g) {
    return ApiError.invalid("credit_grant_voided", "The credit grant " + g.publicId() + " was voided at "
        + g.voidedAt().getEpochSecond() + "; a voided grant cannot change.", null);
  }

  private interface LockedWork {
    Future<CreditGrant> apply(SqlConnection conn, CreditGrant grant, Instant now);
  }

  /** Runs {@code work} in a transaction holding the grant's row lock, with the database's clock. */
  private Future<CreditGrant> locked(Principal who, String publicId, LockedWork work) {
    return pool.withTransaction(conn -> conn.preparedQuery(CreditSql.LOCK_GRANT)
        .execute(Tuple.of(publicId, who.accountId(), who.livemode()))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(ApiError.notFound(RESOURCE, publicId, "id"));
          }
          Row r = rows.iterator().next();
          return work.apply(conn, toGrant(r), r.getOffsetDateTime("now").toInstant());
        }));
  }

  Future<Paging.Page<CreditGrant>> list(Principal who, String customer, ListRequest page) {
    Future<Long> bound = Paging.bound(pool, page, CreditSql.GRANT_CURSOR_ID, RESOURCE, who.accountId(), who.livemode());
    return bound.compose(id -> pool.preparedQuery(Paging.backwards(page) ? CreditSql.LIST_GRANTS_BEFORE
                : CreditSql.LIST_GRANTS_AFTER)
            .execute(Tuple.of(who.accountId(), who.livemode(), customer, id, page.limit() + 1)))
        .map(rows -> {
          List<CreditGrant> grants = new ArrayList<>(rows.size());
          rows.forEach(r -> grants.add(toGrant(r)));
          return Paging.page(grants, page);
        });
  }

  private static CreditGrant single(RowSet<Row> rows) {
    return toGrant(rows.iterator().next());
  }

  static CreditGrant toGrant(Row r) {
    String[] prices = r.getArrayOfStrings("price_ids");
    Map<String, String> metadata = Metadata.fromJson(r.getJsonObject("metadata"));
    return new CreditGrant(r.getLong("id"), r.getString("public_id"), r.getBoolean("livemode"),
        r.getLong("customer_id"), r.getString("customer"), r.getString("name"), r.getString("category"),
        r.getString("currency"), r.getLong("amount"), r.getString("price_type"),
        prices == null ? null : Arrays.asList(prices), r.getInteger("priority"), instant(r, "effective_at"),
        instant(r, "expires_at"), instant(r, "voided_at"), metadata, instant(r, "created_at"),
        instant(r, "updated_at"));
  }

  static Instant instant(Row r, String column) {
    OffsetDateTime t = r.getOffsetDateTime(column);
    return t == null ? null : t.toInstant();
  }
}
