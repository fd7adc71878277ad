package dev.mesh.allinone;

import dev.mesh.common.MeshConfig;
import dev.mesh.common.MeshNode;
import dev.mesh.common.ServiceMain;
import dev.mesh.common.Setting;
import dev.mesh.embedded.EmbeddedDatabase;
import dev.mesh.embedded.EmbeddedKafka;
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
 * may join, an embedded PostgreSQL unless {@code MESH_DATABASE_URL} names one and an embedded Kafka
 * broker (KRaft) unless {@code MESH_KAFKA_BOOTSTRAP} names one, both keeping their data under
 * {@code MESH_DATA_DIR}.
 */
public final class MeshAllInOne {

  private static final System.Logger LOG = System.getLogger(MeshAllInOne.class.getName());

  private MeshAllInOne() {}

  public static void main(String[] args) {
    ServiceMain.configureLogging();
    Embedded embedded = new Embedded();
    MeshNode node = null;
    try {
      MeshConfig config = MeshConfig.load();
      Path dataDir = Path.of(config.string(Setting.DATA_DIR));
      // the database, the broker and the cluster start side by side: together they are most of the
      // start-up time
      CompletableFuture<MeshConfig> withDatabase =
          CompletableFuture.supplyAsync(
              () -> {
                if (config.isSet(Setting.DATABASE_URL)) {
                  return config;
                }
                embedded.database = EmbeddedDatabase.start(dataDir);
                return config.with(Setting.DATABASE_URL, embedded.database.url());
              });
      CompletableFuture<MeshConfig> withKafka =
          CompletableFuture.supplyAsync(
              () -> {
                if (config.isSet(Setting.KAFKA_BOOTSTRAP)) {
                  return config;
                }
                embedded.kafka =
                    EmbeddedKafka.start(dataDir, config.port(Setting.KAFKA_EMBEDDED_PORT));
                return config.with(Setting.KAFKA_BOOTSTRAP, embedded.kafka.bootstrapServers());
              });
      node =
          ServiceMain.await(MeshNode.start(config).toCompletionStage(), 60, "the cluster member");
      MeshConfig running =
          ServiceMain.await(withDatabase, 120, "the embedded PostgreSQL")
              .with(
                  Setting.KAFKA_BOOTSTRAP,
                  ServiceMain.await(withKafka, 120, "the embedded Kafka broker")
                      .string(Setting.KAFKA_BOOTSTRAP));
      closeOnShutdown(node, embedded);
      ServiceMain.await(node.deploy(running, services()).toCompletionStage(), 60, "the services");
      long sinceJvmStart =
          System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
      LOG.log(
          System.Logger.Level.INFO,
          "Mesh ready on http://localhost:{0} in {1} ms after JVM start (member {2})",
          String.valueOf(running.port(Setting.GATEWAY_PORT)),
          sinceJvmStart,
          node.nodeId());
    } catch (Exception e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      LOG.log(System.Logger.Level.ERROR, "Mesh failed to start: " + cause.getMessage(), cause);
      stop(node, embedded);
      System.exit(1);
    }
  }

  /** What the all-in-one started besides the cluster member; filled in by the start-up threads. */
  private static final class Embedded {
    volatile EmbeddedDatabase database;
    volatile EmbeddedKafka kafka;
  }

  /** Every service's verticles; the registry first so the others find it at once. */
  public static List<Supplier<? extends Deployable>> services() {
    List<Supplier<? extends Deployable>> verticles = new ArrayList<>();
    verticles.addAll(Registry.verticles());
    verticles.addAll(WidgetHost.verticles());
    verticles.addAll(Tracker.verticles());
    verticles.addAll(Gateway.verticles());
    return verticles;
  }

  private static void closeOnShutdown(MeshNode node, Embedded embedded) {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  ServiceMain.shutdownNote("Mesh stopping");
                  stop(node, embedded);
                  ServiceMain.shutdownNote("Mesh stopped");
                },
                "mesh-shutdown"));
  }

  /** The services first (they let go of their connections), then the broker and the database. */
  private static void stop(MeshNode node, Embedded embedded) {
    if (node != null) {
      try {
        node.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
      } catch (Exception e) {
        ServiceMain.shutdownNote("The cluster member did not stop cleanly: " + e.getMessage());
      }
    }
    if (embedded.kafka != null) {
      try {
        embedded.kafka.close();
      } catch (RuntimeException e) {
        ServiceMain.shutdownNote(
            "The embedded Kafka broker did not stop cleanly: " + e.getMessage());
      }
    }
    if (embedded.database != null) {
      try {
        embedded.database.close();
      } catch (Exception e) {
        ServiceMain.shutdownNote("The embedded PostgreSQL did not stop cleanly: " + e.getMessage());
      }
    }
  }
}
