package io.metergate.subscriptions;

import io.metergate.accounts.Principal;
import io.metergate.catalog.Price;
import io.metergate.catalog.PriceStore;
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
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Subscription persistence; every statement is scoped to the caller's account and mode. */
public final class SubscriptionStore {
  static final String RESOURCE = "subscription";

  /** List filters: customer and price public ids (null for any) and the statuses to include. */
  record Filter(String customer, List<String> statuses, String price) {}

  private final Pool pool;

  public SubscriptionStore(Pool pool) {
    this.pool = pool;
  }

  /** The customer's active subscriptions with their items and prices, oldest first. */
  public Future<List<Subscription>> active(Principal who, long customerId) {
    return pool.preparedQuery(SubscriptionSql.ACTIVE).execute(Tuple.of(customerId, who.accountId(), who.livemode()))
        .map(SubscriptionStore::assemble);
  }

  /** One subscription named by a request parameter: unknown is 400 resource_missing naming {@code param}. */
  public Future<Subscription> findForParam(Principal who, String publicId, String param) {
    return lookup(who, publicId).map(s -> {
      if (s == null) {
        throw ApiError.invalid("resource_missing", "No such subscription: '" + publicId + "'", param);
      }
      return s;
    });
  }

  public Future<Subscription> find(Principal who, String publicId) {
    return lookup(who, publicId).map(s -> {
      if (s == null) {
        throw ApiError.notFound(RESOURCE, publicId, "id");
      }
      return s;
    });
  }

  private Future<Subscription> lookup(Principal who, String publicId) {
    return pool.preparedQuery(SubscriptionSql.FIND).execute(Tuple.of(publicId, who.accountId(), who.livemode()))
        .map(rows -> {
          List<Subscription> found = assemble(rows);
          return found.isEmpty() ? null : found.get(0);
        });
  }

  /** One transaction: the customer, the prices, the checks between them, the subscription and its items. */
  Future<Subscription> create(Principal who, SubscriptionDraft d, Instant now) {
    return pool.withTransaction(conn -> customerId(conn, who, d.customer())
        .compose(customerId -> prices(conn, who, d).compose(prices -> {
          SubscriptionDraft.Terms terms = d.terms(prices);
          return insert(conn, who, d, customerId, terms, now);
        }))
        .compose(id -> byIds(conn, List.of(id)))
        .map(created -> created.get(0)));
  }

  private static Future<Long> customerId(SqlConnection conn, Principal who, String customer) {
    return conn.preparedQuery(SubscriptionSql.CUSTOMER_ID).execute(Tuple.of(customer, who.accountId(), who.livemode()))
        .map(rows -> {
          if (rows.size() == 0) {
            throw ApiError.invalid("resource_missing", "No such customer: '" + customer + "'", "customer");
          }
          return rows.iterator().next().getLong(0);
        });
  }

  private static Future<Map<String, Price>> prices(SqlConnection conn, Principal who, SubscriptionDraft d) {
    String[] ids = d.items().stream().map(SubscriptionDraft.Item::price).toArray(String[]::new);
    return conn.preparedQuery(SubscriptionSql.PRICES)
        .execute(Tuple.tuple().addArrayOfString(ids).addLong(who.accountId()).addBoolean(who.livemode()))
        .map(rows -> {
          Map<String, Price> byId = new HashMap<>();
          rows.forEach(r -> byId.put(r.getString("price_public_id"), PriceStore.toPrice(r)));
          return byId;
        });
  }

  private static Future<Long> insert(SqlConnection conn, Principal who, SubscriptionDraft d, long customerId,
                                     SubscriptionDraft.Terms terms, Instant now) {
    Tuple sub = Tuple.tuple().addString(Ids.newId("sub_")).addLong(who.accountId()).addBoolean(who.livemode())
        .addLong(customerId).addString(terms.currency()).addOffsetDateTime(utc(d.anchor()))
        .addOffsetDateTime(utc(d.start())).addString(terms.interval()).addInteger(terms.intervalCount())
        .addValue(Metadata.toJson(d.metadata())).addOffsetDateTime(utc(now));
    return conn.preparedQuery(SubscriptionSql.INSERT).execute(sub).compose(rows -> {
      long id = rows.iterator().next().getLong(0);
      int n = d.items().size();
      String[] publicIds = new String[n];
      Long[] priceIds = new Long[n];
      Long[] quantities = new Long[n];
      String[] metadata = new String[n];
      for (int i = 0; i < n; i++) {
        SubscriptionDraft.Item item = d.items().get(i);
        Price price = terms.prices().get(i);
        publicIds[i] = Ids.newId("si_");
        priceIds[i] = price.id();
        quantities[i] = price.metered() ? null : item.quantity() == null ? 1L : item.quantity();
        metadata[i] = Metadata.toJson(item.metadata()).encode();
      }
      Tuple items = Tuple.tuple().addLong(id).addArrayOfString(publicIds).addArrayOfLong(priceIds)
          .addArrayOfLong(quantities).addArrayOfString(metadata).addOffsetDateTime(utc(now));
      return conn.preparedQuery(SubscriptionSql.INSERT_ITEMS).execute(items).map(id);
    });
  }

  /** Cancels now; an unknown or already canceled subscription is 404, as at Stripe. */
  Future<Subscription> cancel(Principal who, String publicId, Subscription.Cancellation c) {
    Tuple args = Tuple.tuple().addString(publicId).addLong(who.accountId()).addBoolean(who.livemode())
        .addOffsetDateTime(utc(c.at())).addString(c.comment()).addString(c.feedback());
    return pool.preparedQuery(SubscriptionSql.CANCEL).execute(args)
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(ApiError.notFound(RESOURCE, publicId, "id"))
            : byIds(pool, List.of(rows.iterator().next().getLong(0))).map(found -> found.get(0)));
  }

  Future<Paging.Page<Subscription>> list(Principal who, Filter f, ListRequest page) {
    boolean backwards = Paging.backwards(page);
    Future<Long> bound = Paging.bound(pool, page, SubscriptionSql.CURSOR_ID, RESOURCE, who.accountId(),
        who.livemode());
    return bound.compose(id -> pool.preparedQuery(backwards ? SubscriptionSql.LIST_BEFORE : SubscriptionSql.LIST_AFTER)
            .execute(Tuple.tuple().addLong(who.accountId()).addBoolean(who.livemode()).addString(f.customer())
                .addArrayOfString(f.statuses().toArray(String[]::new)).addString(f.price()).addLong(id)
                .addInteger(page.limit() + 1)))
        .map(rows -> Paging.page(Paging.rows(rows, r -> r.getLong(0)), page))
        .compose(ids -> byIds(pool, ids.items()).map(subs -> new Paging.Page<>(subs, ids.hasMore())));
  }

  /** The subscriptions with these ids, in the order given. */
  private static Future<List<Subscription>> byIds(SqlClient client, List<Long> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return client.preparedQuery(SubscriptionSql.BY_IDS)
        .execute(Tuple.tuple().addArrayOfLong(ids.toArray(Long[]::new))).map(rows -> {
      Map<Long, Subscription> byId = new HashMap<>();
      assemble(rows).forEach(s -> byId.put(s.id(), s));
      return ids.stream().map(byId::get).toList();
    });
  }

  /** Rows ordered by subscription then item become subscriptions with their items, in that order. */
  private static List<Subscription> assemble(RowSet<Row> rows) {
    Map<Long, List<Row>> bySubscription = new LinkedHashMap<>();
    rows.forEach(r -> bySubscription.computeIfAbsent(r.getLong("sub_id"), k -> new ArrayList<>()).add(r));
    List<Subscription> out = new ArrayList<>(bySubscription.size());
    bySubscription.values().forEach(group -> out.add(toSubscription(group)));
    return out;
  }

  private static Subscription toSubscription(List<Row> group) {
    Row r = group.get(0);
    List<Subscription.Item> items = new ArrayList<>(group.size());
    group.forEach(i -> items.add(new Subscription.Item(i.getLong("item_id"), i.getString("item_public_id"),
        PriceStore.toPrice(i), i.getLong("item_quantity"), Metadata.fromJson(i.getJsonObject("item_metadata")),
        instant(i.getOffsetDateTime("item_created_at")))));
    Instant canceledAt = instant(r.getOffsetDateTime("sub_canceled_at"));
    Subscription.Cancellation cancellation = canceledAt == null ? null : new Subscription.Cancellation(canceledAt,
        r.getString("sub_cancellation_comment"), r.getString("sub_cancellation_feedback"));
    return new Subscription(r.getLong("sub_id"), r.getString("sub_public_id"), r.getLong("sub_customer_id"),
        r.getString("sub_customer"), r.getString("sub_status"), r.getString("sub_currency"),
        instant(r.getOffsetDateTime("sub_anchor")), instant(r.getOffsetDateTime("sub_start")),
        r.getString("sub_interval"), r.getInteger("sub_interval_count"), List.copyOf(items),
        instant(r.getOffsetDateTime("sub_created_at")), r.getBoolean("sub_livemode"),
        Metadata.fromJson(r.getJsonObject("sub_metadata")), cancellation);
  }

  private static OffsetDateTime utc(Instant t) {
    return t.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }
}
