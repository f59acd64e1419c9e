package io.metergate.load;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.TimeUnit;

/** A keep-alive Vert.x HTTP client bound to one base URL; every answer is read whole. */
final class GatewayHttp {
  /** A complete answer; {@code atNs} is System.nanoTime() when its body had arrived. */
  record Reply(int status, String retryAfter, Buffer body, long atNs) {
    /** 429 and 5xx may pass; 501 (a route this gateway does not implement) will not. */
    boolean retryable() {
      return status == 429 || status >= 500 && status != 501;
    }

    String text() {
      String s = body.toString();
      return s.length() > 500 ? s.substring(0, 500) + "..." : s;
    }
  }

  private final Target target;
  private final HttpClientAgent client;
  private final long timeoutMs;

  GatewayHttp(Vertx vertx, Target target, int poolSize, int timeoutS) {
    this.target = target;
    this.timeoutMs = TimeUnit.SECONDS.toMillis(timeoutS);
    this.client = vertx.createHttpClient(
        new HttpClientOptions().setSsl(target.ssl()).setTrustAll(target.ssl()).setVerifyHost(false)
            .setKeepAlive(true).setTcpNoDelay(true).setConnectTimeout((int) timeoutMs),
        new PoolOptions().setHttp1MaxSize(poolSize));
  }

  Target target() {
    return target;
  }

  Future<Reply> post(String path, String authorization, String contentType, Buffer body, String idempotencyKey) {
    RequestOptions ro = options(HttpMethod.POST, path, authorization).putHeader(HttpHeaders.CONTENT_TYPE, contentType);
    if (idempotencyKey != null) {
      ro.putHeader("Idempotency-Key", idempotencyKey);
    }
    return client.request(ro).compose(req -> req.send(body)).compose(this::read);
  }

  Future<Reply> get(String pathAndQuery, String authorization) {
    return client.request(options(HttpMethod.GET, pathAndQuery, authorization)).compose(req -> req.send())
        .compose(this::read);
  }

  Future<Reply> delete(String path, String authorization) {
    return client.request(options(HttpMethod.DELETE, path, authorization)).compose(req -> req.send())
        .compose(this::read);
  }

  Future<Void> close() {
    return client.close();
  }

  private RequestOptions options(HttpMethod method, String path, String authorization) {
    RequestOptions ro = new RequestOptions().setMethod(method).setHost(target.host()).setPort(target.port())
        .setURI(target.basePath() + path).setIdleTimeout(timeoutMs);
    if (authorization != null) {
      ro.putHeader(HttpHeaders.AUTHORIZATION, authorization);
    }
    if (target.hostHeader() != null) {
      ro.putHeader(HttpHeaders.HOST, target.hostHeader());
    }
    return ro;
  }

  private Future<Reply> read(io.vertx.core.http.HttpClientResponse resp) {
    return resp.body().map(b -> new Reply(resp.statusCode(), resp.getHeader("Retry-After"), b, System.nanoTime()));
  }
}
