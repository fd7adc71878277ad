package dev.mesh.gateway.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.common.Addresses;
import dev.mesh.common.MeshNode;
import dev.mesh.gateway.Gateway;
import dev.mesh.gateway.GatewayVerticle;
import dev.mesh.gateway.QuoteService;
import dev.mesh.testing.BridgeClient;
import dev.mesh.testing.Endpoints;
import dev.mesh.testing.Meters;
import dev.mesh.testing.Poll;
import dev.mesh.testing.TestCluster;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.RegistrationInfo;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The bridge from a client's side, over its raw WebSocket transport: each socket lives in a scope
 * of its own, server verticles hear and answer its events, and everything outside the rules is
 * refused and counted.
 */
class SessionBridgeTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension static final TestCluster cluster = new TestCluster();
  private static MeshNode gateway;
  private static MeshNode service;
  private static int port;
  private static final List<JsonObject> sessionEvents = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    gateway = cluster.start(cluster.config(), Gateway.verticles());
    // a server-side service on another member, hearing page events and answering in their scope
    service = cluster.start();
    service
        .vertx()
        .eventBus()
        .<JsonObject>consumer(
            SessionBridge.SESSION_EVENTS,
            message -> {
              JsonObject event = message.body();
              sessionEvents.add(event);
              if ("ping".equals(event.getString("topic"))) {
                service
                    .vertx()
                    .eventBus()
                    .publish(
                        "mesh.session." + event.getString("scope") + ".pong",
                        new JsonObject()
                            .put("answer", event.getJsonObject("payload").getInteger("n") + 1));
              }
            });
    // a page service: answers each caller, and tells which scope the bridge said the call came from
    QuoteService.register(service.vertx());
    port = Endpoints.httpPort(gateway, GatewayVerticle.SERVICE_NAME);
  }

  @Test
  void eachSocketHearsOnlyItsOwnSessionsEvents() {
    BridgeClient alice = connect(null);
    BridgeClient bob = connect(null);
    alice.send("register", "session.row-selected", null);
    bob.send("register", "session.row-selected", null);
    alice.sync();
    bob.sync();

    alice.send("publish", "session.row-selected", new JsonObject().put("region", "Nordics"));
    JsonObject delivered =
        alice.await(
            "alice's own event", m -> "session.row-selected".equals(m.getString("address")));
    assertThat(delivered.getString("type")).isEqualTo("rec");
    assertThat(delivered.getJsonObject("body").getString("region")).isEqualTo("Nordics");

    bob.send("publish", "session.row-selected", new JsonObject().put("region", "Iberia"));
    JsonObject bobs =
        bob.await("bob's own event", m -> "session.row-selected".equals(m.getString("address")));
    assertThat(bobs.getJsonObject("body").getString("region")).isEqualTo("Iberia");
    // both events have gone round by now: neither crossed over
    assertThat(bob.received()).noneMatch(m -> m.encode().contains("Nordics"));
    assertThat(alice.received()).noneMatch(m -> m.encode().contains("Iberia"));
    alice.close();
    bob.close();
  }

  @Test
  void serverVerticlesHearSessionEventsAndAnswerIntoTheScope() {
    BridgeClient page = connect(null);
    page.send("register", "session.pong", null);
    page.sync();
    page.send("publish", "session.ping", new JsonObject().put("n", 41));
    JsonObject answer =
        page.await("the service's answer", m -> "session.pong".equals(m.getString("address")));
    assertThat(answer.getJsonObject("body").getInteger("answer")).isEqualTo(42);
    JsonObject heard =
        Poll.until(
            WAIT,
            "the service heard the event",
            () ->
                sessionEvents.stream()
                    .filter(e -> "ping".equals(e.getString("topic")))
                    .findFirst()
                    .orElse(null),
            e -> e != null);
    assertThat(heard.getString("scope")).matches("[0-9a-f-]{36}");
    page.close();
  }

  @Test
  void pagesCallServicesWithRequestReplyAndCannotForgeTheirScope() {
    BridgeClient page = connect(null);
    page.send("register", "session.mine", null);
    page.send("publish", "session.mine", new JsonObject().put("marker", "scope-of-this-page"));
    String scope =
        Poll.until(
            WAIT,
            "the page's scope",
            () ->
                sessionEvents.stream()
                    .filter(
                        e ->
                            e.getJsonObject("payload") != null
                                && "scope-of-this-page"
                                    .equals(e.getJsonObject("payload").getString("marker")))
                    .map(e -> e.getString("scope"))
                    .findFirst()
                    .orElse(null),
            s -> s != null);

    String replyAddress = UUID.randomUUID().toString();
    page.send(
        new JsonObject()
            .put("type", "send")
            .put("address", Addresses.PAGE_SERVICES_PREFIX + "test.quote")
            .put("replyAddress", replyAddress)
            .put("headers", new JsonObject().put(Addresses.SCOPE_HEADER, "someone-else"))
            .put("body", new JsonObject().put("quantity", 14)));
    JsonObject reply =
        page.await("the service's reply", m -> replyAddress.equals(m.getString("address")));
    assertThat(reply.getJsonObject("body").getInteger("price")).isEqualTo(42);
    assertThat(reply.getJsonObject("body").getString("scope")).isEqualTo(scope);

    String failing = UUID.randomUUID().toString();
    page.send(
        new JsonObject()
            .put("type", "send")
            .put("address", Addresses.PAGE_SERVICES_PREFIX + "test.quote")
            .put("replyAddress", failing)
            .put("body", new JsonObject().put("quantity", -1)));
    JsonObject failure =
        page.await("the service's refusal", m -> failing.equals(m.getString("address")));
    assertThat(failure.getInteger("failureCode")).isEqualTo(400);
    assertThat(failure.getString("message")).contains("quantity");

    double published = refused("service-publish");
    double registered = refused("service-register");
    page.send(
        "publish",
        Addresses.PAGE_SERVICES_PREFIX + "test.quote",
        new JsonObject().put("quantity", 1));
    page.send("register", Addresses.PAGE_SERVICES_PREFIX + "test.quote", null);
    Poll.until(
        WAIT,
        "publishing to and listening on a service refused",
        () ->
            refused("service-publish") == published + 1
                && refused("service-register") == registered + 1);
    page.close();
  }

  @Test
  void theRegistryFeedIsExposedForReadingOnly() {
    exposedForReadingOnly(
        Addresses.REGISTRY_CHANGES, new JsonObject().put("type", "registered").put("id", "x"));
  }

  @Test
  void theTrackerLiveFeedIsExposedForReadingOnly() {
    // published by the tracker on another member, as it does for each site's new hits
    exposedForReadingOnly(
        Addresses.TRACKER_LIVE, new JsonObject().put("site", "shop.example").put("views", 1));
  }

  @Test
  void manyPagesOnAFeedAreOneSubscriptionInTheCluster() {
    List<BridgeClient> pages = IntStream.range(0, 20).mapToObj(i -> connect(null)).toList();
    pages.forEach(
        page -> {
          page.send("register", Addresses.REGISTRY_CHANGES, null);
          page.sync();
        });
    JsonObject change = new JsonObject().put("type", "registered").put("id", "fan-out");
    Poll.until(
        WAIT,
        "the change reaches every page",
        () -> {
          service.vertx().eventBus().publish(Addresses.REGISTRY_CHANGES, change);
          return pages.stream()
              .allMatch(
                  page ->
                      page.received().stream()
                          .anyMatch(
                              m ->
                                  Addresses.REGISTRY_CHANGES.equals(m.getString("address"))
                                      && change.equals(m.getJsonObject("body"))));
        });
    // what every publisher of the feed reads from the cluster on each message: the gateway, once
    Promise<List<RegistrationInfo>> registrations = Promise.promise();
    ((VertxInternal) service.vertx())
        .clusterManager()
        .getRegistrations(Addresses.REGISTRY_CHANGES, registrations);
    assertThat(TestCluster.await(registrations.future()))
        .extracting(RegistrationInfo::nodeId)
        .containsExactly(gateway.nodeId());
    pages.forEach(BridgeClient::close);
  }

  private static void exposedForReadingOnly(String feed, JsonObject message) {
    BridgeClient page = connect(null);
    page.send("register", feed, null);
    page.sync();
    Poll.until(
        WAIT,
        "the feed reaches the page",
        () -> {
          service.vertx().eventBus().publish(feed, message);
          return page.received().stream().anyMatch(m -> feed.equals(m.getString("address")));
        });
    double before = refused("address");
    page.send("publish", feed, new JsonObject().put("forged", true));
    page.await("refusal", m -> "err".equals(m.getString("type")));
    assertThat(refused("address")).isGreaterThan(before);
    page.close();
  }

  @Test
  void anythingOutsideTheSessionIsRefusedAndCounted() {
    BridgeClient mallory = connect(null);
    BridgeClient victim = connect(null);
    victim.send("register", "session.row-selected", null);
    victim.send("publish", "session.row-selected", new JsonObject().put("mine", true));
    String victimScope =
        Poll.until(
            WAIT,
            "the victim's scope",
            () ->
                sessionEvents.stream()
                    .filter(
                        e ->
                            e.getJsonObject("payload") != null
                                && e.getJsonObject("payload").containsKey("mine"))
                    .map(e -> e.getString("scope"))
                    .findFirst()
                    .orElse(null),
            s -> s != null);
    victim.await("victim's own event", m -> "rec".equals(m.getString("type")));

    double before = refused("address");
    List<String[]> attempts =
        List.of(
            new String[] {"publish", "mesh.session." + victimScope + ".row-selected"},
            new String[] {"register", "mesh.session." + victimScope + ".row-selected"},
            new String[] {"publish", "vertx.discovery.announce"},
            new String[] {"register", "vertx.discovery.announce"},
            new String[] {"send", Addresses.REGISTRY},
            new String[] {"publish", "session.../../x"},
            new String[] {"publish", "session."});
    for (String[] attempt : attempts) {
      mallory.send(attempt[0], attempt[1], new JsonObject().put("evil", true));
    }
    Poll.until(
        WAIT,
        "every attempt refused",
        () ->
            mallory.received().stream().filter(m -> "err".equals(m.getString("type"))).count()
                == attempts.size());
    assertThat(refused("address")).isEqualTo(before + attempts.size());

    double large = refused("too-large");
    mallory.send(
        "publish",
        "session.big",
        new JsonObject().put("blob", "x".repeat(SessionBridge.MAX_MESSAGE_CHARS)));
    Poll.until(WAIT, "the oversized message refused", () -> refused("too-large") == large + 1);

    victim.sync();
    assertThat(victim.received()).noneMatch(m -> m.encode().contains("evil"));
    mallory.close();
    victim.close();
  }

  @Test
  void aForeignOriginIsTurnedAway() {
    double before = refused("origin");
    BridgeClient foreign = connect("http://evil.example");
    Poll.until(WAIT, "the socket closed", foreign::closed);
    assertThat(refused("origin")).isEqualTo(before + 1);
  }

  @Test
  void browsersWithoutWebSocketUseTheXhrTransportsUnderTheSameRules() {
    // a connection per request: SockJS may close a polling connection as it answers, and a browser
    // (unlike this client) sends again a request whose reused connection closed before any answer
    WebClient http = WebClient.create(service.vertx(), new WebClientOptions().setKeepAlive(false));
    String session =
        "/eventbus/000/" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    assertThat(xhr(http, session + "/xhr", null)).startsWith("o");
    String frames =
        new JsonArray()
            .add(new JsonObject().put("type", "register").put("address", "session.xhr").encode())
            .add(
                new JsonObject()
                    .put("type", "publish")
                    .put("address", "session.xhr")
                    .put("body", new JsonObject().put("over", "xhr"))
                    .encode())
            .add(
                new JsonObject()
                    .put("type", "publish")
                    .put("address", "vertx.discovery.announce")
                    .put("body", new JsonObject())
                    .encode())
            .encode();
    xhr(http, session + "/xhr_send", frames);
    StringBuilder polled = new StringBuilder();
    Poll.until(
        WAIT,
        "the event and the refusal polled back",
        () -> polled.append(xhr(http, session + "/xhr", null)).toString(),
        all -> all.contains("session.xhr") && all.contains("rejected"));
    assertThat(polled.toString()).contains("over").doesNotContain("mesh.session.");
    http.close();
  }

  private static String xhr(WebClient http, String path, String body) {
    var request = http.post(port, "127.0.0.1", path);
    var response =
        TestCluster.await(body == null ? request.send() : request.sendBuffer(Buffer.buffer(body)));
    assertThat(response.statusCode()).as(path).isIn(200, 204);
    return response.bodyAsString() == null ? "" : response.bodyAsString();
  }

  @Test
  void aPageOfTheGatewaysOwnOriginIsWelcome() {
    BridgeClient sameOrigin = connect("http://127.0.0.1:" + port);
    sameOrigin.send("register", "session.ok", null);
    sameOrigin.send("publish", "session.ok", new JsonObject());
    sameOrigin.await("same-origin page works", m -> "rec".equals(m.getString("type")));
    sameOrigin.close();
  }

  private static double refused(String reason) {
    return Meters.counter(gateway, "mesh_bridge_refused", "reason", reason);
  }

  /** A page's connection to the bridge (with this Origin header, none when null). */
  private static BridgeClient connect(String origin) {
    return BridgeClient.connect(gateway.vertx(), port, origin);
  }
}
