package io.metergate.webhooks;

import io.metergate.accounts.Principal;
import io.metergate.common.ApiError;
import io.metergate.common.Ids;
import io.metergate.common.ListRequest;
import io.metergate.common.Paging;
import io.metergate.common.Metadata;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.Arrays;
import java.util.Map;

/** Webhook endpoint persistence; every statement is scoped to the caller's account and mode. */
final class WebhookEndpointStore {
  /** Stripe's limit per account and mode; it also bounds the deliveries one event can queue. */
  static final int MAX_ENDPOINTS = 16;
  private static final String RESOURCE = "webhook endpoint";


  private final Pool pool;

  WebhookEndpointStore(Pool pool) {
    this.pool = pool;
  }

  Future<WebhookEndpoint> create(Principal who, EndpointParams.Draft d) {
    Tuple args = Tuple.tuple().addString(Ids.newId("we_")).addLong(who.accountId()).addBoolean(who.livemode())
        .addString(d.url()).addArrayOfString(d.enabledEvents().toArray(String[]::new)).addString(d.description())
        .addValue(Metadata.toJson(d.metadata())).addString("whsec_" + Ids.random(32))
        .addString(d.apiVersion()).addInteger(MAX_ENDPOINTS);
    return pool.preparedQuery(WebhookSql.INSERT).execute(args).map(rows -> {
      if (rows.size() == 0) {
        throw ApiError.invalid("webhook_endpoint_limit_reached", "You have reached the maximum of "
            + MAX_ENDPOINTS + " " + who.mode() + " webhook endpoints.", null);
      }
      return single(rows);
    });
  }

  Future<WebhookEndpoint> find(Principal who, String publicId) {
    return pool.preparedQuery(WebhookSql.FIND).execute(Tuple.of(publicId, who.accountId(), who.livemode()))
        .map(rows -> {
          if (rows.size() == 0) {
            throw ApiError.notFound(RESOURCE, publicId, "id");
          }
          return single(rows);
        });
  }

  /** Read, merge (metadata is a patch) and write under a row lock, so concurrent updates do not lose keys. */
  Future<WebhookEndpoint> update(Principal who, String publicId, EndpointParams.Change c) {
    return pool.withTransaction(conn -> conn.preparedQuery(WebhookSql.FIND_FOR_UPDATE)
        .execute(Tuple.of(publicId, who.accountId(), who.livemode()))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(ApiError.notFound(RESOURCE, publicId, "id"));
          }
          return write(conn, single(rows), c);
        }));
  }

  private static Future<WebhookEndpoint> write(SqlConnection conn, WebhookEndpoint e, EndpointParams.Change c) {
    Map<String, String> metadata = c.metadata().applyTo(e.metadata());
    String status = c.disabled() == null ? e.status() : c.disabled() ? "disabled" : "enabled";
    Tuple args = Tuple.tuple().addLong(e.id()).addString(c.url() == null ? e.url() : c.url())
        .addArrayOfString((c.enabledEvents() == null ? e.enabledEvents() : c.enabledEvents()).toArray(String[]::new))
        .addString(c.describes() ? c.description() : e.description())
        .addValue(Metadata.toJson(metadata)).addString(status);
    return conn.preparedQuery(WebhookSql.UPDATE).execute(args).map(WebhookEndpointStore::single);
  }

  Future<String> delete(Principal who, String publicId) {
    return pool.preparedQuery(WebhookSql.DELETE).execute(Tuple.of(publicId, who.accountId(), who.livemode()))
        .map(rows -> {
          if (rows.size() == 0) {
            throw ApiError.notFound(RESOURCE, publicId, "id");
          }
          return rows.iterator().next().getString("public_id");
        });
  }

  Future<Paging.Page<WebhookEndpoint>> list(Principal who, ListRequest page) {
    Future<Long> bound = Paging.bound(pool, page, WebhookSql.CURSOR_ID, RESOURCE, who.accountId(), who.livemode());
    return bound.compose(id -> pool.preparedQuery(Paging.backwards(page) ? WebhookSql.LIST_BEFORE : WebhookSql.LIST_AFTER)
            .execute(Tuple.of(who.accountId(), who.livemode(), id, page.limit() + 1)))
        .map(rows -> Paging.page(Paging.rows(rows, WebhookEndpointStore::toEndpoint), page));
  }

  private static WebhookEndpoint single(RowSet<Row> rows) {
    return toEndpoint(rows.iterator().next());
  }

  private static WebhookEndpoint toEndpoint(Row r) {
    Map<String, String> metadata = Metadata.fromJson(r.getJsonObject("metadata"));
    return new WebhookEndpoint(r.getLong("id"), r.getString("public_id"), r.getBoolean("livemode"),
        r.getString("url"), Arrays.asList(r.getArrayOfStrings("enabled_events")), r.getString("description"),
        metadata, r.getString("secret"), r.getString("status"), r.getString("api_version"),
        r.getOffsetDateTime("created_at").toInstant());
  }
}
