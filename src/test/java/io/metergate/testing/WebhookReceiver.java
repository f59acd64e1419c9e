package io.metergate.testing;

import static org.assertj.core.api.Assertions.fail;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook endpoint for tests: records every request and answers the n-th with {@code statuses[n]}
 * (the last one repeats); a status of 0 never answers until the receiver is closed.
 */
public final class WebhookReceiver implements AutoCloseable {
  public record Request(String method, String path, String contentType, String userAgent, String signature, String body,
                 Instant at) {}

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final BlockingQueue<Request> received = new LinkedBlockingQueue<>();
  private final AtomicInteger count = new AtomicInteger();
  private final CountDownLatch closing = new CountDownLatch(1);
  private final int[] statuses;
  private final String location;
  private final Gate gate;

  /** Holds requests until opened, and counts how many its receivers held at once. */
  public static final class Gate {
    private final CountDownLatch opened;
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger maxActive = new AtomicInteger();

    public Gate(boolean closed) {
      opened = new CountDownLatch(closed ? 1 : 0);
    }

    public void open() {
      opened.countDown();
    }

    public int active() {
      return active.get();
    }

    public int maxActive() {
      return maxActive.get();
    }

    private void pass() {
      maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
      try {
        opened.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        active.decrementAndGet();
      }
    }
  }

  private WebhookReceiver(int[] statuses, String location, Gate gate) throws IOException {
    this.statuses = statuses;
    this.location = location;
    this.gate = gate;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  public static WebhookReceiver answering(int... statuses) {
    return create(statuses, null, new Gate(false));
  }

  /** Answers every request with a 302 to {@code location}. */
  public static WebhookReceiver redirectingTo(String location) {
    return create(new int[] {302}, location, new Gate(false));
  }

  /** Answers 200 once {@code gate} opens. */
  public static WebhookReceiver gated(Gate gate) {
    return create(new int[] {200}, null, gate);
  }

  private static WebhookReceiver create(int[] statuses, String location, Gate gate) {
    try {
      return new WebhookReceiver(statuses, location, gate);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
  }

  /** The next request, waiting for it at most {@code limit}. */
  public Request next(Duration limit) {
    try {
      Request r = received.poll(limit.toMillis(), TimeUnit.MILLISECONDS);
      if (r == null) {
        fail("no webhook request arrived within " + limit.toSeconds() + " s");
      }
      return r;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public Request next() {
    return next(Duration.ofSeconds(20));
  }

  /** Requests received and not yet taken with next(). */
  public int waiting() {
    return received.size();
  }

  public int count() {
    return count.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    int n = count.getAndIncrement();
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    var h = exchange.getRequestHeaders();
    received.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
        h.getFirst("Content-Type"), h.getFirst("User-Agent"), h.getFirst("Stripe-Signature"), body, Instant.now()));
    gate.pass();
    int status = statuses[Math.min(n, statuses.length - 1)];
    if (status == 0) {
      try {
        closing.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
      return;
    }
    if (location != null) {
      exchange.getResponseHeaders().add("Location", location);
    }
    byte[] answer = "{\"received\":true}".getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, answer.length);
    exchange.getResponseBody().write(answer);
    exchange.close();
  }

  @Override
  public void close() {
    gate.open();
    closing.countDown();
    server.stop(0);
    threads.shutdownNow();
  }
}
