package io.metergate.credits;

import java.time.Instant;

/**
 * A billing credit balance transaction: {@code type} credit or debit, {@code kind} its detail
 * (credits_granted, credits_applied, ...); invoice and line public ids for applied and returned credits.
 */
record CreditTransaction(
    long id,
    String publicId,
    boolean livemode,
    String creditGrant,
    String type,
    String kind,
    long amount,
    String currency,
    String invoice,
    String invoiceLineItem,
    Instant effectiveAt,
    Instant created) {}
