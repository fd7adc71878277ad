package dev.mesh.testing;

import dev.mesh.common.MeshConfig;
import dev.mesh.common.MeshNode;
import dev.mesh.common.Setting;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Real Hazelcast members on loopback for one test class: a cluster name and port range of its own,
 * so test runs (and a Mesh running on the same laptop) never join each other. Close it after the
 * class, or let JUnit do it: {@code @RegisterExtension static final TestCluster cluster = new
 * TestCluster();} closes it after the class's {@code @AfterAll} methods.
 */
public final class TestCluster implements AutoCloseable, AfterAllCallback {

  private final MeshConfig base;
  private final List<MeshNode> nodes = new ArrayList<>();

  public TestCluster() {
    // below Linux's ephemeral range (32768+), where free HTTP and event-bus ports are drawn from:
    // a member probing its join range must never reach another kind of server
    int port = 20000 + ThreadLocalRandom.current().nextInt(0, 120) * 100;
    this.base =
        MeshConfig.defaults()
            .with(Setting.CLUSTER_NAME, "mesh-test-" + UUID.randomUUID())
            .with(Setting.CLUSTER_PORT, port)
            .with(Setting.CLUSTER_MEMBERS, "127.0.0.1")
            .with(Setting.CLUSTER_MEMBER_TIMEOUT_SECONDS, 3)
            .with(Setting.BIND_HOST, "127.0.0.1")
            .with(Setting.GATEWAY_PORT, 0)
            .with(Setting.REGISTRY_PORT, 0)
            .with(Setting.TRACKER_PORT, 0)
            .with(Setting.WIDGET_HOST_PORT, 0)
            .with(Setting.REGISTRY_SWEEP_MILLIS, 250);
  }

  /** The configuration every member of this cluster starts from. */
  public MeshConfig config() {
    return base;
  }

  /**
   * The configuration of a widget-host on this cluster serving the widgets of {@code folder} (none
   * when null), and the example widgets or not.
   */
  public MeshConfig widgetHost(Path folder, boolean examples) {
    return base.with(Setting.WIDGETS_DIR, folder == null ? "" : folder.toString())
        .with(Setting.WIDGET_EXAMPLES, examples);
  }

  /** Starts a member with the base configuration. */
  public MeshNode start() {
    return start(base);
  }

  /** Starts a member with a configuration derived from {@link #config()}. */
  public MeshNode start(MeshConfig config) {
    MeshNode node = await(MeshNode.start(config));
    nodes.add(node);
    return node;
  }

  /** Starts a member and deploys verticles on it. */
  public MeshNode start(MeshConfig config, List<Supplier<? extends Deployable>> verticles) {
    MeshNode node = start(config);
    await(node.deploy(verticles));
    return node;
  }

  /** Leaves the cluster cleanly (verticles undeployed, records un-published). */
  public void stop(MeshNode node) {
    nodes.remove(node);
    await(node.close());
  }

  public static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e.getCause() != null ? e.getCause() : e);
    }
  }

  @Override
  public void close() {
    for (MeshNode node : List.copyOf(nodes)) {
      try {
        await(node.close());
      } catch (RuntimeException ignored) {
        // already gone (a test killed it)
      }
    }
    nodes.clear();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }
}
