package io.metergate.customers;

import java.time.Instant;
import java.util.Map;

/** A customer balance transaction as stored; {@code customer} and {@code invoice} are public ids. */
record BalanceTransaction(
    long id,
    String publicId,
    boolean livemode,
    String customer,
    long amount,
    String currency,
    String description,
    Map<String, String> metadata,
    long endingBalance,
    String type,
    String invoice,
    Instant created) {}
