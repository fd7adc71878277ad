package dev.mesh.bench;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * A constant-rate (open model) HTTP load generator. Request i is due at start + i / rate whatever
 * happened to the ones before it, and its latency is counted from that intended time, not from when
 * a connection was free to send it: a stalled server shows up in the tail instead of slowing the
 * generator down (coordinated omission). Requests wait in the client's queue when all connections
 * are busy, as a browser's would.
 *
 * <pre>
 * java -cp bench/target/classes:$(cat bench/target/classpath.txt) dev.mesh.bench.PixelLoad \
 *   --url http://127.0.0.1:8080/m/s.gif?s=a&amp;p=/ --rate 5000 --duration 10s [--warmup 3s]
 *   [--connections 32] [--threads 1] [--header 'User-Agent: ...'] [--name label]
 * </pre>
 *
 * Prints the achieved rate, errors (non-2xx, failures, unanswered at the end) and p50, p99, p99.9
 * and max, then one Markdown table row: | name | target/s | achieved/s | errors | p50 | p99 | p99.9
 * | max |.
 */
public final class PixelLoad {

  public static void main(String[] argv) throws Exception {
    Args args = new Args(argv);
    URI url = URI.create(args.string("url", null));
    double rate = args.decimal("rate", 1000);
    Duration duration = args.duration("duration", "10s");
    Duration warmup = args.duration("warmup", "2s");
    int connections = args.integer("connections", 32);
    int threads = args.integer("threads", 1);
    String name = args.string("name", url.getHost() + ":" + url.getPort() + url.getPath());
    List<String[]> headers = new ArrayList<>();
    for (String h : args.all("header")) {
      int colon = h.indexOf(':');
      headers.add(new String[] {h.substring(0, colon).trim(), h.substring(colon + 1).trim()});
    }

    Vertx vertx = Vertx.vertx();
    List<Load> loads = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      loads.add(new Load(url, headers, rate / threads, Math.max(1, connections / threads)));
    }
    CountDownLatch done = new CountDownLatch(threads);
    for (Load load : loads) {
      load.done = done;
      vertx
          .deployVerticle(load, new DeploymentOptions())
          .toCompletionStage()
          .toCompletableFuture()
          .get();
    }
    // the schedule starts once every instance is deployed (a slow start would otherwise be one
    // burst)
    long start = System.nanoTime() + 200_000_000L;
    loads.forEach(
        load ->
            load.schedule(
                start, start + warmup.toNanos(), start + warmup.toNanos() + duration.toNanos()));
    // wait for the run, then at most 10 s for the last answers
    done.await(warmup.toSeconds() + duration.toSeconds() + 15, TimeUnit.SECONDS);
    Histogram all = Report.micros();
    long ok = 0;
    long errors = 0;
    long late = 0;
    for (Load load : loads) {
      synchronized (load) {
        all.add(load.latency);
        ok += load.ok.get();
        errors += load.errors.get() + load.outstanding.get();
        late = Math.max(late, load.maxSendLagNanos);
      }
    }
    vertx.close();
    double seconds = duration.toNanos() / 1e9;
    double achieved = (ok + errors) / seconds;
    System.out.printf(
        Locale.ROOT,
        "%s: target %.0f/s, achieved %.0f/s (%d answered 2xx, %d errors) over %s after a %s warm-up, %d connections%n",
        name,
        rate,
        achieved,
        ok,
        errors,
        duration,
        warmup,
        connections);
    System.out.printf(
        Locale.ROOT,
        "latency from intended send time: p50 %s ms, p99 %s ms, p99.9 %s ms, max %s ms%n",
        Report.ms(all, 50),
        Report.ms(all, 99),
        Report.ms(all, 99.9),
        Report.maxMs(all));
    if (late > 50_000_000L) {
      System.out.printf(
          Locale.ROOT,
          "note: in the measured window the generator itself fell up to %.0f ms behind its schedule (a busy client core): its latencies include that%n",
          late / 1e6);
    }
    System.out.printf(
        Locale.ROOT,
        "| %s | %.0f | %.0f | %d | %s | %s | %s | %s |%n",
        name,
        rate,
        achieved,
        errors,
        Report.ms(all, 50),
        Report.ms(all, 99),
        Report.ms(all, 99.9),
        Report.maxMs(all));
  }

  /** One event loop's share of the rate, on its own client and connections. */
  private static final class Load extends AbstractVerticle {
    private final URI url;
    private final List<String[]> headers;
    private final double rate;
    private final int connections;
    private volatile long start;
    private volatile long measureFrom;
    private volatile long end;
    final Histogram latency = Report.micros();
    final AtomicLong ok = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicLong outstanding = new AtomicLong();
    long maxSendLagNanos;
    CountDownLatch done;
    private HttpClient client;
    private long sent;

    Load(URI url, List<String[]> headers, double rate, int connections) {
      this.url = url;
      this.headers = headers;
      this.rate = rate;
      this.connections = connections;
    }

    void schedule(long start, long measureFrom, long end) {
      this.measureFrom = measureFrom;
      this.end = end;
      this.start = start;
    }

    @Override
    public void start(Promise<Void> started) {
      client =
          vertx
              .httpClientBuilder()
              .with(new HttpClientOptions().setKeepAlive(true).setPipelining(false))
              // unbounded wait queue: a request waits for a connection instead of failing, and its
              // wait counts
              .with(new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1))
              .build();
      vertx.setPeriodic(1, id -> tick(id));
      started.complete();
    }

    private void tick(long timer) {
      long now = System.nanoTime();
      if (start == 0 || now < start) {
        return;
      }
      long due = (long) ((Math.min(now, end) - start) * rate / 1e9);
      while (sent < due) {
        long intended = start + (long) (sent * 1e9 / rate);
        sent++;
        if (intended >= measureFrom) {
          maxSendLagNanos = Math.max(maxSendLagNanos, now - intended);
        }
        send(intended);
      }
      if (now >= end) {
        vertx.cancelTimer(timer);
        vertx.setPeriodic(
            10,
            wait -> {
              if (outstanding.get() == 0 || System.nanoTime() > end + 10_000_000_000L) {
                vertx.cancelTimer(wait);
                done.countDown();
              }
            });
      }
    }

    private void send(long intended) {
      boolean counted = intended >= measureFrom;
      if (counted) {
        outstanding.incrementAndGet();
      }
      RequestOptions options =
          new RequestOptions()
              .setMethod(HttpMethod.GET)
              .setHost(url.getHost())
              .setPort(url.getPort())
              .setURI(
                  url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery()));
      headers.forEach(h -> options.addHeader(h[0], h[1]));
      client
          .request(options)
          .compose(
              request ->
                  request
                      .send()
                      .compose(response -> response.body().map(b -> response.statusCode())))
          .onComplete(
              result -> {
                if (!counted) {
                  return;
                }
                outstanding.decrementAndGet();
                synchronized (this) {
                  if (result.succeeded() && result.result() / 100 == 2) {
                    ok.incrementAndGet();
                    latency.recordValue(Math.max(0, (System.nanoTime() - intended) / 1000));
                  } else {
                    errors.incrementAndGet();
                  }
                }
              });
    }
  }
}
