package dev.mesh.registry;

import dev.mesh.common.Addresses;
import dev.mesh.common.MeshConfig;
import dev.mesh.common.MeshNode;
import dev.mesh.common.Setting;
import dev.mesh.common.testing.BusRecorder;
import dev.mesh.common.testing.TestCluster;

/**
 * One registry on a test cluster of its own, with an HTTP client and a recorder of its change feed:
 * what a test class starts once before its tests and closes after them.
 */
final class RegistryUnderTest implements AutoCloseable {

  private final TestCluster cluster;
  private final MeshNode node;
  private final RegistryClient client;
  private final BusRecorder changes;

  private RegistryUnderTest(String token, int ttlSeconds) {
    cluster = new TestCluster();
    MeshConfig config = cluster.config().with(Setting.REGISTRY_TTL_SECONDS, ttlSeconds);
    node =
        cluster.start(
            token == null ? config : config.with(Setting.REGISTRY_TOKEN, token),
            Registry.verticles());
    client = RegistryClient.of(node);
    changes = BusRecorder.listen(node.vertx(), Addresses.REGISTRY_CHANGES);
  }

  /**
   * A registry asking for {@code token} (none when null), whose REST registrations live {@code
   * ttlSeconds}.
   */
  static RegistryUnderTest start(String token, int ttlSeconds) {
    return new RegistryUnderTest(token, ttlSeconds);
  }

  MeshNode node() {
    return node;
  }

  RegistryClient client() {
    return client;
  }

  BusRecorder changes() {
    return changes;
  }

  @Override
  public void close() {
    changes.close();
    client.close();
    cluster.close();
  }
}
