package dev.mesh.widgethost.sidecar;

import static dev.mesh.testing.TestManifests.id;
import static dev.mesh.testing.TestManifests.manifest;
import static dev.mesh.widgethost.sidecar.SidecarManifests.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.common.MeshConfig;
import dev.mesh.common.Setting;
import dev.mesh.testing.ChildJvm;
import dev.mesh.testing.Poll;
import dev.mesh.testing.TestCluster;
import dev.mesh.widgethost.WidgetHostMain;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sidecars against a real registry (one member of a test cluster, started once for the class, on a
 * fixed port so it can go away and come back): registration with the token, heartbeats, refusals,
 * outages, the registry losing its records, edits of the manifest file, and removal on SIGTERM.
 */
class SidecarTest {

  /** Short, so that "alive after several TTLs" takes seconds; heartbeats come every 667 ms. */
  private static final int TTL_SECONDS = 2;

  /** Generous bound for what happens within a heartbeat or two. */
  private static final Duration SOON = Duration.ofSeconds(10);

  /**
   * Bound for a sidecar to find a registry that came back: its backoff may have grown to 16 s by
   * then.
   */
  private static final Duration AFTER_BACKOFF = Duration.ofSeconds(45);

  private static RegistryOnPort registry;

  /** The sidecars' Vert.x: a plain one, as in sidecar mode. */
  private static Vertx vertx;

  private static WebClient web;

  private final List<String> deployments = new ArrayList<>();

  @TempDir Path dir;

  /** A sidecar deployed by a test, and the port of its health and status routes. */
  private record Running(String deploymentId, int port) {}

  @BeforeAll
  static void startRegistry() {
    registry = RegistryOnPort.create(TTL_SECONDS);
    registry.start();
    vertx = Vertx.vertx();
    web = WebClient.create(vertx);
  }

  @AfterEach
  void stopSidecars() {
    deployments.forEach(id -> TestCluster.await(vertx.undeploy(id)));
  }

  @AfterAll
  static void stopRegistry() {
    if (web != null) {
      web.close();
      TestCluster.await(vertx.close());
    }
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void registersWithTheTokenAndKeepsTheWidgetsAlivePastSeveralTtls() {
    String table = id("orders-table");
    String chart = id("orders-chart");
    Running sidecar =
        sidecar(
            write(dir.resolve("widgets.json"), manifest(table), manifest(chart)),
            RegistryOnPort.TOKEN);

    JsonObject first =
        Poll.until(SOON, table + " registered", () -> registry.widget(table), w -> w != null);
    Poll.until(SOON, chart + " registered", () -> registry.widget(chart) != null);
    assertThat(first.getJsonObject("manifest")).isEqualTo(manifest(table));
    assertThat(first.getString("source")).isEqualTo("rest");

    Instant threeTtlsLater =
        Instant.parse(first.getString("expiresAt")).plusSeconds(3L * TTL_SECONDS);
    JsonObject later =
        Poll.until(
            Duration.ofSeconds(30),
            table + " kept alive three TTLs past its first expiry",
            () -> registry.widget(table),
            w -> w != null && Instant.parse(w.getString("expiresAt")).isAfter(threeTtlsLater));
    // the same registration all along, pushed forward by heartbeats alone: never expired, never
    // sent again
    assertThat(later.getString("registeredAt")).isEqualTo(first.getString("registeredAt"));
    assertThat(later.getString("lastUpdated")).isEqualTo(first.getString("lastUpdated"));
    assertThat(registry.widget(chart)).isNotNull();
    assertThat(registry.changes().matching(m -> Set.of(table, chart).contains(m.getString("id"))))
        .extracting(m -> m.getString("type") + ":" + m.getString("id"))
        .containsExactlyInAnyOrder("registered:" + table, "registered:" + chart);

    JsonObject status = status(sidecar);
    assertThat(status.getString("registry")).isEqualTo(registry.url());
    assertThat(status.getValue("manifestProblem")).isNull();
    assertThat(status.getJsonArray("widgets")).hasSize(2);
    for (String id : List.of(table, chart)) {
      JsonObject widget = widgetStatus(sidecar, id);
      assertThat(widget.getString("state")).isEqualTo("registered");
      assertThat(widget.getInteger("attempts")).isZero();
      assertThat(widget.getValue("lastError")).isNull();
      assertThat(widget.getLong("heartbeatMillis"))
          .as("a third of the TTL the registry answered")
          .isEqualTo(TTL_SECONDS * 1000L / 3);
    }
    assertThat(get(sidecar, "/health/live").statusCode()).isEqualTo(200);
    assertThat(get(sidecar, "/health/ready").statusCode()).isEqualTo(200);
  }

  @Test
  void aWrongTokenIsRefusedAndTheStatusSaysWhatTheRegistrySaid() {
    String id = id("refused");
    Running sidecar =
        sidecar(write(dir.resolve("widget.json"), manifest(id).encode()), "not-the-token");

    JsonObject widget =
        Poll.until(
            SOON,
            id + " refused",
            () -> widgetStatus(sidecar, id),
            w -> "refused".equals(w.getString("state")));
    assertThat(widget.getString("lastError")).isEqualTo("401 The bearer token is not valid");
    assertThat(widget.getInteger("attempts")).isEqualTo(1);
    // not transient: the next attempt waits the longest backoff, not half a second
    Duration untilNext =
        Duration.between(
            Instant.parse(widget.getString("lastAttemptAt")),
            Instant.parse(widget.getString("nextAttemptAt")));
    assertThat(untilNext).isGreaterThanOrEqualTo(Backoff.MAX.dividedBy(2));
    assertThat(registry.widget(id)).isNull();
    // the neighbour's pod stays in its Service whatever the registry thinks
    assertThat(get(sidecar, "/health/ready").statusCode()).isEqualTo(200);
  }

  @Test
  void aWidgetTheRegistryLostIsRegisteredAgainAtOnce() {
    String id = id("lost");
    Running sidecar =
        sidecar(write(dir.resolve("widget.json"), manifest(id)), RegistryOnPort.TOKEN);
    JsonObject first =
        Poll.until(SOON, id + " registered", () -> registry.widget(id), w -> w != null);

    assertThat(registry.delete(id)).isEqualTo(204);

    // the next heartbeat meets a 404 and registers again: well within SOON, while a refusal would
    // wait 15 s or more
    JsonObject again =
        Poll.until(
            SOON,
            id + " registered again",
            () -> registry.widget(id),
            w -> w != null && !w.getString("registeredAt").equals(first.getString("registeredAt")));
    assertThat(again.getJsonObject("manifest")).isEqualTo(manifest(id));
    List<String> changes =
        Poll.until(
            SOON,
            "the second registration on the change feed",
            () ->
                registry.changes().matching(m -> id.equals(m.getString("id"))).stream()
                    .map(m -> m.getString("type"))
                    .toList(),
            types -> types.size() >= 3);
    assertThat(changes).containsExactly("registered", "removed", "registered");
    JsonObject widget = widgetStatus(sidecar, id);
    assertThat(widget.getString("state")).isEqualTo("registered");
    assertThat(widget.getInteger("attempts"))
        .as("a lost registration is not a failed attempt")
        .isZero();
  }

  @Test
  void widgetsOfSidecarsStartedBeforeAndDuringARegistryOutageAreRegisteredWhenItIsBack() {
    String before = id("before-outage");
    String during = id("during-outage");
    Running early =
        sidecar(write(dir.resolve("early.json"), manifest(before)), RegistryOnPort.TOKEN);
    JsonObject first =
        Poll.until(SOON, before + " registered", () -> registry.widget(before), w -> w != null);

    registry.stop();
    Running late;
    try {
      Poll.until(
          SOON,
          "the early sidecar notices the registry is gone",
          () -> widgetStatus(early, before),
          w -> "retrying".equals(w.getString("state")));
      late = sidecar(write(dir.resolve("late.json"), manifest(during)), RegistryOnPort.TOKEN);
      JsonObject retrying =
          Poll.until(
              SOON,
              "the late sidecar retries",
              () -> widgetStatus(late, during),
              w -> "retrying".equals(w.getString("state")) && w.getInteger("attempts") >= 2);
      assertThat(retrying.getString("lastError")).startsWith("registry unreachable: ");
      assertThat(retrying.getString("nextAttemptAt")).isNotNull();
      assertThat(get(late, "/health/ready").statusCode())
          .as("ready without a registry")
          .isEqualTo(200);
    } finally {
      // a new registry, the only member of its cluster: the records of the old one are gone
      registry.start();
    }

    JsonObject back =
        Poll.until(
            AFTER_BACKOFF,
            before + " registered with the new registry",
            () -> registry.widget(before),
            w -> w != null);
    assertThat(Instant.parse(back.getString("registeredAt")))
        .isAfter(Instant.parse(first.getString("registeredAt")));
    Poll.until(
        AFTER_BACKOFF,
        during + " registered once the registry is up",
        () -> registry.widget(during) != null);
    for (Map.Entry<Running, String> sidecar : Map.of(early, before, late, during).entrySet()) {
      JsonObject widget =
          Poll.until(
              SOON,
              sidecar.getValue() + " registered in the sidecar's status",
              () -> widgetStatus(sidecar.getKey(), sidecar.getValue()),
              w -> "registered".equals(w.getString("state")));
      assertThat(widget.getInteger("attempts")).isZero();
      assertThat(widget.getValue("lastError")).isNull();
    }
  }

  @Test
  void editsOfTheManifestFileAreRegisteredAndABrokenEditChangesNothing() {
    String kept = id("kept");
    String dropped = id("dropped");
    String added = id("added");
    Path file = write(dir.resolve("widgets.json"), manifest(dropped), manifest(kept));
    Running sidecar = sidecar(file, RegistryOnPort.TOKEN);
    Poll.until(
        SOON,
        "both registered",
        () -> registry.widget(dropped) != null && registry.widget(kept) != null);

    JsonObject relabelled = manifest(kept).put("label", "Orders, relabelled");
    write(file, relabelled, manifest(added));

    Poll.until(
        SOON,
        "the edit registered",
        () ->
            registry.widget(added) != null
                && registry.widget(dropped) == null
                && relabelled.equals(registry.widget(kept).getJsonObject("manifest")));
    registry
        .changes()
        .await(
            SOON,
            "the dropped widget removed by the sidecar, not expired",
            m ->
                "removed".equals(m.getString("type"))
                    && dropped.equals(m.getString("id"))
                    && "deregistered".equals(m.getString("reason")));
    assertThat(
            status(sidecar).getJsonArray("widgets").stream()
                .map(w -> ((JsonObject) w).getString("id"))
                .toList())
        .containsExactly(kept, added);

    write(file, "[{\"id\": \"half-written\"");

    JsonObject status =
        Poll.until(
            SOON,
            "the broken edit reported",
            () -> status(sidecar),
            s -> s.getValue("manifestProblem") != null);
    assertThat(status.getString("manifestProblem"))
        .contains(file.toString())
        .contains("is not valid JSON");
    assertThat(
            status.getJsonArray("widgets").stream()
                .map(w -> ((JsonObject) w).getString("state"))
                .toList())
        .containsExactly("registered", "registered");
    assertThat(registry.widget(kept).getJsonObject("manifest")).isEqualTo(relabelled);
    assertThat(registry.widget(added)).isNotNull();
  }

  @Test
  void sigtermRemovesTheWidgetsAtOnce() {
    String id = id("sigterm");
    Path file = write(dir.resolve("widget.json"), manifest(id));
    try (ChildJvm process =
        widgetHost(
            Map.of(
                Setting.WIDGET_HOST_MODE.key(),
                "sidecar",
                Setting.SIDECAR_MANIFEST.key(),
                file.toString(),
                Setting.REGISTRY_URL.key(),
                registry.url(),
                Setting.REGISTRY_TOKEN.key(),
                RegistryOnPort.TOKEN,
                Setting.WIDGET_HOST_PORT.key(),
                "0",
                Setting.BIND_HOST.key(),
                "127.0.0.1"))) {
      Poll.until(
          Duration.ofSeconds(30),
          id + " registered by the widget-host process",
          () -> registry.widget(id) != null);

      process.terminate();

      assertThat(process.exitCode(Duration.ofSeconds(20)))
          .as("exit code after SIGTERM")
          .isEqualTo(143);
      assertThat(registry.widget(id)).isNull();
      registry
          .changes()
          .await(
              SOON,
              "the widget removed by the sidecar, not expired",
              m ->
                  "removed".equals(m.getString("type"))
                      && id.equals(m.getString("id"))
                      && "deregistered".equals(m.getString("reason")));
      assertThat(
              registry
                  .changes()
                  .matching(
                      m -> id.equals(m.getString("id")) && "expired".equals(m.getString("type"))))
          .isEmpty();
      assertThat(process.lines())
          .anyMatch(line -> line.contains("Widget '" + id + "' removed from the registry"));
    }
  }

  private Running sidecar(Path manifestFile, String token) {
    MeshConfig config =
        MeshConfig.defaults()
            .with(Setting.REGISTRY_URL, registry.url())
            .with(Setting.REGISTRY_TOKEN, token)
            .with(Setting.SIDECAR_MANIFEST, manifestFile)
            .with(Setting.WIDGET_HOST_PORT, 0)
            .with(Setting.BIND_HOST, "127.0.0.1");
    SidecarVerticle verticle = new SidecarVerticle();
    String deployment =
        TestCluster.await(
            vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(config.toJson())));
    deployments.add(deployment);
    return new Running(deployment, verticle.port());
  }

  private static HttpResponse<Buffer> get(Running sidecar, String uri) {
    return TestCluster.await(web.get(sidecar.port(), "127.0.0.1", uri).timeout(5000).send());
  }

  private static JsonObject status(Running sidecar) {
    HttpResponse<Buffer> response = get(sidecar, "/status");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).startsWith("application/json");
    return response.bodyAsJsonObject();
  }

  private static JsonObject widgetStatus(Running sidecar, String id) {
    return status(sidecar).getJsonArray("widgets").stream()
        .map(JsonObject.class::cast)
        .filter(w -> id.equals(w.getString("id")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no widget " + id + " in the sidecar's status"));
  }

  /** {@link WidgetHostMain} in a JVM of its own, configured as in a pod. */
  private static ChildJvm widgetHost(Map<String, String> settings) {
    return ChildJvm.of(WidgetHostMain.class).name("widget-host").heap("128m").env(settings).start();
  }
}
