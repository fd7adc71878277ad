package dev.mesh.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mesh.common.Addresses;
import dev.mesh.testing.Poll;
import dev.mesh.testing.TestCluster;
import dev.mesh.testing.TestManifests;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The registry's request/reply API on {@code mesh.registry}, as a cluster member (e.g. a
 * widget-host) uses it, and its agreement with the REST view of the same registry.
 */
class RegistryBusApiTest {

  @RegisterExtension
  static final RegistryUnderTest registry = RegistryUnderTest.of(RegistryClient.TOKEN, 120);

  @Test
  void registerAnswersTheWidgetItServesOverRestToo() {
    String id = TestManifests.id("bus");
    JsonObject manifest = TestManifests.manifest(id);

    JsonObject widget =
        (JsonObject) request(TestManifests.busRegistration(manifest, registry.node().nodeId()));

    assertThat(widget.getString("id")).isEqualTo(id);
    assertThat(widget.getJsonObject("manifest")).isEqualTo(manifest);
    assertThat(widget.getString("source")).isEqualTo("member");
    assertThat(widget.getString("member")).isEqualTo(registry.node().nodeId());
    assertThat(widget.getValue("expiresAt"))
        .as("a member's widget lives as long as the member")
        .isNull();
    assertThat(registry.client().widget(id)).isEqualTo(widget);
    assertThat(registry.client().get("/api/v1/registry/" + id).statusCode()).isEqualTo(200);
  }

  @Test
  void getListHeartbeatAndDeregister() {
    String id = TestManifests.id("lifecycle");
    JsonObject registered =
        (JsonObject)
            request(
                TestManifests.busRegistration(
                    TestManifests.manifest(id), registry.node().nodeId()));

    assertThat(request(new JsonObject().put("action", "get").put("id", id))).isEqualTo(registered);
    JsonObject list = (JsonObject) request(new JsonObject().put("action", "list"));
    assertThat(list.getJsonArray("widgets")).contains(registered);
    assertThat(list.getJsonArray("widgets").size())
        .isEqualTo(registry.client().list().getInteger("count"));
    JsonObject beat =
        (JsonObject) request(new JsonObject().put("action", "heartbeat").put("id", id));
    assertThat(beat.getString("id")).isEqualTo(id);
    assertThat(beat.getValue("expiresAt")).isNull();

    assertThat(request(new JsonObject().put("action", "deregister").put("id", id)))
        .isEqualTo(new JsonObject().put("removed", true));
    assertThat(registry.client().widget(id)).isNull();
    assertThat(request(new JsonObject().put("action", "deregister").put("id", id)))
        .isEqualTo(new JsonObject().put("removed", false));
  }

  @Test
  void unknownWidgetsFailWith404() {
    String id = TestManifests.id("unknown");
    assertThat(failure(new JsonObject().put("action", "get").put("id", id)).failureCode())
        .isEqualTo(404);
    ReplyException heartbeat = failure(new JsonObject().put("action", "heartbeat").put("id", id));
    assertThat(heartbeat.failureCode()).isEqualTo(404);
    assertThat(heartbeat.getMessage()).contains(id);
  }

  @Test
  void unknownOrMissingActionFailsWith400() {
    ReplyException unknown = failure(new JsonObject().put("action", "publish"));
    assertThat(unknown.failureCode()).isEqualTo(400);
    assertThat(unknown.getMessage())
        .contains("publish", "register", "heartbeat", "deregister", "get", "list");
    assertThat(failure(new JsonObject()).failureCode()).isEqualTo(400);
  }

  @Test
  void invalidOrMissingManifestFailsWith400AndStoresNothing() {
    String id = TestManifests.id("invalid");
    int before = registry.client().list().getInteger("count");

    ReplyException invalid =
        failure(
            TestManifests.busRegistration(
                TestManifests.manifest(id).put("domainKind", "mesh-aligned"),
                registry.node().nodeId()));
    assertThat(invalid.failureCode()).isEqualTo(400);
    assertThat(invalid.getMessage()).contains("/domainKind");

    ReplyException script =
        failure(
            TestManifests.busRegistration(
                TestManifests.manifest(id).put("module", "javascript:alert(1)"),
                registry.node().nodeId()));
    assertThat(script.failureCode()).isEqualTo(400);
    assertThat(script.getMessage()).contains("/module");

    ReplyException noMember =
        failure(
            new JsonObject().put("action", "register").put("manifest", TestManifests.manifest(id)));
    assertThat(noMember.failureCode()).as("a registration nobody would ever expire").isEqualTo(400);
    assertThat(noMember.getMessage()).contains("member");
    ReplyException missing =
        failure(new JsonObject().put("action", "register").put("member", registry.node().nodeId()));
    assertThat(missing.failureCode()).isEqualTo(400);
    assertThat(missing.getMessage()).contains("manifest");

    assertThat(registry.client().widget(id)).isNull();
    assertThat(registry.client().list().getInteger("count")).isEqualTo(before);
  }

  @Test
  void registrationWithATtlExpiresUnlessHeartbeated() {
    String id = TestManifests.id("bus-ttl");
    JsonObject widget =
        (JsonObject)
            request(
                TestManifests.busRegistration(TestManifests.manifest(id), registry.node().nodeId())
                    .put("ttlSeconds", 2));
    assertThat(
            Duration.between(
                Instant.parse(widget.getString("lastUpdated")),
                Instant.parse(widget.getString("expiresAt"))))
        .isEqualTo(Duration.ofSeconds(2));

    // heartbeats over the bus keep it for twice its TTL
    long keepUntil = System.currentTimeMillis() + 4000;
    while (System.currentTimeMillis() < keepUntil) {
      JsonObject beat =
          (JsonObject) request(new JsonObject().put("action", "heartbeat").put("id", id));
      assertThat(beat.getString("expiresAt")).isNotNull();
      sleep(400);
    }
    assertThat(registry.client().widget(id)).as("heartbeated past its TTL").isNotNull();

    Poll.until(
        Duration.ofSeconds(10),
        id + " expires once heartbeats stop",
        () -> registry.client().widget(id) == null);
    JsonObject expired =
        registry
            .changes()
            .await(
                Duration.ofSeconds(5),
                "expired " + id,
                c -> id.equals(c.getString("id")) && "expired".equals(c.getString("type")));
    assertThat(expired.getString("reason")).isEqualTo("ttl");
  }

  @Test
  void widgetsOfAMemberThatIsNotInTheClusterAreRemoved() {
    String ghost = TestManifests.id("ghost");
    String alive = TestManifests.id("alive");
    request(
        TestManifests.busRegistration(TestManifests.manifest(ghost), "no-such-member-" + ghost));
    request(TestManifests.busRegistration(TestManifests.manifest(alive), registry.node().nodeId()));

    Poll.until(
        Duration.ofSeconds(10),
        ghost + " of an absent member is removed",
        () -> registry.client().widget(ghost) == null);
    JsonObject expired =
        registry
            .changes()
            .await(
                Duration.ofSeconds(5),
                "expired " + ghost,
                c -> ghost.equals(c.getString("id")) && "expired".equals(c.getString("type")));
    assertThat(expired.getString("reason")).isEqualTo("member-left");
    assertThat(expired.getJsonObject("widget").getString("member"))
        .isEqualTo("no-such-member-" + ghost);

    sleep(1000); // several more sweeps
    assertThat(registry.client().widget(alive))
        .as("the widget of a member that is in the cluster stays")
        .isNotNull();
    assertThat(
            registry
                .changes()
                .matching(
                    c -> alive.equals(c.getString("id")) && "expired".equals(c.getString("type"))))
        .isEmpty();
  }

  /**
   * Requests whose fields have the wrong JSON type must be refused with 400 like other bad
   * requests. BUG (RegistryBusVerticle.handle, lines 36, 63 and 71): the handler casts the body to
   * JsonObject and reads {@code manifest} with getJsonObject and {@code ttlSeconds} with getLong; a
   * ClassCastException escapes the handler, no reply is ever sent and the sender waits until its
   * timeout.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("wronglyTyped")
  void wronglyTypedRequestFailsWith400(Object request) {
    ReplyException failure = failure(request, 3000);
    assertThat(failure.failureType())
        .as("a reply, not a timeout")
        .isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
    assertThat(failure.failureCode()).isEqualTo(400);
  }

  static Stream<Object> wronglyTyped() {
    return Stream.of(
        "register",
        new JsonObject().put("action", "register").put("manifest", "not an object"),
        TestManifests.busRegistration(TestManifests.manifest("typed-ttl"), "someone")
            .put("ttlSeconds", "thirty"));
  }

  private static Object request(JsonObject request) {
    return registry.request(request);
  }

  /** The failure of a request that must fail with a reply (not a timeout). */
  private static ReplyException failure(JsonObject request) {
    ReplyException failure = failure(request, 10_000);
    assertThat(failure.failureType())
        .as("a reply, not a timeout")
        .isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
    return failure;
  }

  private static ReplyException failure(Object request, long timeoutMillis) {
    IllegalStateException thrown =
        catchThrowableOfType(
            IllegalStateException.class,
            () ->
                TestCluster.await(
                    registry
                        .node()
                        .vertx()
                        .eventBus()
                        .request(
                            Addresses.REGISTRY,
                            request,
                            new DeliveryOptions().setSendTimeout(timeoutMillis))));
    assertThat(thrown).as("the request %s must fail", request).isNotNull();
    assertThat(thrown.getCause()).isInstanceOf(ReplyException.class);
    return (ReplyException) thrown.getCause();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
