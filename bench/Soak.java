import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The soak's load (bench/soak.sh starts Mesh and samples its memory): the tracking pixel at a fixed
 * rate through the gateway, and bridge clients on the SockJS WebSocket transport, each listening to
 * the tracker's live feed and a session topic and pinging as the browser's client does. Every 30 s
 * it prints one line: hits sent, errors (non-200 or failed), hits it could not send in time,
 * sockets open, socket closes and errors, live messages received.
 *
 * <p>Usage: java bench/Soak.java PORT RATE SECONDS CLIENTS
 */
public final class Soak {

  static final String UA =
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
  static final AtomicLong sent = new AtomicLong();
  static final AtomicLong errors = new AtomicLong();
  static final AtomicLong late = new AtomicLong();
  static final AtomicLong open = new AtomicLong();
  static final AtomicLong closes = new AtomicLong();
  static final AtomicLong received = new AtomicLong();

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int rate = Integer.parseInt(args[1]);
    int seconds = Integer.parseInt(args[2]);
    int clients = Integer.parseInt(args[3]);
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newFixedThreadPool(2))
            .build();
    // pings start before the sockets open: the bridge closes a socket silent for 10 s, and opening
    // 1 000 takes longer
    List<WebSocket> sockets = new CopyOnWriteArrayList<>();
    ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
    timer.scheduleAtFixedRate(
        () -> sockets.forEach(s -> s.sendText("{\"type\":\"ping\"}", true)),
        5,
        5,
        TimeUnit.SECONDS);
    for (int i = 0; i < clients; i++) {
      sockets.add(
          http.newWebSocketBuilder()
              .buildAsync(
                  URI.create("ws://127.0.0.1:" + port + "/eventbus/websocket"), new Listener())
              .join());
    }
    // at most this many pixel requests in flight: beyond, a hit is counted late instead of queued
    Semaphore inFlight = new Semaphore(512);
    long periodNanos = 1_000_000_000L / rate;
    long start = System.nanoTime();
    long nextReport = start + TimeUnit.SECONDS.toNanos(30);
    System.out.println("second,hits_sent,errors,late,sockets_open,socket_closes,live_messages");
    for (long i = 0; ; i++) {
      long due = start + i * periodNanos;
      long now;
      while ((now = System.nanoTime()) < due) {
        Thread.onSpinWait();
      }
      if (now - start >= TimeUnit.SECONDS.toNanos(seconds)) {
        break;
      }
      if (now >= nextReport) {
        report(start);
        nextReport += TimeUnit.SECONDS.toNanos(30);
      }
      if (!inFlight.tryAcquire()) {
        late.incrementAndGet();
        continue;
      }
      HttpRequest request =
          HttpRequest.newBuilder(
                  URI.create(
                      "http://127.0.0.1:" + port + "/m/s.gif?s=soak.example&p=/page/" + (i % 50)))
              .header("User-Agent", UA)
              .header("X-Forwarded-For", "198.51.100." + (i % 200))
              .timeout(Duration.ofSeconds(10))
              .build();
      sent.incrementAndGet();
      http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
          .whenComplete(
              (response, failure) -> {
                inFlight.release();
                if (failure != null || response.statusCode() != 200) {
                  errors.incrementAndGet();
                }
              });
    }
    report(start);
    int status = errors.get() == 0 && closes.get() == 0 ? 0 : 1;
    sockets.forEach(s -> s.sendClose(WebSocket.NORMAL_CLOSURE, "done"));
    timer.shutdownNow();
    System.exit(status);
  }

  static void report(long start) {
    System.out.printf(
        "%d,%d,%d,%d,%d,%d,%d%n",
        (System.nanoTime() - start) / 1_000_000_000L,
        sent.get(),
        errors.get(),
        late.get(),
        open.get(),
        closes.get(),
        received.get());
  }

  static final class Listener implements WebSocket.Listener {
    @Override
    public void onOpen(WebSocket socket) {
      open.incrementAndGet();
      socket.sendText("{\"type\":\"register\",\"address\":\"mesh.tracker.live\"}", true);
      socket.sendText("{\"type\":\"register\",\"address\":\"session.soak\"}", true);
      socket.request(Long.MAX_VALUE);
    }

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      received.incrementAndGet();
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket socket, java.nio.ByteBuffer data, boolean last) {
      received.incrementAndGet();
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket socket, int status, String reason) {
      open.decrementAndGet();
      closes.incrementAndGet();
      return null;
    }

    @Override
    public void onError(WebSocket socket, Throwable error) {
      open.decrementAndGet();
      closes.incrementAndGet();
    }
  }
}
