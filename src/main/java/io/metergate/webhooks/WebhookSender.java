package io.metergate.webhooks;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends one signed webhook POST with a hard deadline on the whole exchange. Redirects are not
 * followed; the response body is read up to a small limit and dropped, and a response that is still
 * streaming at the deadline is cut off. Use from one event loop (the delivery verticle's).
 */
final class WebhookSender {
  static final String USER_AGENT = "Metergate/1.0 (Stripe-compatible webhooks; +https://stripe.com/docs/webhooks)";
  private static final int MAX_RESPONSE_BYTES = 64 * 1024;

  private final Vertx vertx;
  private final HttpClient client;
  private final int timeoutMillis;

  WebhookSender(Vertx vertx, int timeoutMillis, int concurrency) {
    this.vertx = vertx;
    this.timeoutMillis = timeoutMillis;
    this.client = vertx.createHttpClient(
        new HttpClientOptions().setName("metergate-webhooks").setConnectTimeout(timeoutMillis)
            .setIdleTimeout(timeoutMillis).setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
            .setKeepAlive(true).setKeepAliveTimeout(30).setDecompressionSupported(false).setMaxRedirects(0),
        new PoolOptions().setHttp1MaxSize(concurrency).setMaxWaitQueueSize(concurrency));
  }

  /** The response status, once the exchange is over; fails on connection errors and at the deadline. */
  Future<Integer> post(String url, Buffer body, String signature) {
    RequestOptions options;
    try {
      options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url).setFollowRedirects(false)
          .setConnectTimeout(timeoutMillis).setIdleTimeout(timeoutMillis)
          .putHeader("Content-Type", "application/json; charset=utf-8")
          .putHeader("User-Agent", USER_AGENT)
          .putHeader("Accept", "*/*; q=0.5, application/json")
          .putHeader("Cache-Control", "no-cache")
          .putHeader(WebhookSignature.HEADER, signature);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    Exchange x = new Exchange();
    client.request(options)
        .compose(request -> {
          x.request = request;
          if (x.done.future().isComplete()) {
            request.reset();
            return Future.<HttpClientResponse>failedFuture("deadline passed while connecting");
          }
          return request.send(body);
        })
        .onSuccess(x::read)
        .onFailure(x::abort);
    return x.done.future();
  }

  Future<Void> close() {
    return client.close();
  }

  /** One request's state, touched only on the verticle's event loop. */
  private final class Exchange {
    final Promise<Integer> done = Promise.promise();
    final long timer = vertx.setTimer(timeoutMillis,
        t -> abort(new TimeoutException("no complete response within " + timeoutMillis + " ms")));
    HttpClientRequest request;
    int status;
    long bytes;

    void read(HttpClientResponse response) {
      status = response.statusCode();
      response.exceptionHandler(this::abort);
      response.endHandler(v -> finish());
      response.handler(chunk -> {
        bytes += chunk.length();
        if (bytes > MAX_RESPONSE_BYTES) {
          abort(null);
        }
      });
    }

    void finish() {
      vertx.cancelTimer(timer);
      done.tryComplete(status);
    }

    /** Once the status is known it decides; the connection is dropped rather than drained. */
    void abort(Throwable err) {
      vertx.cancelTimer(timer);
      boolean first = status != 0 ? done.tryComplete(status) : done.tryFail(err);
      if (first && request != null) {
        request.reset();
      }
    }
  }
}
