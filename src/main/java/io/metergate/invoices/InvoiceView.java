package io.metergate.invoices;

import java.util.List;

/** An invoice with its lines (credits filled in) and its totals, ready to render. */
record InvoiceView(Invoice invoice, List<InvoiceLine> lines, Billing.Totals totals) {}
