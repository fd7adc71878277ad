package dev.mesh.bench;

import dev.mesh.common.MeshConfig;
import dev.mesh.common.MeshNode;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.ref.Reference;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Bridge fan-out: CLIENTS SockJS WebSocket clients, each registered on its own session feed ({@code
 * session.feed}) and on a public feed ({@code mesh.tracker.live}), while messages carrying their
 * publish time are published at fixed rates: PUBLIC_RATE per second on the public feed (each
 * reaches every client) and SESSION_RATE per second on session feeds, round robin over the clients.
 * Measures publish-to-receive latency (HdrHistogram) and the deliveries per CPU-second of the
 * server process (from /proc/PID/stat over the measured window).
 *
 * <p>{@code --target bridge}: the gateway at URL. This process joins the gateway's cluster
 * (MESH_CLUSTER_* from the environment) and publishes on its event bus as any service would: on the
 * public feed, and on {@code mesh.session.<scope>.feed}, where it learns each client's scope from
 * the client's own {@code session.hello} publish, which the bridge repeats on {@code
 * mesh.session.events}. The gateway is not changed in any way. {@code --target raw}: {@link
 * RawBroadcast} at URL; the same clients, rates and payload; publishes go over one WebSocket to its
 * {@code /publish}.
 *
 * <pre>
 * java -cp ... dev.mesh.bench.FanOut --target bridge|raw --url http://127.0.0.1:8080 --clients 1000
 *   --public-rate 50 --session-rate 1000 --duration 10s [--warmup 3s] [--server-pid PID] [--payload 100]
 * </pre>
 *
 * Publisher and clients share this JVM, so one System.nanoTime clock stamps both ends.
 */
public final class FanOut {

  private static final String PUBLIC = "mesh.tracker.live";

  public static void main(String[] argv) throws Exception {
    Args args = new Args(argv);
    String target = args.string("target", "bridge");
    URI url = URI.create(args.string("url", "http://127.0.0.1:8080"));
    int clients = args.integer("clients", 1000);
    double publicRate = args.decimal("public-rate", 10);
    double sessionRate = args.decimal("session-rate", 100);
    Duration duration = args.duration("duration", "10s");
    Duration warmup = args.duration("warmup", "3s");
    long serverPid = Long.parseLong(args.string("server-pid", "0"));
    String pad = "x".repeat(args.integer("payload", 100));
    String name = args.string("name", target);

    Vertx vertx;
    Publisher publisher;
    WebSocketClient controlClient = null;
    Map<Integer, String> scopes = new ConcurrentHashMap<>();
    if (target.equals("bridge")) {
      MeshNode node =
          MeshNode.start(MeshConfig.load())
              .toCompletionStage()
              .toCompletableFuture()
              .get(60, TimeUnit.SECONDS);
      vertx = node.vertx();
      EventBus bus = vertx.eventBus();
      // the bridge repeats every page publish here with the page's scope
      bus.<JsonObject>consumer(
              "mesh.session.events",
              m -> {
                JsonObject event = m.body();
                if ("hello".equals(event.getString("topic"))
                    && event.getValue("payload") instanceof JsonObject hello) {
                  scopes.put(hello.getInteger("client"), event.getString("scope"));
                }
              })
          .completion()
          .toCompletionStage()
          .toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
      publisher =
          new Publisher() {
            public void toAll(String body) {
              bus.publish(PUBLIC, new JsonObject(body));
            }

            public void toOne(int client, String body) {
              String scope = scopes.get(client);
              if (scope != null) {
                bus.publish("mesh.session." + scope + ".feed", new JsonObject(body));
              }
            }
          };
    } else {
      vertx = Vertx.vertx();
      controlClient = vertx.createWebSocketClient();
      WebSocket control =
          controlClient
              .connect(url.getPort(), url.getHost(), "/publish")
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
      publisher =
          new Publisher() {
            public void toAll(String body) {
              control.writeTextMessage("p " + body);
            }

            public void toOne(int client, String body) {
              control.writeTextMessage("s " + client + " " + body);
            }
          };
    }

    Histogram publicLatency = Report.micros();
    Histogram sessionLatency = Report.micros();
    AtomicLong measuring = new AtomicLong(Long.MAX_VALUE); // deliveries count from this nanoTime on
    AtomicLong deliveries = new AtomicLong(); // of messages published in the window
    AtomicLong received = new AtomicLong(); // every message received since the window opened
    Receiver receiver =
        (text, now) -> {
          // each message's body holds "t":<nanoTime at publish>,"k":"p" or "s" (escaped in the
          // SockJS frame)
          int at = 0;
          while ((at = text.indexOf("\\\"t\\\":", at)) >= 0) {
            at += 6;
            long t = 0;
            char c;
            while ((c = text.charAt(at)) >= '0' && c <= '9') {
              t = t * 10 + (c - '0');
              at++;
            }
            boolean isPublic = text.startsWith(",\\\"k\\\":\\\"p", at);
            if (now >= measuring.get()) {
              received.incrementAndGet();
            }
            if (t >= measuring.get()) {
              deliveries.incrementAndGet();
              Histogram h = isPublic ? publicLatency : sessionLatency;
              synchronized (h) {
                h.recordValue(Math.max(0, (now - t) / 1000));
              }
            }
          }
        };

    // connect, at most 200 handshakes at a time
    WebSocketClient wsClient =
        vertx.createWebSocketClient(
            new WebSocketClientOptions()
                .setMaxConnections(clients + 16)
                .setConnectTimeout(30_000)
                .setMaxFrameSize(1 << 20));
    AtomicInteger connected = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    AtomicInteger closed = new AtomicInteger();
    Map<Integer, WebSocket> sockets = new ConcurrentHashMap<>();
    long connectStart = System.nanoTime();
    Semaphore inFlight = new Semaphore(200);
    for (int i = 0; i < clients; i++) {
      inFlight.acquire();
      int client = i;
      String path =
          "/eventbus/"
              + (client % 1000)
              + "/"
              + Long.toString(System.nanoTime(), 36)
              + client
              + "/websocket";
      wsClient
          .connect(
              new WebSocketConnectOptions()
                  .setHost(url.getHost())
                  .setPort(url.getPort())
                  .setURI(path))
          .onComplete(
              ar -> {
                inFlight.release();
                if (ar.failed()) {
                  failed.incrementAndGet();
                  return;
                }
                WebSocket ws = ar.result();
                sockets.put(client, ws);
                ws.closeHandler(v -> closed.incrementAndGet());
                ws.handler(
                    buffer -> {
                      long now = System.nanoTime();
                      String text = buffer.toString();
                      if (text.startsWith("o")) {
                        send(ws, "{\"type\":\"register\",\"address\":\"session.feed\"}");
                        send(ws, "{\"type\":\"register\",\"address\":\"" + PUBLIC + "\"}");
                        send(
                            ws,
                            "{\"type\":\"publish\",\"address\":\"session.hello\",\"body\":{\"client\":"
                                + client
                                + "}}");
                        connected.incrementAndGet();
                      } else if (text.startsWith("a")) {
                        receiver.accept(text, now);
                      }
                    });
              });
    }
    long deadline = System.currentTimeMillis() + 120_000;
    while (connected.get() + failed.get() < clients && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
    }
    double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
    if (target.equals("bridge")) {
      while (scopes.size() < connected.get() && System.currentTimeMillis() < deadline) {
        Thread.sleep(50);
      }
    }
    System.out.printf(
        Locale.ROOT,
        "%s: %d clients connected in %.1f s (%d failed)%s%n",
        name,
        connected.get(),
        connectSeconds,
        failed.get(),
        target.equals("bridge") ? ", " + scopes.size() + " scopes known" : "");
    // the bridge closes a socket silent for 10 s: every client pings every 4 s, spread over the
    // period
    int perTick = clients / 40 + 1; // every 100 ms a fortieth of them: each one every 4 s
    AtomicInteger nextPing = new AtomicInteger();
    vertx.setPeriodic(
        100,
        id -> {
          for (int i = 0; i < perTick; i++) {
            WebSocket ws = sockets.get(nextPing.getAndIncrement() % clients);
            if (ws != null && !ws.isClosed()) {
              send(ws, "{\"type\":\"ping\"}");
            }
          }
        });
    Thread.sleep(1000); // the last registrations reach the cluster

    // publish on a 1 ms tick, each message due at start + n / rate
    long start = System.nanoTime();
    long measureFrom = start + warmup.toNanos();
    AtomicLong stopAt = new AtomicLong(Long.MAX_VALUE); // the end of the measured window
    AtomicLong publishedPublic = new AtomicLong();
    AtomicLong publishedSession = new AtomicLong();
    vertx.setPeriodic(
        1,
        id -> {
          long now = System.nanoTime();
          if (now >= stopAt.get()) {
            vertx.cancelTimer(id);
            return;
          }
          long duePublic = (long) ((now - start) * publicRate / 1e9);
          while (publishedPublic.get() < duePublic) {
            long n = publishedPublic.getAndIncrement();
            publisher.toAll(
                "{\"t\":"
                    + System.nanoTime()
                    + ",\"k\":\"p\",\"n\":"
                    + n
                    + ",\"data\":\""
                    + pad
                    + "\"}");
          }
          long dueSession = (long) ((now - start) * sessionRate / 1e9);
          while (publishedSession.get() < dueSession) {
            long n = publishedSession.getAndIncrement();
            publisher.toOne(
                (int) (n % clients),
                "{\"t\":"
                    + System.nanoTime()
                    + ",\"k\":\"s\",\"n\":"
                    + n
                    + ",\"data\":\""
                    + pad
                    + "\"}");
          }
        });
    Thread.sleep(TimeUnit.NANOSECONDS.toMillis(measureFrom - System.nanoTime()));
    measuring.set(System.nanoTime());
    double cpuBefore = serverPid > 0 ? Report.cpuSeconds(serverPid) : 0;
    long sentPublicBefore = publishedPublic.get();
    long sentSessionBefore = publishedSession.get();
    Thread.sleep(duration.toMillis());
    stopAt.set(System.nanoTime()); // nothing is published after the window
    long sentPublic = publishedPublic.get() - sentPublicBefore;
    long sentSession = publishedSession.get() - sentSessionBefore;
    long expected = sentPublic * connected.get() + sentSession;
    // a saturated server (or client) is still working through a backlog: the window lasts until
    // every
    // message published in it has arrived, or nothing arrived for 5 s (lost), and CPU and
    // deliveries
    // are counted over that whole span
    long last = -1;
    double cpuAtProgress = serverPid > 0 ? Report.cpuSeconds(serverPid) : Double.NaN;
    long quietSince = System.nanoTime();
    long giveUp = quietSince + 120_000_000_000L;
    while (deliveries.get() < expected
        && System.nanoTime() - quietSince < 5_000_000_000L
        && System.nanoTime() < giveUp) {
      Thread.sleep(20);
      if (deliveries.get() != last) {
        last = deliveries.get();
        quietSince = System.nanoTime();
        cpuAtProgress = serverPid > 0 ? Report.cpuSeconds(serverPid) : Double.NaN;
      }
    }
    long windowEnd = deliveries.get() < expected ? quietSince : System.nanoTime();
    // when messages were lost, the span ends at the last arrival, not after the quiet wait
    double cpu =
        (deliveries.get() < expected
                ? cpuAtProgress
                : serverPid > 0 ? Report.cpuSeconds(serverPid) : Double.NaN)
            - cpuBefore;
    long delivered = deliveries.get();
    double span = (windowEnd - measuring.get()) / 1e9;
    long all = received.get();
    double seconds = duration.toNanos() / 1e9;
    Histogram latency = publicLatency.copy();
    latency.add(sessionLatency);

    System.out.printf(
        Locale.ROOT,
        "%s: published %d public (x%d clients) + %d session messages in %.1f s: expected %d deliveries, received %d (%.1f%%), the last %.1f s after the window opened; %d sockets closed%n",
        name,
        sentPublic,
        connected.get(),
        sentSession,
        seconds,
        expected,
        delivered,
        100.0 * delivered / Math.max(1, expected),
        span,
        closed.get());
    System.out.printf(
        Locale.ROOT,
        "%s: %d messages received in those %.1f s = %.0f deliveries/s; server CPU %.2f s = %.0f deliveries per CPU-second%n",
        name,
        all,
        span,
        all / span,
        cpu,
        all / cpu);
    System.out.printf(
        Locale.ROOT,
        "%s: latency all p50 %s p99 %s p99.9 %s max %s ms; public p99 %s ms; session p99 %s ms%n",
        name,
        Report.ms(latency, 50),
        Report.ms(latency, 99),
        Report.ms(latency, 99.9),
        Report.maxMs(latency),
        Report.ms(publicLatency, 99),
        Report.ms(sessionLatency, 99));
    // | server | clients | deliveries/s | received % | CPU s | deliveries per CPU-s | p50 | p99 |
    // p99.9 | max |
    System.out.printf(
        Locale.ROOT,
        "ROW | %s | %d | %.0f | %.0f | %.1f%% | %.2f | %.0f | %s | %s | %s | %s |%n",
        name,
        connected.get(),
        expected / seconds,
        all / span,
        100.0 * delivered / Math.max(1, expected),
        cpu,
        all / cpu,
        Report.ms(latency, 50),
        Report.ms(latency, 99),
        Report.ms(latency, 99.9),
        Report.maxMs(latency));
    System.out.flush();
    // vert.x shuts down a WebSocketClient nothing references, its sockets with it: both are held to
    // here
    Reference.reachabilityFence(wsClient);
    Reference.reachabilityFence(controlClient);
    Runtime.getRuntime().halt(0); // no need to say goodbye to 10k sockets or the cluster
  }

  private static void send(WebSocket ws, String message) {
    ws.writeTextMessage(new JsonArray().add(message).encode());
  }

  private interface Publisher {
    void toAll(String body);

    void toOne(int client, String body);
  }

  private interface Receiver {
    void accept(String text, long now);
  }
}
