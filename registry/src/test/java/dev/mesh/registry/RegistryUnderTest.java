package dev.mesh.registry;

import dev.mesh.common.Addresses;
import dev.mesh.common.MeshConfig;
import dev.mesh.common.MeshNode;
import dev.mesh.common.Setting;
import dev.mesh.testing.BusRecorder;
import dev.mesh.testing.Closeables;
import dev.mesh.testing.TestCluster;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One registry on a test cluster of its own, with an HTTP client and a recorder of its change feed,
 * for one test class: {@code @RegisterExtension static final RegistryUnderTest registry =
 * RegistryUnderTest.of(token, ttl);} starts it before the class's {@code @BeforeAll} methods and
 * closes it after the class.
 */
final class RegistryUnderTest implements BeforeAllCallback, AfterAllCallback {

  private final String token;
  private final int ttlSeconds;
  private TestCluster cluster;
  private MeshNode node;
  private RegistryClient client;
  private BusRecorder changes;

  private RegistryUnderTest(String token, int ttlSeconds) {
    this.token = token;
    this.ttlSeconds = ttlSeconds;
  }

  /**
   * A registry asking for {@code token} (none when null), whose REST registrations live {@code
   * ttlSeconds}.
   */
  static RegistryUnderTest of(String token, int ttlSeconds) {
    return new RegistryUnderTest(token, ttlSeconds);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    cluster = new TestCluster();
    MeshConfig config = cluster.config().with(Setting.REGISTRY_TTL_SECONDS, ttlSeconds);
    node =
        cluster.start(
            token == null ? config : config.with(Setting.REGISTRY_TOKEN, token),
            Registry.verticles());
    client = RegistryClient.of(node);
    changes = BusRecorder.listen(node.vertx(), Addresses.REGISTRY_CHANGES);
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

  /** A request of the registry's event-bus API from this registry's member; the reply's body. */
  Object request(JsonObject request) {
    return request(node, request);
  }

  /** A request of the registry's event-bus API sent from {@code from}; the reply's body. */
  static Object request(MeshNode from, JsonObject request) {
    return TestCluster.await(
            from.vertx()
                .eventBus()
                .request(Addresses.REGISTRY, request, new DeliveryOptions().setSendTimeout(10_000)))
        .body();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    Closeables.closeAll(changes, client, cluster);
  }
}
