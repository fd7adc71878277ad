package dev.mesh.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka broker in KRaft mode (broker and controller in one server), in this JVM.
 * Its log and metadata live under {@code <folder>/kafka}: the first start formats the folder with a
 * new cluster id, later starts open it again, so a restart loses nothing.
 *
 * <p>The broker is the one of {@code org.apache.kafka:kafka_2.13}, sharing the JVM's kafka-clients
 * with vertx-kafka-client (the parent pom pins both to one version).
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(EmbeddedKafka.class.getName());
  private static final int NODE_ID = 1;

  private final Path folder;
  private final int port;
  private final int controllerPort;
  private final Map<String, String> overrides;
  private KafkaRaftServer server;

  private EmbeddedKafka(Path folder, int port, int controllerPort, Map<String, String> overrides) {
    this.folder = folder;
    this.port = port;
    this.controllerPort = controllerPort;
    this.overrides = Map.copyOf(overrides);
  }

  /**
   * Starts a broker keeping its data under {@code dataDir/kafka}, listening on {@code port} (0: any
   * free port).
   */
  public static EmbeddedKafka start(Path dataDir, int port) {
    return start(dataDir, port, Map.of());
  }

  /**
   * Like {@link #start(Path, int)}, with broker settings replaced or added (tests make segments
   * small and time-outs short).
   */
  public static EmbeddedKafka start(Path dataDir, int port, Map<String, String> overrides) {
    EmbeddedKafka kafka = create(dataDir, port, overrides);
    kafka.restart();
    return kafka;
  }

  /**
   * A broker that is not running yet: its address is known ({@link #bootstrapServers()}) before it
   * starts, so clients can be pointed at a broker that comes up later.
   */
  public static EmbeddedKafka create(Path dataDir, int port, Map<String, String> overrides) {
    int chosen = port == 0 ? freePort() : port;
    // the controller's port is any free one but the broker's (which may be free only because it is
    // not bound yet)
    int controller = freePort();
    while (controller == chosen) {
      controller = freePort();
    }
    return new EmbeddedKafka(dataDir.resolve("kafka"), chosen, controller, overrides);
  }

  /**
   * Starts the broker again after {@link #stop()} (or for the first time), on the same port and
   * data.
   */
  public synchronized EmbeddedKafka restart() {
    if (server != null) {
      return this;
    }
    try {
      Files.createDirectories(folder);
      formatOnce();
      KafkaRaftServer started = new KafkaRaftServer(new KafkaConfig(config(), false), Time.SYSTEM);
      started.startup();
      server = started;
      LOG.log(
          System.Logger.Level.INFO,
          "Kafka broker (KRaft) listening on {0}, data in {1}",
          bootstrapServers(),
          folder);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot prepare the Kafka data folder " + folder + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "Cannot start the embedded Kafka broker on port " + port + ": " + e.getMessage(), e);
    }
  }

  /** {@code host:port} for clients. */
  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public synchronized boolean running() {
    return server != null;
  }

  /** Stops the broker cleanly (its log is flushed); {@link #restart()} brings it back. */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    try {
      server.shutdown();
      server.awaitShutdown();
    } finally {
      server = null;
    }
  }

  @Override
  public void close() {
    stop();
  }

  private Map<String, String> config() {
    Map<String, String> config = new HashMap<>();
    config.put("process.roles", "broker,controller");
    config.put("node.id", String.valueOf(NODE_ID));
    config.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
    config.put(
        "listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    config.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    config.put("controller.listener.names", "CONTROLLER");
    config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    config.put("inter.broker.listener.name", "PLAINTEXT");
    config.put("log.dirs", folder.resolve("log").toString());
    config.put("metadata.log.dir", folder.resolve("meta").toString());
    // one node: every internal topic has one replica
    config.put("offsets.topic.replication.factor", "1");
    config.put("offsets.topic.num.partitions", "1");
    config.put("transaction.state.log.replication.factor", "1");
    config.put("transaction.state.log.min.isr", "1");
    config.put("min.insync.replicas", "1");
    config.put("default.replication.factor", "1");
    // a consumer group forms at once, instead of waiting 3 s for more members that never come
    config.put("group.initial.rebalance.delay.ms", "0");
    // topics are created by their owners, with the settings they need (the tracker's keeps every
    // hit)
    config.put("auto.create.topics.enable", "false");
    config.put("num.network.threads", "2");
    config.put("num.io.threads", "2");
    config.put("background.threads", "2");
    config.put("log.cleaner.threads", "1");
    config.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
    config.putAll(overrides);
    return config;
  }

  /**
   * What {@code kafka-storage.sh format} does for one node: both folders get a {@code
   * meta.properties} naming the cluster and the node. A folder already formatted keeps its cluster
   * id.
   */
  private void formatOnce() throws IOException {
    Path log = folder.resolve("log");
    Path meta = folder.resolve("meta");
    String clusterId =
        readClusterId(meta)
            .orElseGet(() -> readClusterId(log).orElse(Uuid.randomUuid().toString()));
    for (Path dir : new Path[] {log, meta}) {
      Files.createDirectories(dir);
      Path file = dir.resolve("meta.properties");
      if (Files.exists(file)) {
        continue;
      }
      Properties properties = new Properties();
      properties.setProperty("version", "1");
      properties.setProperty("cluster.id", clusterId);
      properties.setProperty("node.id", String.valueOf(NODE_ID));
      properties.setProperty("directory.id", Uuid.randomUuid().toString());
      try (OutputStream out = Files.newOutputStream(file)) {
        properties.store(out, "written by Mesh's EmbeddedKafka");
      }
    }
  }

  private static java.util.Optional<String> readClusterId(Path dir) {
    Path file = dir.resolve("meta.properties");
    if (!Files.exists(file)) {
      return java.util.Optional.empty();
    }
    try (InputStream in = Files.newInputStream(file)) {
      Properties properties = new Properties();
      properties.load(in);
      return java.util.Optional.ofNullable(properties.getProperty("cluster.id"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress("127.0.0.1", 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
