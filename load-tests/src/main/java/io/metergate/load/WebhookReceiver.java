package io.metergate.load;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.function.BiConsumer;

/**
 * A local webhook endpoint on 127.0.0.1 (a free port): answers 200 at once, checks each delivery's
 * Stripe-Signature against the endpoint secret, and hands the parsed event and its arrival time
 * (System.nanoTime() once the body is in) to the listener. Runs on the caller's event loop.
 */
final class WebhookReceiver {
  static final long TOLERANCE_S = 300;

  private final Vertx vertx;
  private final BiConsumer<JsonObject, Long> listener;
  private HttpServer server;
  private String secret;
  long received;
  long signatureOk;
  long badFormat;
  long badSignature;
  long staleTimestamp;
  long notJson;
  String firstProblem;

  WebhookReceiver(Vertx vertx, BiConsumer<JsonObject, Long> listener) {
    this.vertx = vertx;
    this.listener = listener;
  }

  /** Listens on 127.0.0.1 and returns the port. */
  Future<Integer> start() {
    return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(this::handle)
        .listen()
        .map(s -> {
          server = s;
          return s.actualPort();
        });
  }

  /** The endpoint's signing secret (whsec_...), known once the endpoint is created. */
  void secret(String secret) {
    this.secret = secret;
  }

  private void handle(HttpServerRequest req) {
    req.body().onComplete(ar -> {
      long at = System.nanoTime();
      req.response().setStatusCode(200).end();
      if (ar.failed() || req.method() != io.vertx.core.http.HttpMethod.POST) {
        return;
      }
      received++;
      byte[] body = ar.result().getBytes();
      check(req.getHeader("Stripe-Signature"), body);
      JsonObject event;
      try {
        event = new JsonObject(ar.result());
      } catch (DecodeException e) {
        notJson++;
        problem("a delivery that is not a JSON object");
        return;
      }
      listener.accept(event, at);
    });
  }

  private void check(String header, byte[] body) {
    if (secret == null) {
      badSignature++;
      problem("a delivery arrived before the endpoint secret was known");
      return;
    }
    StripeSignature.Result r = StripeSignature.verify(header, body, secret, System.currentTimeMillis() / 1000,
        TOLERANCE_S);
    switch (r) {
      case OK -> signatureOk++;
      case BAD_FORMAT -> {
        badFormat++;
        problem("Stripe-Signature not of the form t=...,v1=...: " + header);
      }
      case BAD_SIGNATURE -> {
        badSignature++;
        problem("Stripe-Signature v1 is not HMAC-SHA256(secret, t.body): " + header);
      }
      case STALE_TIMESTAMP -> {
        staleTimestamp++;
        problem("Stripe-Signature t is more than " + TOLERANCE_S + " s from now: " + header);
      }
    }
  }

  private void problem(String text) {
    if (firstProblem == null) {
      firstProblem = text;
    }
  }

  boolean signaturesOk() {
    return badFormat == 0 && badSignature == 0 && staleTimestamp == 0 && notJson == 0;
  }

  JsonObject json() {
    return new JsonObject()
        .put("received", received)
        .put("signature_ok", signatureOk)
        .put("bad_format", badFormat)
        .put("bad_signature", badSignature)
        .put("stale_timestamp", staleTimestamp)
        .put("not_json", notJson)
        .put("first_problem", firstProblem);
  }

  Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
