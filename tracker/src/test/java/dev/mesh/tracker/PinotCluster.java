package dev.mesh.tracker;

import dev.mesh.testing.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Apache Pinot 0.11 from Maven Central jars, in child JVMs with Pinot's own classpath (its
 * Jackson, Netty, Helix and kafka-clients 2.8 cannot share one with Vert.x 5): ZooKeeper in one,
 * and controller, broker and server in another ({@code PinotAdministrator StartServiceManager}),
 * every one of them registered at 127.0.0.1 on free ports. The classpath is the file the tracker's
 * {@code pinot} profile writes ({@code target/pinot.classpath}, system property {@value
 * #CLASSPATH}). Logs go to {@code zookeeper.log} and {@code pinot.log} in the folder given; their
 * tails are shown when Pinot does not come up.
 */
final class PinotCluster implements AutoCloseable {

  static final String CLASSPATH = "mesh.pinot.classpath";

  /**
   * Java 17 closes what Pinot 0.11 (built for 11) reaches into: direct buffers, unsafe, reflection.
   */
  private static final List<String> OPENS =
      List.of(
          "java.lang",
          "java.lang.reflect",
          "java.nio",
          "java.util",
          "java.util.concurrent",
          "sun.nio.ch",
          "jdk.internal.misc",
          "jdk.internal.ref");

  private static final String CLUSTER = "mesh";

  private final Path folder;
  private final String classpath;
  private final int zookeeperPort = Ports.free();
  private final int controllerPort = Ports.free();
  private final int brokerPort = Ports.free();
  private final int serverPort = Ports.free();
  private final int serverAdminPort = Ports.free();
  private final int serverGrpcPort = Ports.free();
  private Process zookeeper;
  private Process pinot;

  private PinotCluster(Path folder, String classpath) {
    // the children run in this folder: every path they are given is absolute
    this.folder = folder.toAbsolutePath();
    this.classpath = classpath;
  }

  /** Starts the processes without waiting for them ({@link #awaitUp(Duration)} does). */
  static PinotCluster launch(Path folder) {
    String file = System.getProperty(CLASSPATH);
    if (file == null || !Files.isRegularFile(Path.of(file))) {
      throw new IllegalStateException(
          "No Pinot classpath (system property "
              + CLASSPATH
              + " = "
              + file
              + "): run with the tracker's pinot profile, mvn -B verify -Ppinot -pl tracker -am");
    }
    try {
      // a fresh cluster every time: ZooKeeper keeps the last run's tables under this folder
      delete(folder);
      Files.createDirectories(folder);
      PinotCluster cluster = new PinotCluster(folder, Files.readString(Path.of(file)).strip());
      cluster.start();
      return cluster;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String controllerUrl() {
    return "http://127.0.0.1:" + controllerPort;
  }

  String brokerUrl() {
    return "http://127.0.0.1:" + brokerPort;
  }

  private void start() throws IOException {
    Files.writeString(
        folder.resolve("log4j2.xml"),
        """
      <Configuration status="WARN">
        <Appenders><Console name="out" target="SYSTEM_OUT"><PatternLayout pattern="%d{HH:mm:ss.SSS} %-5p [%c{1}] [%t] %m%n"/></Console></Appenders>
        <Loggers><Root level="warn"><AppenderRef ref="out"/></Root>
          <Logger name="org.apache.pinot" level="info"/></Loggers>
      </Configuration>
      """);
    String zk = "127.0.0.1:" + zookeeperPort;
    Path controller =
        conf(
            "controller.conf",
            "pinot.service.role=CONTROLLER",
            "controller.zk.str=" + zk,
            "controller.helix.cluster.name=" + CLUSTER,
            "controller.host=127.0.0.1",
            "controller.port=" + controllerPort,
            "controller.vip.host=127.0.0.1",
            "controller.vip.port=" + controllerPort,
            "controller.data.dir=" + folder.resolve("controller-data"),
            "controller.local.temp.dir=" + folder.resolve("controller-tmp"));
    Path broker =
        conf(
            "broker.conf",
            "pinot.service.role=BROKER",
            "pinot.cluster.name=" + CLUSTER,
            "pinot.zk.server=" + zk,
            "pinot.broker.hostname=127.0.0.1",
            "pinot.broker.client.queryPort=" + brokerPort);
    Path server =
        conf(
            "server.conf",
            "pinot.service.role=SERVER",
            "pinot.cluster.name=" + CLUSTER,
            "pinot.zk.server=" + zk,
            "pinot.server.netty.host=127.0.0.1",
            "pinot.server.netty.port=" + serverPort,
            "pinot.server.adminapi.port=" + serverAdminPort,
            "pinot.server.grpc.port=" + serverGrpcPort,
            "pinot.server.instance.dataDir=" + folder.resolve("server-data"),
            "pinot.server.instance.segmentTarDir=" + folder.resolve("server-segments"));
    zookeeper =
        java(
            "zookeeper.log",
            "128m",
            "StartZookeeper",
            "-zkPort",
            String.valueOf(zookeeperPort),
            "-dataDir",
            folder.resolve("zookeeper").toString());
    pinot =
        java(
            "pinot.log",
            "1g",
            "StartServiceManager",
            "-zkAddress",
            zk,
            "-clusterName",
            CLUSTER,
            "-port",
            "-1",
            "-bootstrapConfigPaths",
            controller.toString(),
            broker.toString(),
            server.toString());
  }

  private Path conf(String name, String... lines) throws IOException {
    return Files.writeString(folder.resolve(name), String.join("\n", lines) + "\n");
  }

  private Process java(String log, String heap, String... command) throws IOException {
    List<String> line =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap,
                "-Dlog4j2.configurationFile=" + folder.resolve("log4j2.xml")));
    OPENS.forEach(p -> line.add("--add-opens=java.base/" + p + "=ALL-UNNAMED"));
    line.addAll(List.of("-cp", classpath, "org.apache.pinot.tools.admin.PinotAdministrator"));
    line.addAll(List.of(command));
    return new ProcessBuilder(line)
        .directory(folder.toFile())
        .redirectErrorStream(true)
        .redirectOutput(folder.resolve(log).toFile())
        .start();
  }

  /** Waits until the controller, the broker and the server answer their health checks. */
  void awaitUp(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> urls =
        List.of(
            controllerUrl() + "/health",
            brokerUrl() + "/health",
            "http://127.0.0.1:" + serverAdminPort + "/health");
    for (String url : urls) {
      while (!healthy(url)) {
        if (!zookeeper.isAlive() || !pinot.isAlive() || System.nanoTime() > deadline) {
          throw new AssertionError(
              url
                  + " did not answer (waited at most "
                  + timeout.toSeconds()
                  + " s; ZooKeeper "
                  + (zookeeper.isAlive() ? "running" : "exited")
                  + ", Pinot "
                  + (pinot.isAlive() ? "running" : "exited")
                  + ")\n"
                  + tail("zookeeper.log", 20)
                  + tail("pinot.log", 60));
        }
        pause();
      }
    }
  }

  private static boolean healthy(String url) {
    try {
      HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
      connection.setConnectTimeout(1000);
      connection.setReadTimeout(2000);
      try {
        return connection.getResponseCode() == 200;
      } finally {
        connection.disconnect();
      }
    } catch (IOException e) {
      return false;
    }
  }

  private static void pause() {
    try {
      Thread.sleep(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The last lines of one of the child's logs, for a failure message. */
  String tail(String log, int lines) {
    try {
      List<String> all = Files.readAllLines(folder.resolve(log), StandardCharsets.UTF_8);
      return "---- last lines of "
          + folder.resolve(log)
          + " ----\n"
          + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()))
          + "\n";
    } catch (IOException e) {
      return "(" + log + " unreadable: " + e.getMessage() + ")\n";
    }
  }

  /**
   * Stops controller, broker and server (ZooKeeper stays): afterwards nothing answers on their
   * ports.
   */
  void stopPinot() {
    stop(pinot);
  }

  @Override
  public void close() {
    stop(pinot);
    stop(zookeeper);
  }

  private static void stop(Process process) {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void delete(Path folder) throws IOException {
    if (!Files.exists(folder)) {
      return;
    }
    try (var paths = Files.walk(folder)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
