package dev.mesh.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The reference for the bridge fan-out: the least a Vert.x WebSocket server does to broadcast. It
 * speaks just enough of the bridge's protocol for {@link FanOut}'s clients (SockJS WebSocket URL
 * and framing, the bridge's JSON messages) that they cannot tell it from the gateway: a socket's
 * {@code publish} on {@code session.hello} names its client number, and a publisher connected to
 * {@code /publish} sends {@code p <body>} (to every socket, as the public feed) or {@code s
 * <client> <body>} (to that client's session feed). A public message is encoded once and written to
 * every socket; no permissions, no per-socket hooks.
 *
 * <pre>java -cp ... dev.mesh.bench.RawBroadcast PORT</pre>
 */
public final class RawBroadcast {

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    Vertx vertx = Vertx.vertx();
    Set<ServerWebSocket> sockets = ConcurrentHashMap.newKeySet();
    Map<Integer, ServerWebSocket> sessions = new ConcurrentHashMap<>();
    vertx
        .createHttpServer()
        .webSocketHandler(
            ws -> {
              if (ws.path().equals("/publish")) {
                ws.textMessageHandler(
                    command -> {
                      if (command.charAt(0) == 'p') {
                        String frame = frame("mesh.tracker.live", command.substring(2));
                        sockets.forEach(s -> s.writeTextMessage(frame));
                      } else {
                        int space = command.indexOf(' ', 2);
                        ServerWebSocket target =
                            sessions.get(Integer.parseInt(command.substring(2, space)));
                        if (target != null) {
                          target.writeTextMessage(
                              frame("session.feed", command.substring(space + 1)));
                        }
                      }
                    });
                return;
              }
              sockets.add(ws);
              ws.closeHandler(v -> sockets.remove(ws));
              ws.writeTextMessage("o"); // SockJS's open frame
              ws.textMessageHandler(
                  text -> {
                    // ["{...bridge message...}"]: only the hello matters here
                    for (Object element : new JsonArray(text)) {
                      JsonObject message = new JsonObject((String) element);
                      if ("session.hello".equals(message.getString("address"))) {
                        sessions.put(message.getJsonObject("body").getInteger("client"), ws);
                      }
                    }
                  });
            })
        .listen(port, "127.0.0.1")
        .onSuccess(s -> System.out.println("raw broadcast server on " + port))
        .onFailure(
            e -> {
              e.printStackTrace();
              System.exit(1);
            });
  }

  /** The bridge's "rec" message, as a SockJS array frame: a["{\"type\":\"rec\",...}"]. */
  private static String frame(String address, String body) {
    String message = "{\"type\":\"rec\",\"address\":\"" + address + "\",\"body\":" + body + "}";
    return "a" + new JsonArray().add(message).encode();
  }
}
