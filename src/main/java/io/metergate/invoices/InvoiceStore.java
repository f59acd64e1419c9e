package io.metergate.invoices;

import io.metergate.accounts.Principal;
import io.metergate.common.ApiError;
import io.metergate.common.Ids;
import io.metergate.common.ListRequest;
import io.metergate.common.Metadata;
import io.metergate.common.Paging;
import io.metergate.credits.CreditAllocation;
import io.metergate.credits.CreditLedger;
import io.metergate.credits.Grant;
import io.metergate.customers.Customer;
import io.metergate.customers.CustomerBalance;
import io.metergate.customers.CustomerStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Invoices: creation, reads with their lines and totals, and the status changes. Draft invoices
 * show the billing credits and customer balance they would use; finalizing records both.
 */
final class InvoiceStore {
  record Create(String customer, String currency, String description, JsonObject metadata, String collectionMethod,
                Integer daysUntilDue, boolean autoAdvance, boolean includePending) {}

  record Page(List<InvoiceView> invoices, boolean hasMore) {}

  private final Pool pool;
  private final CustomerStore customers;
  private final Clock clock;

  InvoiceStore(Pool pool, CustomerStore customers, Clock clock) {
    this.pool = pool;
    this.customers = customers;
    this.clock = clock;
  }

  Future<InvoiceView> create(Principal who, Create c) {
    return customers.findForParam(who, c.customer(), "customer").compose(customer -> {
      String currency = c.currency() != null ? c.currency() : customer.currency();
      if (currency == null) {
        return Future.failedFuture(ApiError.missing("currency"));
      }
      String id = Ids.newId("in_");
      return pool.withTransaction(tx -> tx.preparedQuery(InvoiceSql.INSERT).execute(Tuple.tuple()
              .addString(id).addLong(who.accountId()).addBoolean(who.livemode()).addLong(customer.id())
              .addString(currency).addString(c.description()).addString(c.metadata().encode())
              .addString(c.collectionMethod()).addInteger(c.daysUntilDue()).addBoolean(c.autoAdvance()))
          .compose(rows -> {
            long invoiceId = rows.iterator().next().getLong(0);
            Future<?> pending = c.includePending() ? attachPending(tx, invoiceId, customer, currency)
                : Future.succeededFuture();
            return pending.compose(v -> tx.preparedQuery(InvoiceSql.PERIOD_FROM_LINES).execute(Tuple.of(invoiceId)))
                .compose(v -> byId(tx, invoiceId));
          })
          .compose(inv -> view(tx, inv)));
    });
  }

  private Future<Void> attachPending(SqlConnection tx, long invoiceId, Customer customer, String currency) {
    return tx.preparedQuery(InvoiceSql.CLAIM_PENDING_ITEMS).execute(Tuple.of(customer.id(), currency)).compose(rows -> {
      Future<?> chain = Future.succeededFuture();
      for (Row r : rows) {
        long itemId = r.getLong("id");
        chain = chain.compose(v -> tx.preparedQuery(InvoiceSql.ATTACH_ITEM)
            .execute(Tuple.of(itemId, invoiceId, Ids.newId("il_"))));
      }
      return chain.mapEmpty();
    });
  }

  Future<InvoiceView> find(Principal who, String publicId) {
    return pool.withConnection(db -> find(db, who, publicId, false).compose(inv -> view(db, inv)));
  }

  static Future<Invoice> find(SqlClient db, Principal who, String publicId, boolean forUpdate) {
    return db.preparedQuery(forUpdate ? InvoiceSql.FIND_FOR_UPDATE : InvoiceSql.FIND)
        .execute(Tuple.of(publicId, who.accountId(), who.livemode()))
        .map(rows -> {
          if (rows.size() == 0) {
            throw ApiError.notFound("invoice", publicId, "id");
          }
          return Rows.invoice(rows.iterator().next());
        });
  }

  private static Future<Invoice> byId(SqlClient db, long id) {
    return db.preparedQuery(InvoiceSql.FIND_BY_ID).execute(Tuple.of(id)).map(rows -> Rows.invoice(rows.iterator().next()));
  }

  /** A draft locked for a change, or 400 invoice_not_editable. */
  static Future<Invoice> draftForUpdate(SqlConnection tx, Principal who, String publicId) {
    return find(tx, who, publicId, true).map(inv -> {
      if (!inv.draft()) {
        throw ApiError.invalid("invoice_not_editable", "The invoice " + publicId + " is " + inv.status()
            + "; only draft invoices can be changed.", null);
      }
      return inv;
    });
  }

  Future<Page> list(Principal who, String customer, String status, ListRequest request) {
    boolean backwards = Paging.backwards(request);
    int limit = request.limit();
    Future<Long> customerId = customer == null ? Future.succeededFuture(null)
        : customers.findForParam(who, customer, "customer").map(Customer::id);
    Future<Long> bound = Paging.bound(pool, request, InvoiceSql.CURSOR_ID, "invoice", who.accountId(), who.livemode());
    return Future.all(customerId, bound).compose(v -> pool.withConnection(db -> db
        .preparedQuery(backwards ? InvoiceSql.LIST_BEFORE : InvoiceSql.LIST_AFTER)
        .execute(Tuple.of(who.accountId(), who.livemode(), customerId.result(), status, bound.result(), limit + 1))
        .compose(rows -> {
          Paging.Page<Invoice> page = Paging.page(Paging.rows(rows, Rows::invoice), request);
          return views(db, page.items()).map(views -> new Page(views, page.hasMore()));
        })));
  }

  /** description and metadata change on any invoice; the rest only on drafts. */
  record Update(String description, boolean clearDescription, Metadata metadata, Boolean autoAdvance,
                String collectionMethod, Integer daysUntilDue) {}

  Future<InvoiceView> update(Principal who, String publicId, Update u) {
    return pool.withTransaction(tx -> find(tx, who, publicId, true).compose(inv -> {
      boolean draftOnly = u.autoAdvance() != null || u.collectionMethod() != null || u.daysUntilDue() != null;
      if (draftOnly && !inv.draft()) {
        return Future.failedFuture(ApiError.invalid("invoice_not_editable", "Only description and metadata can change"
            + " once an invoice is finalized.", null));
      }
      String description = u.clearDescription() ? null : u.description() != null ? u.description() : inv.description();
      JsonObject metadata = u.metadata().applyTo(inv.metadata());
      String method = u.collectionMethod() != null ? u.collectionMethod() : inv.collectionMethod();
      Integer days = "charge_automatically".equals(method) ? null
          : u.daysUntilDue() != null ? u.daysUntilDue() : inv.daysUntilDue();
      return tx.preparedQuery(InvoiceSql.UPDATE).execute(Tuple.tuple().addLong(inv.id()).addString(description)
              .addString(metadata.encode()).addBoolean(u.autoAdvance() != null ? u.autoAdvance() : inv.autoAdvance())
              .addString(method).addInteger(days))
          .compose(v -> byId(tx, inv.id())).compose(updated -> view(tx, updated));
    }));
  }

  Future<JsonObject> delete(Principal who, String publicId) {
    return pool.withTransaction(tx -> draftForUpdate(tx, who, publicId)
        .compose(inv -> tx.preparedQuery(InvoiceSql.DELETE_DRAFT).execute(Tuple.of(inv.id())))
        .map(v -> new JsonObject().put("id", publicId).put("object", "invoice").put("deleted", true)));
  }

  /**
   * Draft to open (or paid when nothing is due): credits are applied to eligible lines in invoice
   * order and recorded, then the customer's balance; the customer row and the grants are locked,
   * so concurrent finalizations cannot spend the same credit twice.
   */
  Future<InvoiceView> finalizeInvoice(Principal who, String publicId) {
    return pool.withTransaction(tx -> draftForUpdate(tx, who, publicId).compose(inv -> tx
        .preparedQuery(InvoiceSql.LOCK_CUSTOMER).execute(Tuple.of(inv.customerId()))
        .compose(c -> {
          Row customer = c.iterator().next();
          // a balance in another currency is neither used nor moved by this invoice
          boolean sameCurrency = sameCurrency(customer.getString("currency"), inv.currency());
          long balance = sameCurrency ? customer.getLong("balance") : 0;
          return storedLines(tx, inv.id()).compose(lines -> CreditLedger.usable(tx, inv.customerId(), inv.currency(),
                  clock.instant(), true)
              .compose(grants -> applyCredits(tx, who, inv, lines, grants))
              .compose(credited -> {
                Billing.Totals computed = Billing.totals(credited, balance);
                Billing.Totals t = sameCurrency ? computed : new Billing.Totals(computed.subtotal(), computed.credits(),
                    computed.total(), 0, 0, Math.max(computed.total(), 0));
                Future<?> moved = t.endingBalance() == t.startingBalance() ? Future.succeededFuture()
                    : CustomerBalance.record(tx, new CustomerBalance.Entry(who.accountId(), who.livemode(),
                        inv.customerId(), t.endingBalance() - t.startingBalance(), inv.currency(), "applied_to_invoice",
                        null, new JsonObject(), inv.id()));
                return moved.compose(v -> tx.preparedQuery(InvoiceSql.NEXT_NUMBER).execute(Tuple.of(inv.customerId())))
                    .compose(n -> tx.preparedQuery(InvoiceSql.FINALIZE).execute(Tuple.tuple().addLong(inv.id())
                        .addString(t.amountDue() == 0 ? "paid" : "open")
                        .addString(number(inv.customer(), n.iterator().next().getLong(0)))
                        .addLong(t.startingBalance()).addLong(t.endingBalance()).addLong(0L)));
              }));
        })
        .compose(v -> byId(tx, inv.id())).compose(done -> view(tx, done))));
  }

  private Future<List<InvoiceLine>> applyCredits(SqlConnection tx, Principal who, Invoice inv, List<InvoiceLine> lines,
                                                 List<Grant> grants) {
    List<CreditAllocation.Allocation> allocations = Billing.allocate(lines, grants);
    List<CreditLedger.Application> applications = new ArrayList<>();
    for (CreditAllocation.Allocation a : allocations) {
      applications.add(new CreditLedger.Application(a.grant(), a.amount(), inv.id(), inv.publicId(),
          lines.get(a.lineIndex()).id()));
    }
    Future<List<String>> recorded = applications.isEmpty() ? Future.succeededFuture(List.of())
        : CreditLedger.apply(tx, who.accountId(), who.livemode(), applications);
    return recorded.map(ids -> {
      List<List<InvoiceLine.Credit>> credits = new ArrayList<>();
      lines.forEach(l -> credits.add(new ArrayList<>()));
      for (int i = 0; i < allocations.size(); i++) {
        credits.get(allocations.get(i).lineIndex()).add(new InvoiceLine.Credit(allocations.get(i).amount(), ids.get(i)));
      }
      List<InvoiceLine> out = new ArrayList<>();
      for (int i = 0; i < lines.size(); i++) {
        out.add(lines.get(i).withCredits(credits.get(i)));
      }
      return out;
    });
  }

  /**
   * Open to void: the credits it used come back, and the customer balance it used is restored. The
   * customer is locked first, as finalization locks it, so the two never wait on each other crosswise.
   */
  Future<InvoiceView> voidInvoice(Principal who, String publicId) {
    return pool.withTransaction(tx -> find(tx, who, publicId, true).compose(inv -> tx
        .preparedQuery(InvoiceSql.LOCK_CUSTOMER).execute(Tuple.of(inv.customerId())).map(v -> inv)).compose(inv -> {
      if (!"open".equals(inv.status()) && !"uncollectible".equals(inv.status())) {
        return Future.failedFuture(ApiError.invalid("invoice_not_voidable",
            "Only open or uncollectible invoices can be voided; " + publicId + " is " + inv.status() + ".", null));
      }
      long used = inv.endingBalance() == null ? 0 : inv.endingBalance() - inv.startingBalance();
      Future<?> balance = used == 0 ? Future.succeededFuture()
          : CustomerBalance.record(tx, new CustomerBalance.Entry(who.accountId(), who.livemode(), inv.customerId(),
              -used, inv.currency(), "unapplied_from_invoice", null, new JsonObject(), inv.id()));
      return balance.compose(v -> CreditLedger.returnForInvoice(tx, inv.id()))
          .compose(v -> tx.preparedQuery(InvoiceSql.SET_STATUS).execute(Tuple.of(inv.id(), "void", inv.amountPaid())))
          .compose(v -> byId(tx, inv.id())).compose(done -> view(tx, done));
    }));
  }

  /** This gateway collects no payments: an open invoice is marked paid when paid outside it. */
  Future<InvoiceView> pay(Principal who, String publicId) {
    return pool.withTransaction(tx -> find(tx, who, publicId, true).compose(inv -> {
      if (!"open".equals(inv.status()) && !"uncollectible".equals(inv.status())) {
        return Future.failedFuture(ApiError.invalid("invoice_not_payable",
            "Only open or uncollectible invoices can be paid; " + publicId + " is " + inv.status() + ".", null));
      }
      return view(tx, inv).compose(v -> tx.preparedQuery(InvoiceSql.SET_STATUS)
              .execute(Tuple.of(inv.id(), "paid", v.totals().amountDue())))
          .compose(v -> byId(tx, inv.id())).compose(done -> view(tx, done));
    }));
  }

  /** The invoice with its lines and totals: recorded credits when finalized, would-be credits on drafts. */
  Future<InvoiceView> view(SqlClient db, Invoice inv) {
    return views(db, List.of(inv)).map(v -> v.get(0));
  }

  /**
   * Views of many invoices (a list page): their lines and recorded credits in one query each, and the
   * usable grants once per customer and currency among the drafts.
   */
  private Future<List<InvoiceView>> views(SqlClient db, List<Invoice> invoices) {
    if (invoices.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    Long[] ids = invoices.stream().map(Invoice::id).toArray(Long[]::new);
    Long[] finalized = invoices.stream().filter(i -> !i.draft()).map(Invoice::id).toArray(Long[]::new);
    Future<Map<Long, List<InvoiceLine>>> lines = linesOf(db, ids);
    Future<Map<Long, Map<String, List<InvoiceLine.Credit>>>> recorded = finalized.length == 0
        ? Future.succeededFuture(Map.of()) : recordedCredits(db, finalized);
    Map<String, Future<List<Grant>>> grants = new HashMap<>();
    for (Invoice inv : invoices) {
      if (inv.draft()) {
        grants.computeIfAbsent(inv.customerId() + "/" + inv.currency(),
            k -> CreditLedger.usable(db, inv.customerId(), inv.currency(), clock.instant(), false));
      }
    }
    return Future.all(lines, recorded, Future.all(new ArrayList<>(grants.values()))).map(v -> {
      List<InvoiceView> out = new ArrayList<>(invoices.size());
      for (Invoice inv : invoices) {
        List<InvoiceLine> its = lines.result().getOrDefault(inv.id(), List.of());
        if (!inv.draft()) {
          Map<String, List<InvoiceLine.Credit>> credits = recorded.result().getOrDefault(inv.id(), Map.of());
          List<InvoiceLine> credited = new ArrayList<>();
          its.forEach(l -> credited.add(l.withCredits(credits.getOrDefault(l.id(), List.of()))));
          long ending = inv.endingBalance() == null ? inv.startingBalance() : inv.endingBalance();
          out.add(new InvoiceView(inv, credited, Billing.recorded(credited, inv.startingBalance(), ending)));
        } else {
          long balance = sameCurrency(inv.customerCurrency(), inv.currency()) ? inv.customerBalance() : 0;
          List<InvoiceLine> credited = Billing.credit(its,
              grants.get(inv.customerId() + "/" + inv.currency()).result());
          out.add(new InvoiceView(inv, credited, Billing.totals(credited, balance)));
        }
      }
      return out;
    });
  }

  static Future<List<InvoiceLine>> storedLines(SqlClient db, long invoiceId) {
    return linesOf(db, new Long[] {invoiceId}).map(m -> m.getOrDefault(invoiceId, List.of()));
  }

  private static Future<Map<Long, List<InvoiceLine>>> linesOf(SqlClient db, Long[] invoiceIds) {
    return db.preparedQuery(InvoiceSql.LINES).execute(Tuple.tuple().addArrayOfLong(invoiceIds)).map(rows -> {
      Map<Long, List<InvoiceLine>> out = new HashMap<>();
      rows.forEach(r -> out.computeIfAbsent(r.getLong("invoice_id"), k -> new ArrayList<>()).add(Rows.line(r)));
      return out;
    });
  }

  private static Future<Map<Long, Map<String, List<InvoiceLine.Credit>>>> recordedCredits(SqlClient db,
                                                                                      Long[] invoiceIds) {
    return db.preparedQuery(InvoiceSql.APPLIED_CREDITS).execute(Tuple.tuple().addArrayOfLong(invoiceIds)).map(rows -> {
      Map<Long, Map<String, List<InvoiceLine.Credit>>> out = new HashMap<>();
      rows.forEach(r -> out.computeIfAbsent(r.getLong("invoice_id"), k -> new HashMap<>())
          .computeIfAbsent(r.getString("line_public_id"), k -> new ArrayList<>())
          .add(new InvoiceLine.Credit(r.getLong("amount"), r.getString("public_id"))));
      return out;
    });
  }

  static boolean sameCurrency(String customerCurrency, String invoiceCurrency) {
    return customerCurrency == null || customerCurrency.equals(invoiceCurrency);
  }

  /** Stripe's shape: the customer's invoice prefix, then a four-digit sequence per customer. */
  static String number(String customerPublicId, long sequence) {
    return Customer.invoicePrefix(customerPublicId) + "-" + String.format("%04d", sequence);
  }
}
