package dev.mesh.gateway.bridge;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import io.vertx.ext.web.handler.sockjs.impl.SockJSSocketBase;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A page's socket as the bridge sees it, counting the refusals vert.x's bridge makes on its own. A
 * frame that is no bridge message at all (not JSON, no type, no address, an unknown type) is
 * answered {@code {"type":"err","body":...}} by the bridge before any {@code BridgeEvent}, so the
 * hook never sees it: its answer, on the way out through this socket, is where it can be counted.
 *
 * <p>Relies on vertx-web's impl package (as of 5.0.7): the bridge casts its sockets to {@link
 * SockJSSocketBase} when one goes idle, and the answers are recognised by vert.x's exact text.
 * Should either change, {@code
 * BridgeAttackTest.framesThatAreNoBridgeMessagesAreAnsweredWithAnErrorAndCounted} fails.
 */
final class CountingSocket extends SockJSSocketBase {

  /**
   * The bridge's answers to frames it refuses before any hook, as it encodes them, by reason
   * counted.
   */
  private static final Map<String, String> ANSWERS =
      Map.of(
          answer("invalid_json"), "not-json",
          answer("missing_type"), "no-type",
          answer("missing_address"), "no-address",
          answer("invalid_type"), "unknown-type");

  private static final int LONGEST_ANSWER =
      ANSWERS.keySet().stream().mapToInt(String::length).max().orElseThrow();

  private final SockJSSocket socket;
  private final Consumer<String> refused;

  CountingSocket(Vertx vertx, SockJSSocket socket, Consumer<String> refused) {
    // no event-bus write handler of its own: the page's socket has one if SockJS was asked for it;
    // the same
    // routing context, from which the base answers routingContext(), webSession() and webUser()
    super(
        vertx, socket.routingContext(), new SockJSHandlerOptions().setRegisterWriteHandler(false));
    this.socket = socket;
    this.refused = refused;
  }

  private static String answer(String error) {
    return new JsonObject().put("type", "err").put("body", error).encode();
  }

  @Override
  public Future<Void> write(Buffer data) {
    // every message to the page passes here: only one as short as an answer is read
    if (data.length() <= LONGEST_ANSWER) {
      String reason = ANSWERS.get(data.toString());
      if (reason != null) {
        refused.accept(reason);
      }
    }
    return socket.write(data);
  }

  @Override
  public Future<Void> write(String data) {
    return socket.write(data);
  }

  @Override
  public void closeAfterSessionExpired() {
    if (socket instanceof SockJSSocketBase base) {
      base.closeAfterSessionExpired();
    } else {
      socket.close();
    }
  }

  // ---- everything else is the page's socket's

  @Override
  public SockJSSocket handler(Handler<Buffer> handler) {
    socket.handler(handler);
    return this;
  }

  @Override
  public SockJSSocket exceptionHandler(Handler<Throwable> handler) {
    socket.exceptionHandler(handler);
    return this;
  }

  @Override
  public SockJSSocket endHandler(Handler<Void> handler) {
    socket.endHandler(handler);
    return this;
  }

  @Override
  public SockJSSocket closeHandler(Handler<Void> handler) {
    socket.closeHandler(handler);
    return this;
  }

  @Override
  public SockJSSocket drainHandler(Handler<Void> handler) {
    socket.drainHandler(handler);
    return this;
  }

  @Override
  public SockJSSocket pause() {
    socket.pause();
    return this;
  }

  @Override
  public SockJSSocket resume() {
    socket.resume();
    return this;
  }

  @Override
  public SockJSSocket fetch(long amount) {
    socket.fetch(amount);
    return this;
  }

  @Override
  public SockJSSocket setWriteQueueMaxSize(int maxSize) {
    socket.setWriteQueueMaxSize(maxSize);
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return socket.writeQueueFull();
  }

  @Override
  public String writeHandlerID() {
    return socket.writeHandlerID();
  }

  @Override
  public Future<Void> end() {
    return socket.end();
  }

  @Override
  public void close() {
    socket.close();
  }

  @Override
  public void close(int statusCode, String reason) {
    socket.close(statusCode, reason);
  }

  @Override
  public SocketAddress remoteAddress() {
    return socket.remoteAddress();
  }

  @Override
  public SocketAddress localAddress() {
    return socket.localAddress();
  }

  @Override
  public MultiMap headers() {
    return socket.headers();
  }

  @Override
  public String uri() {
    return socket.uri();
  }
}
