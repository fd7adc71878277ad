package dev.mesh.reliability;

import dev.mesh.common.MeshConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Mesh service's own main in a JVM of its own, configured by MESH_* variables as on Kubernetes,
 * so that a test can SIGKILL it: no shutdown hook runs, nothing is un-published, the member just
 * vanishes. Its output goes to the test's output with a prefix.
 */
final class ServiceProcess implements AutoCloseable {

  private final Process process;

  private ServiceProcess(Class<?> main, MeshConfig config) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx192m",
                    "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1",
                    "-Dhazelcast.phone.home.enabled=false",
                    "-cp",
                    System.getProperty("java.class.path"),
                    main.getName()))
            .redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(key -> key.startsWith("MESH_"));
    config
        .toJson()
        .forEach(
            e -> {
              if (e.getValue() != null) {
                env.put(e.getKey(), String.valueOf(e.getValue()));
              }
            });
    process = builder.start();
    String name = main.getSimpleName();
    Thread pump =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                  System.out.println("[" + name + " " + process.pid() + "] " + line);
                }
              } catch (IOException e) {
                // the process is gone
              }
            },
            "pump-" + name);
    pump.setDaemon(true);
    pump.start();
  }

  static ServiceProcess start(Class<?> main, MeshConfig config) {
    try {
      return new ServiceProcess(main, config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGKILL, and waits until the process is gone. */
  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  boolean alive() {
    return process.isAlive();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }
}
