package dev.mesh.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * A page's connection to the gateway's event-bus bridge over SockJS's raw WebSocket transport
 * ({@code /eventbus/websocket}), as the browser's bridge client makes it minus SockJS's framing, or
 * as a hostile script would open it: any frame, any Origin. Every message the bridge sends is kept,
 * in order, for the test to wait for and read.
 */
public final class BridgeClient implements AutoCloseable {

  /** How long the waits of this client take at most. */
  public static final Duration WAIT = Duration.ofSeconds(15);

  /** The bridge's raw WebSocket transport (the gateway's SessionBridge.PATH, then /websocket). */
  public static final String PATH = "/eventbus/websocket";

  /**
   * Held for as long as the socket: vert.x 5 shuts a WebSocketClient down, with its connections,
   * once nothing references it any more (a Cleaner), so a client dropped after {@code connect}
   * closes the socket at the next GC, even mid-handshake (docs/reliability.md, fix 9).
   */
  private final WebSocketClient client;

  private final WebSocket socket;
  private final Vertx vertx;
  private final List<JsonObject> received = new CopyOnWriteArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final long pinger;

  private BridgeClient(Vertx vertx, WebSocketClient client, WebSocket socket) {
    this.vertx = vertx;
    this.client = client;
    this.socket = socket;
    // the bridge closes a socket that sent no ping for 10 s, as the browser's client sends every 5
    // s
    this.pinger = vertx.setPeriodic(5000, id -> socket.writeTextMessage("{\"type\":\"ping\"}"));
    try {
      // the bridge writes binary frames on the raw transport, text in them
      socket.handler(
          frame -> {
            try {
              received.add(new JsonObject(frame.toString()));
            } catch (DecodeException e) {
              received.add(new JsonObject().put("raw", frame.toString()));
            }
          });
      socket.closeHandler(v -> ended());
    } catch (IllegalStateException alreadyClosed) {
      // a refused socket can be closed by the server before the handlers are set
      ended();
    }
  }

  private void ended() {
    closed.set(true);
    vertx.cancelTimer(pinger);
  }

  /** Connects to the bridge of the gateway on {@code port} of loopback, sending no Origin. */
  public static BridgeClient connect(Vertx vertx, int port) {
    return connect(vertx, port, null);
  }

  /** Connects with this Origin header (none when null). */
  public static BridgeClient connect(Vertx vertx, int port, String origin) {
    WebSocketClient client = vertx.createWebSocketClient();
    return new BridgeClient(vertx, client, TestCluster.await(open(client, port, origin)));
  }

  /**
   * Opens a socket to the bridge with a client of the caller's (which the caller must hold as long
   * as the socket, see {@link #client}).
   */
  public static Future<WebSocket> open(WebSocketClient client, int port, String origin) {
    WebSocketConnectOptions options =
        new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(PATH);
    if (origin != null) {
      options.addHeader("Origin", origin);
    }
    return client.connect(options);
  }

  /** A frame of the bridge's protocol: {@code type} (register, publish, send...) to an address. */
  public void send(String type, String address, Object body) {
    JsonObject frame = new JsonObject().put("type", type).put("address", address);
    if (body != null) {
      frame.put("body", body);
    }
    send(frame);
  }

  /** Any frame, as written (reply addresses, headers...). */
  public void send(JsonObject frame) {
    sendText(frame.encode());
  }

  public void register(String address) {
    send("register", address, null);
  }

  public void unregister(String address) {
    send("unregister", address, null);
  }

  public void publish(String address, Object body) {
    send("publish", address, body);
  }

  /** Sends a text frame; one the server closed the socket for is no failure of the sender. */
  public void sendText(String text) {
    sent(socket.writeTextMessage(text));
  }

  /**
   * Sends the text as one WebSocket frame, however long ({@link #sendText} splits it in frames of
   * the client's size).
   */
  public void sendFrame(String text) {
    sent(socket.writeFrame(WebSocketFrame.textFrame(text, true)));
  }

  private void sent(Future<Void> write) {
    TestCluster.await(
        write.recover(
            e ->
                closed.get() || socket.isClosed()
                    ? Future.succeededFuture()
                    : Future.failedFuture(e)));
  }

  /**
   * A round trip through the bridge: everything sent before has been handled once it returns
   * (registrations included).
   */
  public void sync() {
    String topic = "sync-" + System.nanoTime();
    register("session." + topic);
    // the registration reaches the cluster's subscription map a moment later: publish until it is
    // heard
    Poll.until(
        WAIT,
        "the sync round trip",
        () -> {
          publish("session." + topic, new JsonObject());
          return received.stream()
              .anyMatch(m -> ("session." + topic).equals(m.getString("address")));
        });
    unregister("session." + topic);
  }

  /**
   * Publishes {@code body} on a session topic this socket registered, again until it comes back
   * (see {@link #sync()}).
   */
  public void publishUntilHeard(String topic, JsonObject body, String what) {
    String text = body.encode();
    Poll.until(
        WAIT,
        what,
        () -> {
          publish("session." + topic, body);
          return received.stream()
              .anyMatch(
                  m ->
                      ("session." + topic).equals(m.getString("address"))
                          && m.getValue("body") instanceof JsonObject b
                          && b.encode().equals(text));
        });
  }

  /** Waits for the first message received matching {@code match}, possibly one already there. */
  public JsonObject await(String what, Predicate<JsonObject> match) {
    List<JsonObject> seen =
        Poll.until(WAIT, what, () -> List.copyOf(received), all -> all.stream().anyMatch(match));
    return seen.stream().filter(match).findFirst().orElseThrow();
  }

  /** Every message received so far, oldest first. */
  public List<JsonObject> received() {
    return List.copyOf(received);
  }

  /** The bodies of the messages received on {@code address} so far, oldest first. */
  public List<JsonObject> bodies(String address) {
    return received.stream()
        .filter(m -> address.equals(m.getString("address")))
        .map(m -> m.getValue("body"))
        .filter(Objects::nonNull)
        .map(b -> b instanceof JsonObject json ? json : new JsonObject().put("value", b))
        .toList();
  }

  /** How many error frames the bridge sent (a refusal each). */
  public long errors() {
    return received.stream().filter(m -> "err".equals(m.getString("type"))).count();
  }

  /** Forgets what was received so far. */
  public void clear() {
    received.clear();
  }

  /** Whether the socket was closed (by the server, or by {@link #close()}). */
  public boolean closed() {
    return closed.get();
  }

  @Override
  public void close() {
    vertx.cancelTimer(pinger);
    if (!closed.get()) {
      TestCluster.await(socket.close().recover(e -> Future.succeededFuture()));
    }
    TestCluster.await(client.close());
  }
}
