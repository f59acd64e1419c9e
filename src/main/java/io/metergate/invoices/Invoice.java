package io.metergate.invoices;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** An invoice as stored, with its customer's public id, contact fields and current balance. */
public record Invoice(
    long id,
    String publicId,
    long accountId,
    boolean livemode,
    long customerId,
    String customer,
    String customerName,
    String customerEmail,
    String customerPhone,
    long customerBalance,
    String customerCurrency,
    String status,
    String currency,
    String description,
    JsonObject metadata,
    String collectionMethod,
    Integer daysUntilDue,
    boolean autoAdvance,
    String number,
    Instant periodStart,
    Instant periodEnd,
    long startingBalance,
    Long endingBalance,
    long amountPaid,
    Instant created,
    Instant finalizedAt,
    Instant paidAt,
    Instant voidedAt) {

  public boolean draft() {
    return "draft".equals(status);
  }
}
