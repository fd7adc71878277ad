package dev.mesh.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.testing.TestCluster;
import dev.mesh.testing.TestManifests;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The original datamesh registry's API ({@code /api/v1/registry}) as its clients and sidecars use
 * it, and its equivalence with {@code /api/widgets}: one registry, two shapes.
 */
class RegistryV1ApiTest {

  private static final int TTL_SECONDS = 120;

  @RegisterExtension
  static final RegistryUnderTest registry = RegistryUnderTest.of(RegistryClient.TOKEN, TTL_SECONDS);

  @Test
  void registrationAnswers200EchoingTheBody() {
    String id = TestManifests.id("echo");
    JsonObject body = TestManifests.v1Registration(id);

    HttpResponse<Buffer> response = registry.client().v1Register(id, body);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).startsWith("application/json");
    assertThat(response.bodyAsJsonObject()).isEqualTo(body);
    assertThat(registry.client().v1Register(id, body).statusCode())
        .as("a repeated registration (sidecar heartbeat)")
        .isEqualTo(200);
  }

  @Test
  void registeredServiceIsReadBackInTheOriginalShapes() {
    String id = TestManifests.id("shape");
    JsonObject body = TestManifests.v1Registration(id);
    registry.client().v1Register(id, body);

    HttpResponse<Buffer> one = registry.client().get("/api/v1/registry/" + id);
    assertThat(one.statusCode()).isEqualTo(200);
    JsonObject service = one.bodyAsJsonObject();
    assertThat(service.fieldNames()).containsExactlyInAnyOrder("service", "lastUpdated");
    assertThat(service.getJsonObject("service")).isEqualTo(body);
    Instant lastUpdated = Instant.parse(service.getString("lastUpdated"));
    assertThat(lastUpdated).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(1));

    JsonObject listed = find(registry.client().v1List(), id);
    assertThat(listed.fieldNames()).containsExactlyInAnyOrder("id", "service", "lastUpdated");
    assertThat(listed.getJsonObject("service")).isEqualTo(body);
    assertThat(listed.getString("lastUpdated")).isEqualTo(service.getString("lastUpdated"));
  }

  @Test
  void listIsOrderedById() {
    String prefix = TestManifests.id("sorted");
    registry
        .client()
        .v1Register(
            prefix + "-c",
            TestManifests.v1Registration(prefix + "-c").put("label", "A first by label"));
    registry
        .client()
        .v1Register(
            prefix + "-a",
            TestManifests.v1Registration(prefix + "-a").put("label", "Z last by label"));
    registry.client().v1Register(prefix + "-b", TestManifests.v1Registration(prefix + "-b"));

    List<String> ids =
        registry.client().v1List().stream().map(s -> ((JsonObject) s).getString("id")).toList();

    assertThat(ids).isSorted();
    assertThat(ids.stream().filter(i -> i.startsWith(prefix)).toList())
        .containsExactly(prefix + "-a", prefix + "-b", prefix + "-c");
  }

  @Test
  void unknownServiceAnswersTheOriginalNotFound() {
    HttpResponse<Buffer> response =
        registry.client().get("/api/v1/registry/" + TestManifests.id("unknown"));
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject().put("message", "Not Found"));

    HttpResponse<Buffer> invalidId = registry.client().get("/api/v1/registry/not%20an%20id");
    assertThat(invalidId.statusCode()).isEqualTo(404);
    assertThat(invalidId.bodyAsJsonObject())
        .isEqualTo(new JsonObject().put("message", "Not Found"));
  }

  @Test
  void browsersMayPostFromAnotherOriginAfterAPreflight() {
    HttpResponse<Buffer> preflight =
        TestCluster.await(
            WebClient.create(registry.node().vertx())
                .request(
                    HttpMethod.OPTIONS,
                    registry.client().port(),
                    "127.0.0.1",
                    "/api/v1/registry/some-widget")
                .putHeader("Origin", "https://team.example.com")
                .putHeader("Access-Control-Request-Method", "POST")
                .putHeader("Access-Control-Request-Headers", "content-type,authorization")
                .send());
    assertThat(preflight.statusCode()).isEqualTo(204);
    assertThat(preflight.getHeader("Access-Control-Allow-Methods")).contains("POST");
    assertThat(preflight.getHeader("Access-Control-Allow-Headers").toLowerCase())
        .contains("content-type", "authorization");
  }

  @Test
  void tagsTheOriginalAcceptedButAManifestCannotHoldFallBackToDefaults() {
    String id = TestManifests.id("free-tags");
    JsonObject body = TestManifests.v1Registration(id);
    body.put(
        "tags", new JsonObject().put("version", "latest").put("owner", " ").put("env", "prod"));
    assertThat(registry.client().v1Register(id, body).statusCode()).isEqualTo(200);
    JsonObject manifest = registry.client().widget(id).getJsonObject("manifest");
    assertThat(manifest.getString("version")).isEqualTo("0.0.0");
    assertThat(manifest.getString("owner")).isEqualTo("unknown");
    assertThat(manifest.getJsonObject("tags").getString("version"))
        .as("the tag itself is kept")
        .isEqualTo("latest");
  }

  @Test
  void answersEveryOrigin() {
    String id = TestManifests.id("cors");
    assertThat(
            registry
                .client()
                .v1Register(id, TestManifests.v1Registration(id))
                .getHeader("Access-Control-Allow-Origin"))
        .isEqualTo("*");
    assertThat(registry.client().get("/api/v1/registry").getHeader("Access-Control-Allow-Origin"))
        .isEqualTo("*");
    assertThat(
            registry
                .client()
                .get("/api/v1/registry/" + id)
                .getHeader("Access-Control-Allow-Origin"))
        .isEqualTo("*");
  }

  @Test
  void v1RegistrationIsAWidgetWithDefaultsForWhatV1DoesNotHave() {
    String id = TestManifests.id("as-widget");
    JsonObject body = TestManifests.v1Registration(id);
    registry.client().v1Register(id, body);

    JsonObject widget = registry.client().widget(id);

    assertThat(widget).isNotNull();
    assertThat(widget.getString("source")).isEqualTo("v1");
    assertThat(widget.getString("expiresAt"))
        .as("a v1 registration lives by the TTL, like a REST one")
        .isNotNull();
    assertThat(
            Duration.between(
                Instant.parse(widget.getString("lastUpdated")),
                Instant.parse(widget.getString("expiresAt"))))
        .isEqualTo(Duration.ofSeconds(TTL_SECONDS));
    JsonObject component = body.getJsonObject("webComponent");
    JsonObject expected =
        new JsonObject()
            .put("id", id)
            .put("tag", component.getString("componentId"))
            .put("label", body.getString("label"))
            .put("module", component.getString("jsUrl"))
            .put("css", component.getString("cssUrl"))
            .put("version", "0.0.0")
            .put("owner", "unknown")
            .put("domain", "unassigned")
            .put("domainKind", "consumer-aligned")
            .put("tags", body.getJsonObject("tags"));
    assertThat(widget.getJsonObject("manifest")).isEqualTo(expected);
  }

  @Test
  void v1TagsFillTheManifestFieldsOfTheSameName() {
    String id = TestManifests.id("tagged");
    JsonObject tags =
        new JsonObject()
            .put("owner", "team-legacy")
            .put("domain", "billing")
            .put("version", "2.3.4")
            .put("domainKind", "aggregate")
            .put("description", "Invoices per month");
    JsonObject body = TestManifests.v1Registration(id).put("tags", tags);
    body.getJsonObject("webComponent").remove("cssUrl");
    assertThat(registry.client().v1Register(id, body).statusCode()).isEqualTo(200);

    JsonObject manifest = registry.client().widget(id).getJsonObject("manifest");
    assertThat(manifest.getString("owner")).isEqualTo("team-legacy");
    assertThat(manifest.getString("domain")).isEqualTo("billing");
    assertThat(manifest.getString("version")).isEqualTo("2.3.4");
    assertThat(manifest.getString("domainKind")).isEqualTo("aggregate");
    assertThat(manifest.getString("description")).isEqualTo("Invoices per month");
    assertThat(manifest.containsKey("css")).isFalse();
    assertThat(registry.client().ids("domain=billing&owner=team-legacy&kind=aggregate"))
        .containsExactly(id);
  }

  @Test
  void widgetRegisteredWithPutIsVisibleInTheV1Shape() {
    String id = TestManifests.id("from-put");
    JsonObject manifest = TestManifests.manifest(id).put("css", "/widgets/" + id + ".css");
    JsonObject widget = registry.client().register(manifest);

    HttpResponse<Buffer> response = registry.client().get("/api/v1/registry/" + id);

    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject expected =
        new JsonObject()
            .put(
                "service",
                new JsonObject()
                    .put(
                        "webComponent",
                        new JsonObject()
                            .put("jsUrl", manifest.getString("module"))
                            .put("cssUrl", manifest.getString("css"))
                            .put("componentId", manifest.getString("tag")))
                    .put("label", manifest.getString("label"))
                    .put("tags", manifest.getJsonObject("tags")))
            .put("lastUpdated", widget.getString("lastUpdated"));
    assertThat(response.bodyAsJsonObject()).isEqualTo(expected);
    assertThat(find(registry.client().v1List(), id).getJsonObject("service"))
        .isEqualTo(expected.getJsonObject("service"));
  }

  @Test
  void widgetWithoutCssOrTagsHasEmptyOnesInTheV1Shape() {
    String id = TestManifests.id("bare");
    JsonObject manifest = TestManifests.manifest(id);
    manifest.remove("tags");
    registry.client().register(manifest);

    JsonObject service =
        registry.client().get("/api/v1/registry/" + id).bodyAsJsonObject().getJsonObject("service");

    assertThat(service.getJsonObject("webComponent").getString("cssUrl")).isEmpty();
    assertThat(service.getJsonObject("tags")).isEqualTo(new JsonObject());
  }

  @Test
  void repeatedRegistrationMovesLastUpdatedAndKeepsOneEntry() throws InterruptedException {
    String id = TestManifests.id("sidecar");
    JsonObject body = TestManifests.v1Registration(id);
    registry.client().v1Register(id, body);
    String first =
        registry.client().get("/api/v1/registry/" + id).bodyAsJsonObject().getString("lastUpdated");
    Thread.sleep(20);

    registry.client().v1Register(id, body);

    String second =
        registry.client().get("/api/v1/registry/" + id).bodyAsJsonObject().getString("lastUpdated");
    assertThat(Instant.parse(second)).isAfter(Instant.parse(first));
    assertThat(
            registry.client().v1List().stream()
                .filter(s -> id.equals(((JsonObject) s).getString("id"))))
        .hasSize(1);
  }

  @Test
  void v1RegistrationChangesAWidgetRegisteredWithPut() {
    String id = TestManifests.id("both");
    JsonObject registered = registry.client().register(TestManifests.manifest(id));
    JsonObject body = TestManifests.v1Registration(id).put("label", "Relabelled through v1");

    assertThat(registry.client().v1Register(id, body).statusCode()).isEqualTo(200);

    JsonObject widget = registry.client().widget(id);
    assertThat(widget.getString("source")).isEqualTo("v1");
    assertThat(widget.getString("registeredAt")).isEqualTo(registered.getString("registeredAt"));
    assertThat(widget.getJsonObject("manifest").getString("label"))
        .isEqualTo("Relabelled through v1");
    assertThat(registry.client().delete(id).statusCode()).isEqualTo(204);
    assertThat(registry.client().get("/api/v1/registry/" + id).statusCode()).isEqualTo(404);
  }

  private static JsonObject find(JsonArray services, String id) {
    return services.stream()
        .map(JsonObject.class::cast)
        .filter(s -> id.equals(s.getString("id")))
        .findFirst()
        .orElseThrow(() -> new AssertionError(id + " is not in " + services.encodePrettily()));
  }
}
