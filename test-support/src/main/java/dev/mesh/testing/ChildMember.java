package dev.mesh.testing;

import dev.mesh.common.MeshConfig;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A cluster member in a JVM of its own ({@link ChildMemberMain}, started as a {@link ChildJvm}),
 * configured through MESH_* environment variables like a deployed service, so that a test can kill
 * it with SIGKILL and watch the cluster notice. Its output (logs included) is copied to the test's
 * output with a {@code [child pid]} prefix.
 */
public final class ChildMember implements AutoCloseable {

  private static final Object END = new Object();

  private final BlockingQueue<Object> protocol = new LinkedBlockingQueue<>();
  private final ChildJvm jvm;
  private final String nodeId;

  private ChildMember(MeshConfig config, Duration startTimeout) {
    this.jvm =
        ChildJvm.of(ChildMemberMain.class)
            .name("child")
            .config(config)
            .onLine(
                line -> {
                  if (line.startsWith(ChildMemberMain.PREFIX)) {
                    protocol.add(line.substring(ChildMemberMain.PREFIX.length()));
                  }
                })
            .onEnd(() -> protocol.add(END))
            .start();
    String ready;
    try {
      ready = next(startTimeout);
    } catch (RuntimeException e) {
      jvm.kill();
      throw e;
    }
    if (!ready.startsWith("READY ")) {
      jvm.kill();
      throw new IllegalStateException("The child member did not start: " + ready);
    }
    this.nodeId = ready.substring("READY ".length()).trim();
  }

  /**
   * Starts a member in a new JVM with the settings of {@code config} and waits until it has joined.
   */
  public static ChildMember start(MeshConfig config) {
    return new ChildMember(config, Duration.ofSeconds(90));
  }

  /** The child's member id in the cluster. */
  public String nodeId() {
    return nodeId;
  }

  public long pid() {
    return jvm.pid();
  }

  public boolean isAlive() {
    return jvm.isAlive();
  }

  /**
   * Sends an event-bus request from the child member and returns the reply body; a failure reply
   * throws {@link Failure} with its code.
   */
  public synchronized Object request(String address, Object body) {
    jvm.println(new JsonObject().put("address", address).put("body", body).encode());
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
    jvm.kill();
  }

  @Override
  public void close() {
    jvm.close();
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
      throw new IllegalStateException(
          "The child member exited (code " + jvm.exitDescription() + ")");
    }
    return (String) line;
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
