package dev.mesh.common.testing;

import dev.mesh.common.MeshConfig;
import io.vertx.core.json.JsonObject;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A cluster member in a JVM of its own ({@link ChildMemberMain}), configured through MESH_*
 * environment variables like a deployed service, so that a test can kill it with SIGKILL and watch
 * the cluster notice. Its output (logs included) is copied to the test's output with a {@code
 * [child]} prefix.
 */
public final class ChildMember implements AutoCloseable {

  private static final Object END = new Object();

  private final Process process;
  private final Writer stdin;
  private final BlockingQueue<Object> protocol = new LinkedBlockingQueue<>();
  private final String nodeId;

  private ChildMember(MeshConfig config, Duration startTimeout) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Dhazelcast.phone.home.enabled=false"));
    String logging = System.getProperty("java.util.logging.config.file");
    if (logging != null) {
      command.add("-Djava.util.logging.config.file=" + logging);
    }
    command.addAll(
        List.of("-cp", System.getProperty("java.class.path"), ChildMemberMain.class.getName()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
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
    this.process = builder.start();
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread pump = new Thread(this::pump, "child-member-" + process.pid());
    pump.setDaemon(true);
    pump.start();
    String ready;
    try {
      ready = next(startTimeout);
    } catch (RuntimeException e) {
      process.destroyForcibly();
      throw e;
    }
    if (!ready.startsWith("READY ")) {
      process.destroyForcibly();
      throw new IllegalStateException("The child member did not start: " + ready);
    }
    this.nodeId = ready.substring("READY ".length()).trim();
  }

  /**
   * Starts a member in a new JVM with the settings of {@code config} and waits until it has joined.
   */
  public static ChildMember start(MeshConfig config) {
    try {
      return new ChildMember(config, Duration.ofSeconds(90));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The child's member id in the cluster. */
  public String nodeId() {
    return nodeId;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Sends an event-bus request from the child member and returns the reply body; a failure reply
   * throws {@link Failure} with its code.
   */
  public synchronized Object request(String address, Object body) {
    try {
      stdin.write(new JsonObject().put("address", address).put("body", body).encode() + "\n");
      stdin.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("The child member is gone", e);
    }
    String answer = next(Duration.ofSeconds(30));
    if (answer.startsWith("REPLY ")) {
      return new JsonObject(answer.substring("REPLY ".length())).getValue("body");
    }
    if (answer.startsWith("FAIL ")) {
      String[] parts = answer.substring("FAIL ".length()).split(" ", 2);
      throw new Failure(Integer.parseInt(parts[0]), parts.length > 1 ? parts[1] : "");
    }
    throw new IllegalStateException("Unexpected answer of the child member: " + answer);
  }

  /** SIGKILL: the member vanishes without leaving the cluster or un-publishing anything. */
  public void kill() {
    process.destroyForcibly();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("The child member " + process.pid() + " survived SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }

  private String next(Duration timeout) {
    Object line;
    try {
      line = protocol.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted", e);
    }
    if (line == null) {
      throw new IllegalStateException(
          "The child member did not answer within " + timeout.toSeconds() + " s");
    }
    if (line == END) {
      protocol.add(END);
      throw new IllegalStateException("The child member exited (code " + exitCode() + ")");
    }
    return (String) line;
  }

  private String exitCode() {
    try {
      return process.waitFor(5, TimeUnit.SECONDS)
          ? String.valueOf(process.exitValue())
          : "still running";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  private void pump() {
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        System.out.println("[child " + process.pid() + "] " + line);
        if (line.startsWith(ChildMemberMain.PREFIX)) {
          protocol.add(line.substring(ChildMemberMain.PREFIX.length()));
        }
      }
    } catch (IOException e) {
      // the process is gone
    } finally {
      protocol.add(END);
    }
  }

  /** A failure reply to a request sent by the child. */
  public static final class Failure extends RuntimeException {
    private final int code;

    Failure(int code, String message) {
      super(code + " " + message);
      this.code = code;
    }

    public int code() {
      return code;
    }
  }
}
