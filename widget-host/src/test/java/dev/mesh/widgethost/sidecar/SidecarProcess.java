package dev.mesh.widgethost.sidecar;

import dev.mesh.widgethost.WidgetHostMain;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * {@link WidgetHostMain} in a JVM of its own, configured by MESH_* environment variables as in a
 * pod, so that a test sees its exit code and log lines and can stop it with SIGTERM. Its output is
 * copied to the test's output with a {@code [widget-host]} prefix.
 */
final class SidecarProcess implements AutoCloseable {

  private final Process process;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Thread pump;

  private SidecarProcess(Map<String, String> settings) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1"));
    String logging = System.getProperty("java.util.logging.config.file");
    if (logging != null) {
      command.add("-Djava.util.logging.config.file=" + logging);
    }
    command.addAll(
        List.of("-cp", System.getProperty("java.class.path"), WidgetHostMain.class.getName()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(key -> key.startsWith("MESH_"));
    builder.environment().putAll(settings);
    process = builder.start();
    pump = new Thread(this::pump, "widget-host-output-" + process.pid());
    pump.setDaemon(true);
    pump.start();
  }

  static SidecarProcess start(Map<String, String> settings) {
    try {
      return new SidecarProcess(settings);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Lines written so far (standard output and error). */
  List<String> lines() {
    return List.copyOf(lines);
  }

  /** SIGTERM, as Kubernetes stops a container. */
  void terminate() {
    // through the handle: Process.destroy() would also close our end of its output, losing the last
    // lines
    process.toHandle().destroy();
  }

  /** The exit code; fails when the process is still running after {@code timeout}. */
  int exitCode(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(
            "widget-host still running after " + timeout.toSeconds() + " s; output: " + lines);
      }
      // the pump ends at the end of the output, once it copied the last lines
      pump.join(TimeUnit.SECONDS.toMillis(10));
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("Interrupted", e);
    }
  }

  private void pump() {
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        System.out.println("[widget-host " + process.pid() + "] " + line);
        lines.add(line);
      }
    } catch (IOException e) {
      // the process is gone
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
