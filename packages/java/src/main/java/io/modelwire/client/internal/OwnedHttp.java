package io.modelwire.client.internal;

import java.lang.reflect.Method;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The java.net.http client a {@code ModelwireClient} creates for itself, with the executor it runs
 * on, so {@link #close()} can release both: on Java 21+ the client's own {@code shutdownNow()}
 * (called reflectively: the SDK targets 17) aborts exchanges and closes its connections; on every
 * version the executor's threads are stopped.
 *
 * <p>Java 17-20 have no public way to close the pool. In JDK 17's {@code HttpClientImpl} the
 * selector thread closes every connection (its {@code stop()}) only when it exits, and it exits
 * only when the facade we hold is no longer strongly reachable (a {@code WeakReference} checked
 * every 3 s idle select) and no exchange is pending, or on a fatal selector error. Idle pooled
 * connections otherwise live for {@code jdk.httpclient.keepalive.timeout} (JVM-wide, 1200 s).
 * So close() drops the only reference the SDK holds; CloseReleasesResourcesTest pins that.
 *
 * <pre>{@code OwnedHttp http = OwnedHttp.create(Duration.ofSeconds(10)); … http.close(); }</pre>
 */
final class OwnedHttp {
  private static final AtomicInteger CLIENTS = new AtomicInteger();

  private final HttpTransport transport;
  private final ExecutorService executor;

  private OwnedHttp(HttpTransport transport, ExecutorService executor) {
    this.transport = transport;
    this.executor = executor;
  }

  /**
   * A client with its own daemon executor.
   *
   * @param connectTimeout connect timeout
   * @param maxResponseBytes largest body read
   * @return the owned client
   */
  static OwnedHttp create(Duration connectTimeout, long maxResponseBytes) {
    String prefix = "modelwire-http-" + CLIENTS.incrementAndGet() + "-";
    AtomicInteger threads = new AtomicInteger();
    ThreadFactory factory = r -> {
      Thread t = new Thread(r, prefix + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    ExecutorService executor = Executors.newCachedThreadPool(factory);
    return new OwnedHttp(new HttpTransport(HttpTransport.defaultClient(connectTimeout, executor), maxResponseBytes),
        executor);
  }

  /** The transport over the client. {@code owned.transport()} */
  HttpTransport transport() {
    return transport;
  }

  /**
   * Releases the client's connections and selector thread (Java 21+ at once; 17-20 when it is
   * collected, which dropping it here allows) and its executor's threads (every version).
   */
  void close() {
    HttpClient client = transport.client();
    if (client != null) shutdownNowIfAvailable(client);
    transport.release();
    executor.shutdownNow();
  }

  // HttpClient.shutdownNow() exists from Java 21 (close() there waits for running exchanges)
  private static void shutdownNowIfAvailable(HttpClient client) {
    try {
      Method m = HttpClient.class.getMethod("shutdownNow");
      m.invoke(client);
    } catch (NoSuchMethodException e) {
      // Java 17-20: connections are released when the client is collected
    } catch (ReflectiveOperationException | RuntimeException e) {
      // closing is best effort
    }
  }
}
