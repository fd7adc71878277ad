package dev.mesh.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.common.Addresses;
import dev.mesh.common.MeshNode;
import dev.mesh.common.MeshVerticle;
import dev.mesh.common.Setting;
import dev.mesh.testing.BusRecorder;
import dev.mesh.testing.ChildMember;
import dev.mesh.testing.Closeables;
import dev.mesh.testing.Poll;
import dev.mesh.testing.TestCluster;
import dev.mesh.testing.TestManifests;
import io.vertx.core.json.JsonObject;
import io.vertx.servicediscovery.ServiceDiscovery;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The registry as a cluster: two registry members (A and B) share one registry, and the widgets of
 * a member that leaves, cleanly or killed, are removed by the survivors and reported on the feed.
 */
class RegistryClusterTest {

  private static final int TTL_SECONDS = 3;

  /**
   * Member timeout (3 s in the test cluster), two sweeps, and a margin: the bound a user would
   * accept.
   */
  private static final Duration MEMBER_GONE_BOUND = Duration.ofSeconds(10);

  @RegisterExtension static final TestCluster cluster = new TestCluster();
  private static MeshNode a;
  private static MeshNode b;
  private static RegistryClient clientA;
  private static RegistryClient clientB;
  private static BusRecorder changesOnA;

  @BeforeAll
  static void startTwoRegistries() {
    var config =
        cluster
            .config()
            .with(Setting.REGISTRY_TOKEN, RegistryClient.TOKEN)
            .with(Setting.REGISTRY_TTL_SECONDS, TTL_SECONDS);
    a = cluster.start(config, Registry.verticles());
    b = cluster.start(config, Registry.verticles());
    assertThat(a.members()).contains(a.nodeId(), b.nodeId());
    clientA = RegistryClient.of(a);
    clientB = RegistryClient.of(b);
    assertThat(clientA.port()).isNotEqualTo(clientB.port());
    // whichever registry sweeps or registers, its events must reach the subscriber on A
    changesOnA = BusRecorder.listen(a.vertx(), Addresses.REGISTRY_CHANGES).syncWith(b.vertx());
  }

  @AfterAll
  static void stopCluster() {
    // the cluster goes after the class anyway (an extension)
    Closeables.closeAll(changesOnA, clientA, clientB);
  }

  @Test
  void widgetRegisteredOnOneMemberIsServedByTheOther() {
    String viaRest = TestManifests.id("rest-on-b");
    String viaBus = TestManifests.id("bus-on-b");
    JsonObject restWidget = clientB.register(TestManifests.manifest(viaRest));
    JsonObject busWidget =
        (JsonObject)
            request(b, TestManifests.busRegistration(TestManifests.manifest(viaBus), b.nodeId()));

    assertThat(clientA.widget(viaRest)).isEqualTo(restWidget);
    assertThat(clientA.widget(viaBus)).isEqualTo(busWidget);
    assertThat(clientA.ids()).contains(viaRest, viaBus);
    assertThat(clientA.list()).isEqualTo(clientB.list());
    assertThat(clientA.v1List()).isEqualTo(clientB.v1List());
    assertThat(
            changesOnA
                .await(
                    Duration.ofSeconds(10),
                    "registered " + viaRest,
                    c ->
                        viaRest.equals(c.getString("id"))
                            && "registered".equals(c.getString("type")))
                .getJsonObject("widget"))
        .isEqualTo(restWidget);

    // a refresh on A of a widget registered on B is a refresh, not a second registration
    assertThat(clientA.put(viaRest, TestManifests.manifest(viaRest)).statusCode()).isEqualTo(200);
    assertThat(clientA.delete(viaRest).statusCode()).isEqualTo(204);
    assertThat(clientB.widget(viaRest)).isNull();
    assertThat(clientB.delete(viaBus).statusCode()).isEqualTo(204);
    assertThat(clientA.widget(viaBus)).isNull();
  }

  @Test
  void restRegistrationOnOneMemberLivesByHeartbeatsToAnotherAndExpiresOnce()
      throws InterruptedException {
    String id = TestManifests.id("ttl-across");
    clientB.register(TestManifests.manifest(id));

    AtomicBoolean beating = new AtomicBoolean(true);
    Thread heart =
        new Thread(
            () -> {
              while (beating.get()) {
                assertThat(clientA.heartbeat(id).statusCode()).isEqualTo(200);
                try {
                  Thread.sleep(500);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "heartbeats-to-a");
    heart.start();
    try {
      Thread.sleep(2L * TTL_SECONDS * 1000);
      assertThat(heart.isAlive()).as("every heartbeat to A was answered 200").isTrue();
      assertThat(clientB.widget(id)).as("kept by heartbeats for twice its TTL").isNotNull();
    } finally {
      beating.set(false);
      heart.join();
    }

    Poll.until(
        Duration.ofSeconds(TTL_SECONDS + 7),
        id + " expires on both members",
        () -> clientA.widget(id) == null && clientB.widget(id) == null);
    JsonObject expired =
        changesOnA.await(
            Duration.ofSeconds(5),
            "expired " + id,
            c -> id.equals(c.getString("id")) && "expired".equals(c.getString("type")));
    assertThat(expired.getString("reason")).isEqualTo("ttl");
    Thread.sleep(1500); // both registries sweep every 250 ms: give a duplicate time to show up
    assertThat(
            changesOnA.matching(
                c -> id.equals(c.getString("id")) && "expired".equals(c.getString("type"))))
        .as("two sweeping registries report one expiry")
        .hasSize(1);
  }

  @Test
  void widgetsOfAKilledMemberAreRemoved() {
    String first = TestManifests.id("child-1");
    String second = TestManifests.id("child-2");
    String survivor = TestManifests.id("survivor");
    request(a, TestManifests.busRegistration(TestManifests.manifest(survivor), a.nodeId()));

    try (ChildMember child = ChildMember.start(cluster.config())) {
      Poll.until(
          Duration.ofSeconds(10),
          "A sees the child member",
          () -> a.members().contains(child.nodeId()));
      // as a widget-host does: register its widgets over the bus, naming itself as their member
      JsonObject widget =
          (JsonObject)
              child.request(
                  Addresses.REGISTRY,
                  TestManifests.busRegistration(TestManifests.manifest(first), child.nodeId()));
      child.request(
          Addresses.REGISTRY,
          TestManifests.busRegistration(TestManifests.manifest(second), child.nodeId()));
      assertThat(widget.getString("member")).isEqualTo(child.nodeId());
      assertThat(clientA.ids()).contains(first, second, survivor);
      assertThat(clientA.widget(first).getString("member")).isEqualTo(child.nodeId());

      child.kill(); // SIGKILL: no un-publishing, no goodbye to the cluster
      assertThat(child.isAlive()).isFalse();

      Poll.until(
          MEMBER_GONE_BOUND,
          "the killed member's widgets are removed",
          () -> clientA.widget(first) == null && clientA.widget(second) == null);
      assertThat(a.members()).doesNotContain(child.nodeId());
    }
    for (String id : List.of(first, second)) {
      JsonObject expired =
          changesOnA.await(
              Duration.ofSeconds(5),
              "expired " + id,
              c -> id.equals(c.getString("id")) && "expired".equals(c.getString("type")));
      assertThat(expired.getString("reason")).isEqualTo("member-left");
    }
    assertThat(clientA.ids()).doesNotContain(first, second).contains(survivor);
    assertThat(clientB.ids()).doesNotContain(first, second).contains(survivor);
    clientA.delete(survivor);
  }

  @Test
  void widgetsAndEndpointOfACleanlyStoppedMemberAreRemoved() {
    MeshNode c =
        cluster.start(
            cluster
                .config()
                .with(Setting.REGISTRY_TOKEN, RegistryClient.TOKEN)
                .with(Setting.REGISTRY_TTL_SECONDS, TTL_SECONDS),
            Registry.verticles());
    String leaving = c.nodeId();
    String id = TestManifests.id("leaver");
    request(c, TestManifests.busRegistration(TestManifests.manifest(id), leaving));
    assertThat(clientA.widget(id).getString("member")).isEqualTo(leaving);
    assertThat(registryEndpointMembers()).contains(leaving, a.nodeId(), b.nodeId());

    cluster.stop(c);

    assertThat(registryEndpointMembers())
        .as("a clean stop un-publishes the member's own endpoint")
        .containsExactlyInAnyOrder(a.nodeId(), b.nodeId());
    Poll.until(
        MEMBER_GONE_BOUND,
        "the stopped member's widget is removed",
        () -> clientA.widget(id) == null);
    JsonObject expired =
        changesOnA.await(
            Duration.ofSeconds(5),
            "expired " + id,
            c2 -> id.equals(c2.getString("id")) && "expired".equals(c2.getString("type")));
    assertThat(expired.getString("reason")).isEqualTo("member-left");
    assertThat(expired.getJsonObject("widget").getString("member")).isEqualTo(leaving);
  }

  private static List<String> registryEndpointMembers() {
    ServiceDiscovery discovery = ServiceDiscovery.create(a.vertx());
    try {
      return TestCluster.await(
              discovery.getRecords(r -> RegistryApiVerticle.SERVICE_NAME.equals(r.getName())))
          .stream()
          .map(r -> r.getMetadata().getString(MeshVerticle.MEMBER))
          .toList();
    } finally {
      discovery.close();
    }
  }

  private static Object request(MeshNode from, JsonObject request) {
    return RegistryUnderTest.request(from, request);
  }
}
