package dev.mesh.allinone;

import dev.mesh.common.MeshConfig;
import dev.mesh.common.MeshNode;
import dev.mesh.common.ServiceMain;
import dev.mesh.common.Setting;
import dev.mesh.gateway.Gateway;
import dev.mesh.registry.Registry;
import dev.mesh.tracker.Tracker;
import dev.mesh.widgethost.WidgetHost;
import io.vertx.core.Deployable;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Mesh on a laptop: every service in one JVM, a single Hazelcast member on loopback that other JVMs
 * may join, and an embedded PostgreSQL unless {@code MESH_DATABASE_URL} names one.
 */
public final class MeshAllInOne {

  private static final System.Logger LOG = System.getLogger(MeshAllInOne.class.getName());

  private MeshAllInOne() {
  }

  public static void main(String[] args) {
    ServiceMain.configureLogging();
    EmbeddedDatabase[] database = new EmbeddedDatabase[1];
    MeshNode node = null;
    try {
      MeshConfig config = MeshConfig.load();
      // the database and the cluster start side by side: together they are most of the start-up time
      CompletableFuture<MeshConfig> withDatabase = CompletableFuture.supplyAsync(() -> {
        if (config.isSet(Setting.DATABASE_URL)) {
          return config;
        }
        database[0] = EmbeddedDatabase.start(Path.of(config.string(Setting.DATA_DIR)));
        return config.with(Setting.DATABASE_URL, database[0].url());
      });
      node = ServiceMain.await(MeshNode.start(config).toCompletionStage(), 60, "the cluster member");
      MeshConfig running = ServiceMain.await(withDatabase, 120, "the embedded PostgreSQL");
      closeOnShutdown(node, database);
      ServiceMain.await(node.deploy(running, services()).toCompletionStage(), 60, "the services");
      long sinceJvmStart = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
      LOG.log(System.Logger.Level.INFO, "Mesh ready on http://localhost:{0} in {1} ms after JVM start (member {2})",
        String.valueOf(running.port(Setting.GATEWAY_PORT)), sinceJvmStart, node.nodeId());
    } catch (Exception e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      LOG.log(System.Logger.Level.ERROR, "Mesh failed to start: " + cause.getMessage(), cause);
      stop(node, database[0]);
      System.exit(1);
    }
  }

  /** Every service's verticles; the registry first so the others find it at once. */
  static List<Supplier<? extends Deployable>> services() {
    List<Supplier<? extends Deployable>> verticles = new ArrayList<>();
    verticles.addAll(Registry.verticles());
    verticles.addAll(WidgetHost.verticles());
    verticles.addAll(Tracker.verticles());
    verticles.addAll(Gateway.verticles());
    return verticles;
  }

  private static void closeOnShutdown(MeshNode node, EmbeddedDatabase[] database) {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      ServiceMain.shutdownNote("Mesh stopping");
      stop(node, database[0]);
      ServiceMain.shutdownNote("Mesh stopped");
    }, "mesh-shutdown"));
  }

  private static void stop(MeshNode node, EmbeddedDatabase database) {
    if (node != null) {
      try {
        node.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
      } catch (Exception e) {
        ServiceMain.shutdownNote("The cluster member did not stop cleanly: " + e.getMessage());
      }
    }
    if (database != null) {
      try {
        database.close();
      } catch (Exception e) {
        ServiceMain.shutdownNote("The embedded PostgreSQL did not stop cleanly: " + e.getMessage());
      }
    }
  }
}
