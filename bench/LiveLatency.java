import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hit-to-widget latency: from a pixel request sent to the gateway until the live message that
 * carries the hit reaches a page's bridge socket (SockJS raw WebSocket, /eventbus/websocket, as the
 * dashboard's SDK uses it), registered on mesh.tracker.live. JDK only, run as a single file:
 *
 * <p>java bench/LiveLatency.java http://127.0.0.1:8080 [HITS] [PIXEL_PATH]
 *
 * <p>Two series of HITS hits each: quiet one hit on a site of its own each time, so each is a
 * site's first hit after a quiet spell: published at once (the pipeline: gateway, collector, Kafka,
 * live consumer, bus, bridge); busy hits on one site at random intervals of 50-400 ms: the feed
 * gathers a site's hits into at most one message per 750 ms, so this is what a widget on a busy
 * site sees.
 */
public final class LiveLatency {

  private static final String BROWSER =
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
  private static final Pattern SITE = Pattern.compile("\"site\":\"([^\"]+)\"");
  private static final Pattern VIEWS = Pattern.compile("\"views\":(\\d+)");
  private static final long TIMEOUT_MS = 10_000;

  /** A live message as received: its site, its views, and when it arrived. */
  private record Live(String site, int views, long at) {}

  public static void main(String[] args) throws Exception {
    URI base = URI.create(args.length > 0 ? args[0] : "http://127.0.0.1:8080");
    int hits = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    String pixel = args.length > 2 ? args[2] : "/m/s.gif";
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    LinkedBlockingQueue<Live> received = new LinkedBlockingQueue<>();
    try (BridgeSocket socket =
        BridgeSocket.open(
            base,
            text -> {
              long at = System.nanoTime();
              Matcher site = SITE.matcher(text);
              Matcher views = VIEWS.matcher(text);
              if (text.contains("\"mesh.tracker.live\"") && site.find() && views.find()) {
                received.add(new Live(site.group(1), Integer.parseInt(views.group(1)), at));
              }
            })) {
      socket.send("{\"type\":\"register\",\"address\":\"mesh.tracker.live\"}");
      String run = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
      // warm-up, not counted: opens the HTTP connection, warms every part up, and waits for the
      // live
      // consumer's first partition assignment (a hit before it is never announced: it starts at the
      // end)
      long warmUntil = System.currentTimeMillis() + 60_000;
      for (int attempt = 0; ; attempt++) {
        String site = "bench-warm" + attempt + "-" + run;
        hit(http, base, pixel, site, "/");
        try {
          await(received, site);
          break;
        } catch (IllegalStateException e) {
          if (System.currentTimeMillis() > warmUntil) {
            throw e;
          }
        }
      }

      List<Long> quiet = new ArrayList<>();
      for (int i = 0; i < hits; i++) {
        String site = "bench-q" + i + "-" + run;
        long sent = System.nanoTime();
        hit(http, base, pixel, site, "/");
        quiet.add((await(received, site).at() - sent) / 1_000_000);
        socket.pingIfDue();
      }
      print("quiet (each hit a site's first)", quiet);

      String busySite = "bench-busy-" + run;
      Random random = new Random(42);
      ArrayDeque<Long> unannounced = new ArrayDeque<>();
      List<Long> busy = Collections.synchronizedList(new ArrayList<>());
      Thread collector =
          new Thread(
              () -> {
                try {
                  while (busy.size() < hits) {
                    Live live = received.poll(TIMEOUT_MS, TimeUnit.MILLISECONDS);
                    if (live == null) {
                      break;
                    }
                    if (!live.site().equals(busySite)) {
                      continue;
                    }
                    synchronized (unannounced) {
                      // a site's hits are announced in the order they were sent (one site: one
                      // partition)
                      for (int n = 0; n < live.views() && !unannounced.isEmpty(); n++) {
                        busy.add((live.at() - unannounced.poll()) / 1_000_000);
                      }
                    }
                  }
                } catch (InterruptedException e) {
                  // stop
                }
              });
      collector.start();
      for (int i = 0; i < hits; i++) {
        synchronized (unannounced) {
          unannounced.add(System.nanoTime());
        }
        hit(http, base, pixel, busySite, "/p" + (i % 7));
        socket.pingIfDue();
        Thread.sleep(50 + random.nextInt(351));
      }
      collector.join(TIMEOUT_MS + 1000);
      print("busy (one site, a hit every 50-400 ms)", busy);
      if (busy.size() < hits || quiet.size() < hits) {
        throw new IllegalStateException("not every hit was announced");
      }
    }
  }

  private static void hit(HttpClient http, URI base, String pixel, String site, String page)
      throws Exception {
    HttpResponse<Void> response =
        http.send(
            HttpRequest.newBuilder(base.resolve(pixel + "?s=" + site + "&p=" + page))
                .header("User-Agent", BROWSER)
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.discarding());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("pixel answered " + response.statusCode());
    }
  }

  private static Live await(LinkedBlockingQueue<Live> received, String site)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + TIMEOUT_MS;
    while (System.currentTimeMillis() < deadline) {
      Live live = received.poll(100, TimeUnit.MILLISECONDS);
      if (live != null && live.site().equals(site)) {
        return live;
      }
    }
    throw new IllegalStateException(
        "no live message for " + site + " within " + TIMEOUT_MS + " ms");
  }

  private static void print(String what, List<Long> millis) {
    List<Long> sorted = new ArrayList<>(millis);
    Collections.sort(sorted);
    int n = sorted.size();
    if (n == 0) {
      System.out.println(what + ": no hit announced");
      return;
    }
    System.out.printf(
        "  %-40s n=%d  median %d ms  p90 %d ms  p99 %d ms  max %d ms%n",
        what,
        n,
        sorted.get((n - 1) / 2),
        sorted.get((int) Math.ceil(n * 0.90) - 1),
        sorted.get((int) Math.ceil(n * 0.99) - 1),
        sorted.get(n - 1));
  }

  /**
   * The bridge's raw WebSocket, spoken by hand (RFC 6455, the little a client needs): the JDK's own
   * client sends Content-Length: 0 with its handshake, which the gateway's bridge answers with a
   * 500.
   */
  private static final class BridgeSocket implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private long lastPing = System.currentTimeMillis();

    private BridgeSocket(Socket socket) throws IOException {
      this.socket = socket;
      this.out = socket.getOutputStream();
    }

    static BridgeSocket open(URI base, Consumer<String> onText) throws IOException {
      Socket socket = new Socket(base.getHost(), base.getPort());
      socket.setTcpNoDelay(true);
      byte[] nonce = new byte[16];
      ThreadLocalRandom.current().nextBytes(nonce);
      String handshake =
          "GET /eventbus/websocket HTTP/1.1\r\nHost: "
              + base.getHost()
              + ":"
              + base.getPort()
              + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
              + Base64.getEncoder().encodeToString(nonce)
              + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
      socket.getOutputStream().write(handshake.getBytes(StandardCharsets.US_ASCII));
      DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
      String status = line(in);
      if (!status.contains(" 101 ")) {
        socket.close();
        throw new IOException("the bridge answered " + status);
      }
      while (!line(in).isEmpty()) {
        // the rest of the answer's headers
      }
      Thread reader = new Thread(() -> read(in, onText), "bridge-reader");
      reader.setDaemon(true);
      reader.start();
      return new BridgeSocket(socket);
    }

    private static String line(DataInputStream in) throws IOException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      int b;
      while ((b = in.read()) != -1 && b != '\n') {
        if (b != '\r') {
          bytes.write(b);
        }
      }
      return bytes.toString(StandardCharsets.US_ASCII);
    }

    private static void read(DataInputStream in, Consumer<String> onText) {
      ByteArrayOutputStream message = new ByteArrayOutputStream();
      try {
        while (true) {
          int first = in.readUnsignedByte();
          int second = in.readUnsignedByte();
          long length = second & 0x7f;
          if (length == 126) {
            length = in.readUnsignedShort();
          } else if (length == 127) {
            length = in.readLong();
          }
          byte[] payload = new byte[(int) length];
          in.readFully(payload);
          int opcode = first & 0x0f;
          if (opcode == 8) {
            return; // closed
          }
          // the bridge sends its JSON in binary frames
          if (opcode == 0 || opcode == 1 || opcode == 2) {
            message.write(payload);
            if ((first & 0x80) != 0) {
              onText.accept(message.toString(StandardCharsets.UTF_8));
              message.reset();
            }
          }
        }
      } catch (IOException e) {
        // the socket closed
      }
    }

    synchronized void send(String text) throws IOException {
      byte[] payload = text.getBytes(StandardCharsets.UTF_8);
      ByteArrayOutputStream frame = new ByteArrayOutputStream();
      frame.write(0x81);
      if (payload.length < 126) {
        frame.write(0x80 | payload.length);
      } else {
        frame.write(0x80 | 126);
        frame.write(payload.length >> 8);
        frame.write(payload.length & 0xff);
      }
      byte[] mask = new byte[4];
      ThreadLocalRandom.current().nextBytes(mask);
      frame.write(mask);
      for (int i = 0; i < payload.length; i++) {
        frame.write(payload[i] ^ mask[i % 4]);
      }
      out.write(frame.toByteArray());
      out.flush();
    }

    /** The bridge closes a socket that stays silent past its ping timeout (10 s). */
    void pingIfDue() throws IOException {
      if (System.currentTimeMillis() - lastPing > 4000) {
        send("{\"type\":\"ping\"}");
        lastPing = System.currentTimeMillis();
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
