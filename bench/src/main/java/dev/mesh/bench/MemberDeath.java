package dev.mesh.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * From a cluster member's death to its widgets' expiry in the registry's change feed. Each run
 * starts a widget-host in a child JVM ({@code WidgetHostMain} from the all-in-one jar, joining its
 * cluster with the MESH_CLUSTER_* settings of this process's environment) serving one widget of its
 * own, waits for the widget's {@code registered} change, kills the child with SIGKILL ({@link
 * Process#destroyForcibly()}), and times the {@code expired} change for the widget, as a page sees
 * it: on a bridge socket registered on {@code mesh.registry.changes} through the gateway.
 *
 * <pre>
 * java -cp ... dev.mesh.bench.MemberDeath --gateway http://127.0.0.1:8080 --jar all-in-one/target/mesh.jar [--runs 5] [--work DIR]
 * </pre>
 */
public final class MemberDeath {

  public static void main(String[] argv) {
    try {
      run(argv);
      Runtime.getRuntime().halt(0);
    } catch (Exception e) {
      // halted either way: Vert.x's threads would keep a failed run's JVM, and the script waiting
      // on it, alive
      e.printStackTrace();
      Runtime.getRuntime().halt(1);
    }
  }

  private static void run(String[] argv) throws Exception {
    Args args = new Args(argv);
    URI gateway = URI.create(args.string("gateway", "http://127.0.0.1:8080"));
    String jar = args.string("jar", "all-in-one/target/mesh.jar");
    int runs = args.integer("runs", 5);
    Path work =
        Files.createDirectories(Path.of(args.string("work", System.getProperty("java.io.tmpdir"))));
    Vertx vertx = Vertx.vertx();
    LinkedBlockingQueue<JsonObject> changes = new LinkedBlockingQueue<>();
    // held for the run (closed at its end): vert.x shuts down a client nothing references, its
    // sockets with it
    WebSocketClient changesClient = vertx.createWebSocketClient();
    WebSocket ws =
        changesClient
            .connect(gateway.getPort(), gateway.getHost(), "/eventbus/0/death/websocket")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    ws.handler(
        buffer -> {
          String text = buffer.toString();
          if (text.startsWith("o")) {
            ws.writeTextMessage(
                new JsonArray()
                    .add("{\"type\":\"register\",\"address\":\"mesh.registry.changes\"}")
                    .encode());
          } else if (text.startsWith("a")) {
            long at = System.nanoTime();
            for (Object element : new JsonArray(text.substring(1))) {
              JsonObject message = new JsonObject((String) element);
              if (message.getValue("body") instanceof JsonObject body) {
                changes.add(body.put("receivedNanos", at));
              }
            }
          }
        });
    vertx.setPeriodic(
        4000, id -> ws.writeTextMessage(new JsonArray().add("{\"type\":\"ping\"}").encode()));

    List<Long> millis = new ArrayList<>();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    for (int run = 1; run <= runs; run++) {
      String id = "death-" + ProcessHandle.current().pid() + "-" + run;
      Path widgets = Files.createTempDirectory(work, "mesh-death");
      Path folder = Files.createDirectories(widgets.resolve(id));
      Files.writeString(
          folder.resolve("w.js"),
          "customElements.define('x-" + id + "', class extends HTMLElement {});");
      Files.writeString(
          folder.resolve("manifest.json"),
          "{\"tag\":\"x-"
              + id
              + "\",\"label\":\"Death "
              + run
              + "\",\"module\":\"w.js\",\"version\":\"1.0.0\",\"owner\":\"bench\",\"domain\":\"bench\",\"domainKind\":\"consumer-aligned\"}");
      File log = new File(work.toFile(), id + ".log");
      ProcessBuilder child =
          new ProcessBuilder(java, "-cp", jar, "dev.mesh.widgethost.WidgetHostMain")
              .redirectErrorStream(true)
              .redirectOutput(log);
      Map<String, String> env = child.environment();
      env.put("MESH_WIDGETS_DIR", widgets.toString());
      env.put("MESH_WIDGET_EXAMPLES", "false");
      env.put("MESH_WIDGET_HOST_PORT", "0");
      env.put("MESH_DATA_DIR", work.resolve(id + "-data").toString());
      Process process = child.start();
      try {
        try {
          await(changes, id, "registered", 120);
        } catch (IllegalStateException notRegistered) {
          List<String> lines = Files.readAllLines(log.toPath());
          throw new IllegalStateException(
              notRegistered.getMessage()
                  + "; the widget-host's last lines:\n"
                  + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())),
              notRegistered);
        }
        long killed = System.nanoTime();
        process.destroyForcibly(); // SIGKILL: no goodbye to the cluster, no un-registration
        JsonObject expired = await(changes, id, "expired", 60);
        long ms = (expired.getLong("receivedNanos") - killed) / 1_000_000;
        millis.add(ms);
        System.out.printf(
            Locale.ROOT,
            "run %d: %s expired (%s) %d ms after SIGKILL%n",
            run,
            id,
            expired.getString("reason"),
            ms);
      } finally {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    }
    changesClient.close();
    Collections.sort(millis);
    System.out.printf(
        Locale.ROOT,
        "| member killed (SIGKILL) -> widget expired on a bridge socket | %d | %d ms | %d ms | %d ms |%n",
        millis.size(),
        millis.get(0),
        millis.get((millis.size() - 1) / 2),
        millis.get(millis.size() - 1));
  }

  private static JsonObject await(
      LinkedBlockingQueue<JsonObject> changes, String id, String type, int seconds)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + seconds * 1000L;
    while (System.currentTimeMillis() < deadline) {
      JsonObject change = changes.poll(100, TimeUnit.MILLISECONDS);
      if (change != null
          && id.equals(change.getString("id"))
          && type.equals(change.getString("type"))) {
        return change;
      }
    }
    throw new IllegalStateException(
        "no '" + type + "' change for " + id + " within " + seconds + " s");
  }
}
