package io.metergate.customers;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;

/** A customer as stored; {@code id} is internal, {@code publicId} the API's cus_...; balance in currency. */
public record Customer(
    long id,
    String publicId,
    long accountId,
    boolean livemode,
    String name,
    String email,
    String phone,
    String description,
    JsonObject metadata,
    long balance,
    String currency,
    Instant created,
    long nextInvoiceSequence) {

  /**
   * Stripe's invoice_prefix (3 to 12 characters): 12 hex digits derived from the id, stable without
   * being stored and, at 48 bits, practically unique within an account.
   */
  public String invoicePrefix() {
    return invoicePrefix(publicId);
  }

  public static String invoicePrefix(String publicId) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(publicId.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 6).toUpperCase(Locale.ROOT);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
