package dev.mesh.testing;

import dev.mesh.common.MeshConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A main class of the test's classpath in a JVM of its own (a Mesh service's main, or {@link
 * ChildMemberMain}), configured by MESH_* environment variables as in a pod, so that a test can
 * SIGKILL it (no shutdown hook runs, nothing is un-published: the member just vanishes), stop it
 * with SIGTERM as Kubernetes does and read its exit code and output. A small heap, the serial GC
 * and C1 only: several of them share 2 cores with the test JVM. The test JVM's logging
 * configuration is passed on, and every line the child writes (standard output and error) is copied
 * to the test's output with a {@code [name pid]} prefix and kept for {@link #lines()}.
 */
public final class ChildJvm implements AutoCloseable {

  private final Process process;
  private final Writer stdin;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Thread pump;

  private ChildJvm(Builder builder) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + builder.heap,
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Dhazelcast.phone.home.enabled=false"));
    String logging = System.getProperty("java.util.logging.config.file");
    if (logging != null) {
      command.add("-Djava.util.logging.config.file=" + logging);
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), builder.main.getName()));
    ProcessBuilder processBuilder = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> env = processBuilder.environment();
    // only what the test sets: never a MESH_* of the developer's shell
    env.keySet().removeIf(key -> key.startsWith("MESH_"));
    env.putAll(builder.env);
    this.process = processBuilder.start();
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    String prefix = "[" + builder.name + " " + process.pid() + "] ";
    Consumer<String> listener = builder.listener;
    Runnable atEnd = builder.atEnd;
    this.pump =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                  System.out.println(prefix + line);
                  lines.add(line);
                  listener.accept(line);
                }
              } catch (IOException e) {
                // the process is gone
              } finally {
                atEnd.run();
              }
            },
            "child-jvm-" + builder.name + "-" + process.pid());
    pump.setDaemon(true);
    pump.start();
  }

  /** A child JVM that will run {@code main}; {@link Builder#start()} starts it. */
  public static Builder of(Class<?> main) {
    return new Builder(main);
  }

  /** Starts {@code main} with the settings of {@code config} as MESH_* variables. */
  public static ChildJvm start(Class<?> main, MeshConfig config) {
    return of(main).config(config).start();
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Lines written so far (standard output and error), oldest first. */
  public List<String> lines() {
    return List.copyOf(lines);
  }

  /** Writes a line to the child's standard input. */
  public synchronized void println(String line) {
    try {
      stdin.write(line + "\n");
      stdin.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("The child JVM " + process.pid() + " is gone", e);
    }
  }

  /** SIGKILL, and waits until the process is gone. */
  public void kill() {
    process.destroyForcibly();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("The child JVM " + process.pid() + " survived SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** SIGTERM, as Kubernetes stops a container: the child's shutdown hooks run. */
  public void terminate() {
    // through the handle: Process.destroy() would also close our end of its output, losing the last
    // lines
    process.toHandle().destroy();
  }

  /** The exit code; fails when the process is still running after {@code timeout}. */
  public int exitCode(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(
            "The child JVM "
                + process.pid()
                + " still runs after "
                + timeout.toSeconds()
                + " s; output: "
                + lines);
      }
      // the pump ends at the end of the output, once it copied the last lines
      pump.join(TimeUnit.SECONDS.toMillis(10));
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("Interrupted", e);
    }
  }

  /** The exit code if it has ended within a few seconds, else a word saying why not. */
  String exitDescription() {
    try {
      return process.waitFor(5, TimeUnit.SECONDS)
          ? String.valueOf(process.exitValue())
          : "still running";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  /** Kills the child if it is still running. */
  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }

  /** What the child runs with; {@link #start()} starts it. */
  public static final class Builder {
    private final Class<?> main;
    private final Map<String, String> env = new LinkedHashMap<>();
    private String name;
    private String heap = "256m";
    private Consumer<String> listener = line -> {};
    private Runnable atEnd = () -> {};

    private Builder(Class<?> main) {
      this.main = main;
      this.name = main.getSimpleName();
    }

    /** The settings of {@code config}, as MESH_* variables. */
    public Builder config(MeshConfig config) {
      config
          .toJson()
          .forEach(
              e -> {
                if (e.getValue() != null) {
                  env.put(e.getKey(), String.valueOf(e.getValue()));
                }
              });
      return this;
    }

    /** Environment variables, e.g. {@code MESH_WIDGET_HOST_MODE=sidecar}. */
    public Builder env(Map<String, String> variables) {
      env.putAll(variables);
      return this;
    }

    /** The maximum heap, as {@code -Xmx} takes it (default 256m). */
    public Builder heap(String size) {
      this.heap = size;
      return this;
    }

    /** The prefix of the child's lines in the test's output (default: the main's simple name). */
    public Builder name(String prefix) {
      this.name = prefix;
      return this;
    }

    /** Called, on the reading thread, with each line the child writes. */
    public Builder onLine(Consumer<String> onLine) {
      this.listener = onLine;
      return this;
    }

    /** Called, on the reading thread, once the child's output has ended. */
    public Builder onEnd(Runnable onEnd) {
      this.atEnd = onEnd;
      return this;
    }

    public ChildJvm start() {
      try {
        return new ChildJvm(this);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
