package dev.mesh.testing;

import dev.mesh.common.MeshConfig;
import dev.mesh.common.MeshNode;
import dev.mesh.common.ServiceMain;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The main of a cluster member in a child JVM, started by {@link ChildMember}. It reads its
 * configuration from the MESH_* environment like a real service, joins the cluster, prints
 * {@code @@mesh READY <node id>}, then runs event-bus requests read from stdin, one JSON line each
 * ({@code {"address": ..., "body": {...}}}), answering {@code @@mesh REPLY <json>} or {@code @@mesh
 * FAIL <code> <message>}. It deploys no verticles and publishes nothing by itself. When stdin
 * closes (the test JVM is gone) it halts, so no member outlives its test.
 */
public final class ChildMemberMain {

  static final String PREFIX = "@@mesh ";

  private ChildMemberMain() {}

  public static void main(String[] args) throws Exception {
    ServiceMain.configureLogging();
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    MeshNode node =
        MeshNode.start(MeshConfig.load())
            .toCompletionStage()
            .toCompletableFuture()
            .get(60, TimeUnit.SECONDS);
    say(out, "READY " + node.nodeId());
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isBlank()) {
        continue;
      }
      JsonObject command = new JsonObject(line);
      node.vertx()
          .eventBus()
          .<Object>request(
              command.getString("address"),
              command.getValue("body"),
              new DeliveryOptions().setSendTimeout(command.getLong("timeoutMillis", 10_000L)))
          .onSuccess(
              reply -> say(out, "REPLY " + new JsonObject().put("body", reply.body()).encode()))
          .onFailure(
              e ->
                  say(
                      out,
                      "FAIL "
                          + (e instanceof ReplyException r ? r.failureCode() : -1)
                          + " "
                          + e.getMessage()));
    }
    Runtime.getRuntime().halt(0);
  }

  private static synchronized void say(PrintStream out, String line) {
    out.println(PREFIX + line);
  }
}
