package dev.mesh.reliability;

import dev.mesh.common.testing.Poll;
import dev.mesh.common.testing.TestCluster;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * A page's connection to the bridge over SockJS's raw WebSocket transport ({@code
 * /eventbus/websocket}), as a hostile script would open it: any frame, any Origin.
 */
final class BridgeClient {

  static final Duration WAIT = Duration.ofSeconds(15);

  /**
   * Held for as long as the socket: vert.x shuts a WebSocketClient down, with its connections, once
   * nothing references it any more (a Cleaner), so a client dropped after {@code connect} closes
   * the socket at the next GC, even mid-handshake.
   */
  private final WebSocketClient client;

  private final WebSocket socket;
  private final List<JsonObject> received = new CopyOnWriteArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  private final long pinger;
  private final Vertx vertx;

  private BridgeClient(Vertx vertx, WebSocketClient client, WebSocket socket) {
    this.client = client;
    this.socket = socket;
    this.vertx = vertx;
    // the bridge closes a socket that sent no ping for 10 s, as the browser's client sends every 5
    // s
    this.pinger = vertx.setPeriodic(5000, id -> socket.writeTextMessage("{\"type\":\"ping\"}"));
    try {
      socket.handler(
          frame -> {
            try {
              received.add(new JsonObject(frame.toString()));
            } catch (DecodeException e) {
              received.add(new JsonObject().put("raw", frame.toString()));
            }
          });
      socket.closeHandler(v -> closed.set(true));
    } catch (IllegalStateException alreadyClosed) {
      closed.set(true);
    }
  }

  static BridgeClient connect(Vertx vertx, int port, String origin) {
    WebSocketClient client = vertx.createWebSocketClient();
    return new BridgeClient(vertx, client, TestCluster.await(open(client, port, origin)));
  }

  static Future<WebSocket> open(WebSocketClient client, int port, String origin) {
    WebSocketConnectOptions options =
        new WebSocketConnectOptions()
            .setHost("127.0.0.1")
            .setPort(port)
            .setURI("/eventbus/websocket");
    if (origin != null) {
      options.addHeader("Origin", origin);
    }
    return client.connect(options);
  }

  void send(String type, String address, Object body) {
    JsonObject frame = new JsonObject().put("type", type).put("address", address);
    if (body != null) {
      frame.put("body", body);
    }
    sendText(frame.encode());
  }

  /** Sends a text frame; one the server closed the socket for is no failure of the sender. */
  void sendText(String text) {
    sent(socket.writeTextMessage(text));
  }

  /**
   * Sends the text as one WebSocket frame, however long ({@link #sendText} splits it in frames of
   * the client's size).
   */
  void sendFrame(String text) {
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

  /** A round trip through the bridge: everything sent before has been handled once it returns. */
  void sync() {
    String topic = "sync-" + System.nanoTime();
    send("register", "session." + topic, null);
    // the registration reaches the cluster's subscription map a moment later: publish until it is
    // heard
    Poll.until(
        WAIT,
        "the sync round trip",
        () -> {
          send("publish", "session." + topic, new JsonObject());
          return received.stream()
              .anyMatch(m -> ("session." + topic).equals(m.getString("address")));
        });
    send("unregister", "session." + topic, null);
  }

  /**
   * Publishes {@code body} on a session topic this socket registered, again until it comes back
   * (see {@link #sync()}).
   */
  void publishUntilHeard(String topic, JsonObject body, String what) {
    String text = body.encode();
    Poll.until(
        WAIT,
        what,
        () -> {
          send("publish", "session." + topic, body);
          return received.stream()
              .anyMatch(
                  m ->
                      ("session." + topic).equals(m.getString("address"))
                          && m.getValue("body") instanceof JsonObject b
                          && b.encode().equals(text));
        });
  }

  JsonObject await(String what, Predicate<JsonObject> match) {
    List<JsonObject> seen =
        Poll.until(WAIT, what, () -> List.copyOf(received), all -> all.stream().anyMatch(match));
    return seen.stream().filter(match).findFirst().orElseThrow();
  }

  List<JsonObject> received() {
    return List.copyOf(received);
  }

  long errors() {
    return received.stream().filter(m -> "err".equals(m.getString("type"))).count();
  }

  void clear() {
    received.clear();
  }

  boolean closed() {
    return closed.get();
  }

  void close() {
    vertx.cancelTimer(pinger);
    if (!closed.get()) {
      TestCluster.await(socket.close().recover(e -> Future.succeededFuture()));
    }
    TestCluster.await(client.close());
  }
}
