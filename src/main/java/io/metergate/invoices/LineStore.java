package io.metergate.invoices;

import io.metergate.accounts.Principal;
import io.metergate.common.ApiError;
import io.metergate.common.Ids;
import io.metergate.common.ListRequest;
import io.metergate.common.Metadata;
import io.metergate.common.Paging;
import io.metergate.customers.Customer;
import io.metergate.customers.CustomerStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.util.List;

/**
 * Invoice lines and invoice items: the bulk line operations on draft invoices (each request is one
 * transaction holding the invoice's row lock), and the invoice item resource itself.
 */
final class LineStore {
  /** One entry of remove_lines. */
  record Removal(String line, boolean unassign, String param) {}

  /** One entry of update_lines (or one line's update). */
  record Change(String line, LineDraft draft, String param) {}

  /** An invoice item with the public ids around it. */
  record Item(InvoiceLine line, String customer, String invoice, boolean livemode, java.time.Instant created) {}

  private final Pool pool;
  private final InvoiceStore invoices;
  private final CustomerStore customers;
  private final LinePricer pricer;
  private final Clock clock;

  LineStore(Pool pool, InvoiceStore invoices, CustomerStore customers, LinePricer pricer, Clock clock) {
    this.pool = pool;
    this.invoices = invoices;
    this.customers = customers;
    this.pricer = pricer;
    this.clock = clock;
  }

  Future<InvoiceView> add(Principal who, String invoiceId, List<LineDraft> lines, Metadata invoiceMetadata) {
    return onDraft(who, invoiceId, invoiceMetadata, (tx, inv) -> {
      Future<?> chain = Future.succeededFuture();
      for (int i = 0; i < lines.size(); i++) {
        LineDraft d = lines.get(i);
        String param = "lines[" + i + "]";
        chain = chain.compose(v -> d.invoiceItem() != null ? attach(tx, who, inv, d.invoiceItem(), param)
            : insert(tx, who, inv.customerId(), inv.id(), Ids.newId("il_"), d, inv.currency(), param).mapEmpty());
      }
      return chain.mapEmpty();
    });
  }

  Future<InvoiceView> remove(Principal who, String invoiceId, List<Removal> removals, Metadata invoiceMetadata) {
    return onDraft(who, invoiceId, invoiceMetadata, (tx, inv) -> {
      Future<?> chain = Future.succeededFuture();
      for (Removal r : removals) {
        chain = chain.compose(v -> line(tx, inv, r.line(), r.param() + "[id]")).compose(l -> tx
            .preparedQuery(r.unassign() ? InvoiceSql.DETACH_ITEM : InvoiceSql.DELETE_ITEM).execute(Tuple.of(l.rowId())));
      }
      return chain.mapEmpty();
    });
  }

  Future<InvoiceView> update(Principal who, String invoiceId, List<Change> changes, Metadata invoiceMetadata) {
    return onDraft(who, invoiceId, invoiceMetadata, (tx, inv) -> {
      Future<?> chain = Future.succeededFuture();
      for (Change c : changes) {
        chain = chain.compose(v -> line(tx, inv, c.line(), c.param() + "[id]"))
            .compose(l -> reprice(tx, who, l, c.draft(), inv.currency(), c.param()));
      }
      return chain.mapEmpty();
    });
  }

  /** POST /v1/invoices/:id/lines/:line: one line changed, returned alone. */
  Future<InvoiceLine> updateOne(Principal who, String invoiceId, String lineId, LineDraft draft) {
    return pool.withTransaction(tx -> InvoiceStore.draftForUpdate(tx, who, invoiceId).compose(inv ->
        line(tx, inv, lineId, "line_item_id")
            .compose(l -> reprice(tx, who, l, draft, inv.currency(), ""))
            .compose(v -> tx.preparedQuery(InvoiceSql.PERIOD_FROM_LINES).execute(Tuple.of(inv.id())))
            .compose(v -> invoices.view(tx, inv))
            .map(view -> view.lines().stream().filter(l -> l.id().equals(lineId)).findFirst().orElseThrow())));
  }

  private interface Work {
    Future<Void> run(SqlConnection tx, Invoice inv);
  }

  private Future<InvoiceView> onDraft(Principal who, String invoiceId, Metadata invoiceMetadata, Work work) {
    return pool.withTransaction(tx -> InvoiceStore.draftForUpdate(tx, who, invoiceId).compose(inv ->
        work.run(tx, inv)
            .compose(v -> invoiceMetadata.unchanged() ? Future.succeededFuture()
                : tx.preparedQuery("UPDATE invoices SET metadata = $2::jsonb, updated_at = now() WHERE id = $1")
                    .execute(Tuple.of(inv.id(), invoiceMetadata.applyTo(inv.metadata()).encode())))
            .compose(v -> tx.preparedQuery(InvoiceSql.PERIOD_FROM_LINES).execute(Tuple.of(inv.id())))
            .compose(v -> InvoiceStore.find(tx, who, invoiceId, false))
            .compose(updated -> invoices.view(tx, updated))));
  }

  private Future<InvoiceLine> line(SqlConnection tx, Invoice inv, String lineId, String param) {
    return tx.preparedQuery(InvoiceSql.FIND_LINE).execute(Tuple.of(lineId, inv.id())).map(rows -> {
      if (rows.size() == 0) {
        throw ApiError.of(400, "invalid_request_error", "resource_missing",
            "No such line item on invoice " + inv.publicId() + ": '" + lineId + "'", param);
      }
      return Rows.line(rows.iterator().next());
    });
  }

  private Future<Void> attach(SqlConnection tx, Principal who, Invoice inv, String itemId, String param) {
    return tx.preparedQuery(InvoiceSql.FIND_ITEM_FOR_UPDATE).execute(Tuple.of(itemId, who.accountId(), who.livemode()))
        .compose(rows -> {
          Row r = rows.size() == 0 ? null : rows.iterator().next();
          if (r == null || r.getLong("customer_id") != inv.customerId()) {
            return Future.failedFuture(ApiError.of(400, "invalid_request_error", "resource_missing",
                "No such invoice item of this invoice's customer: '" + itemId + "'", param + "[invoice_item]"));
          }
          if (r.getLong("invoice_id") != null) {
            return Future.failedFuture(ApiError.invalid("invoice_item_assigned",
                "The invoice item " + itemId + " is already on an invoice; remove it with behavior=unassign first.",
                param + "[invoice_item]"));
          }
          if (!inv.currency().equals(r.getString("currency"))) {
            return Future.failedFuture(ApiError.invalid("currency_mismatch", "The invoice item is in "
                + r.getString("currency") + ", the invoice in " + inv.currency() + ".", param + "[invoice_item]"));
          }
          return tx.preparedQuery(InvoiceSql.ATTACH_ITEM).execute(Tuple.of(r.getLong("id"), inv.id(), Ids.newId("il_")))
              .mapEmpty();
        });
  }

  private Future<Long> insert(SqlConnection tx, Principal who, long customerId, Long invoiceId, String linePublicId,
                              LineDraft d, String currency, String param) {
    return pricer.price(tx, who, d, null, currency, param, clock.instant()).compose(p -> tx
        .preparedQuery(InvoiceSql.INSERT_ITEM).execute(Tuple.tuple()
            .addString(Ids.newId("ii_")).addLong(who.accountId()).addBoolean(who.livemode()).addLong(customerId)
            .addLong(invoiceId).addString(linePublicId).addString(p.currency()).addLong(p.amount())
            .addLong(p.quantity()).addValue(p.quantityDecimal()).addValue(p.unitAmountDecimal())
            .addString(p.price()).addString(p.product()).addBoolean(p.metered()).addString(p.description())
            .addBoolean(p.discountable()).addString(p.metadata().encode()).addOffsetDateTime(utc(p.periodStart()))
            .addOffsetDateTime(utc(p.periodEnd())).addString(p.pricedBy()))
        .map(rows -> rows.iterator().next().getLong(0)));
  }

  private Future<Void> reprice(SqlConnection tx, Principal who, InvoiceLine current, LineDraft d, String currency,
                               String param) {
    return pricer.price(tx, who, d, current, currency, param, clock.instant()).compose(p -> tx
        .preparedQuery(InvoiceSql.UPDATE_ITEM).execute(Tuple.tuple().addLong(current.rowId()).addLong(p.amount())
            .addLong(p.quantity()).addValue(p.quantityDecimal()).addValue(p.unitAmountDecimal())
            .addString(p.price()).addString(p.product()).addBoolean(p.metered()).addString(p.description())
            .addBoolean(p.discountable()).addString(p.metadata().encode()).addOffsetDateTime(utc(p.periodStart()))
            .addOffsetDateTime(utc(p.periodEnd())).addString(p.pricedBy())))
        .mapEmpty();
  }

  // ------------------------------------------------------------------ invoice items

  /** POST /v1/invoiceitems: pending, or on a draft invoice of the same customer. */
  Future<Item> createItem(Principal who, String customer, String invoiceId, LineDraft d) {
    return customers.findForParam(who, customer, "customer").compose(c -> pool.withTransaction(tx -> {
      Future<Invoice> invoice = invoiceId == null ? Future.succeededFuture(null)
          : InvoiceStore.draftForUpdate(tx, who, invoiceId).map(inv -> {
            if (inv.customerId() != c.id()) {
              throw ApiError.invalid("invoice_customer_mismatch", "The invoice " + invoiceId
                  + " belongs to another customer.", "invoice");
            }
            return inv;
          });
      return invoice.compose(inv -> {
        String currency = currency(d, inv, c);
        return insert(tx, who, c.id(), inv == null ? null : inv.id(), inv == null ? null : Ids.newId("il_"), d, currency,
            "");
      }).compose(rowId -> item(tx, rowId));
    }));
  }

  /** The invoice's currency, else the one given, else the price's (null: the pricer takes it from the price). */
  private static String currency(LineDraft d, Invoice inv, Customer c) {
    String currency = inv != null ? inv.currency() : d.currency() != null ? d.currency()
        : d.priceData() != null ? d.priceData().currency() : d.price() != null ? null : c.currency();
    if (d.currency() != null && !d.currency().equals(currency)) {
      throw ApiError.invalid("currency_mismatch", "The item's currency differs from the invoice's.", "currency");
    }
    if (currency == null && d.price() == null) {
      throw ApiError.missing("currency");
    }
    return currency;
  }

  Future<Item> findItem(Principal who, String itemId) {
    return pool.withConnection(db -> itemByPublicId(db, who, itemId, false));
  }

  Future<Item> updateItem(Principal who, String itemId, LineDraft d) {
    return pool.withTransaction(tx -> lockItem(tx, who, itemId).compose(item ->
        reprice(tx, who, item.line(), d, item.line().currency(), "").compose(v -> item(tx, item.line().rowId()))));
  }

  Future<JsonObject> deleteItem(Principal who, String itemId) {
    return pool.withTransaction(tx -> lockItem(tx, who, itemId).compose(item ->
        tx.preparedQuery(InvoiceSql.DELETE_ITEM).execute(Tuple.of(item.line().rowId()))
            .map(v -> new JsonObject().put("id", itemId).put("object", "invoiceitem").put("deleted", true))));
  }

  /**
   * An item to change: its draft invoice (if any) is locked first, then the item, the order the line
   * operations use, so the two never deadlock; an item on a finalized invoice cannot change.
   */
  private static Future<Item> lockItem(SqlConnection tx, Principal who, String itemId) {
    return itemByPublicId(tx, who, itemId, false).compose(seen -> {
      Future<?> invoice = seen.invoice() == null ? Future.succeededFuture()
          : InvoiceStore.draftForUpdate(tx, who, seen.invoice());
      return invoice.compose(v -> itemByPublicId(tx, who, itemId, true)).map(item -> {
        if (!java.util.Objects.equals(item.invoice(), seen.invoice())) {
          throw ApiError.of(409, "invalid_request_error", "lock_timeout",
              "The invoice item " + itemId + " moved to another invoice meanwhile; retry.", null);
        }
        return item;
      });
    });
  }

  Future<Paging.Page<Item>> listItems(Principal who, String customer, String invoice, Boolean pending,
                                      ListRequest request) {
    boolean backwards = Paging.backwards(request);
    Future<Long> customerId = customer == null ? Future.succeededFuture(null)
        : customers.findForParam(who, customer, "customer").map(Customer::id);
    Future<Long> invoiceRow = invoice == null ? Future.succeededFuture(null)
        : pool.withConnection(db -> InvoiceStore.find(db, who, invoice, false)).map(Invoice::id);
    Future<Long> bound = Paging.bound(pool, request, InvoiceSql.ITEM_CURSOR_ID, "invoiceitem", who.accountId(), who.livemode());
    return Future.all(customerId, invoiceRow, bound).compose(v -> pool
        .preparedQuery(backwards ? InvoiceSql.LIST_ITEMS_BEFORE : InvoiceSql.LIST_ITEMS_AFTER)
        .execute(Tuple.tuple().addLong(who.accountId()).addBoolean(who.livemode()).addLong(customerId.result())
            .addLong(invoiceRow.result()).addBoolean(pending).addLong(bound.result()).addInteger(request.limit() + 1)))
        .map(rows -> Paging.page(Paging.rows(rows, LineStore::toItem), request));
  }

  private static Future<Item> item(SqlClient db, long rowId) {
    return db.preparedQuery(InvoiceSql.ITEM_BY_ID).execute(Tuple.of(rowId))
        .map(rows -> toItem(rows.iterator().next()));
  }

  private static Future<Item> itemByPublicId(SqlClient db, Principal who, String itemId, boolean forUpdate) {
    return db.preparedQuery(forUpdate ? InvoiceSql.FIND_ITEM_FOR_UPDATE : InvoiceSql.FIND_ITEM)
        .execute(Tuple.of(itemId, who.accountId(), who.livemode()))
        .map(rows -> {
          if (rows.size() == 0) {
            throw ApiError.notFound("invoiceitem", itemId, "id");
          }
          return toItem(rows.iterator().next());
        });
  }

  private static Item toItem(Row r) {
    return new Item(Rows.line(r), r.getString("customer"), r.getString("invoice"), r.getBoolean("livemode"),
        Rows.instant(r, "created_at"));
  }

  private static java.time.OffsetDateTime utc(java.time.Instant t) {
    return t == null ? null : t.atOffset(java.time.ZoneOffset.UTC);
  }
}
