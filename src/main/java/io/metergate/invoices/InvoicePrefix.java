package io.metergate.invoices;

/** Placeholder until merged with the customers package's invoice_prefix. */
final class InvoicePrefix {
  private InvoicePrefix() {}

  static String of(String customerPublicId) {
    return customerPublicId;
  }
}
