package dev.mesh.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.common.Contract;
import dev.mesh.testing.TestManifests;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /api/widgets} as a widget author uses it: register, refresh, read, filter, heartbeat,
 * delete.
 */
class WidgetApiTest {

  private static final int TTL_SECONDS = 120;

  @RegisterExtension
  static final RegistryUnderTest registry = RegistryUnderTest.of(RegistryClient.TOKEN, TTL_SECONDS);

  @Test
  void firstPutCreatesTheWidgetAndAnswersItsView() {
    String id = TestManifests.id("create");
    JsonObject manifest = TestManifests.manifest(id);

    HttpResponse<Buffer> response = registry.client().put(id, manifest);

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.getHeader("Location")).isEqualTo("/api/widgets/" + id);
    assertThat(response.getHeader("Content-Type")).startsWith("application/json");
    JsonObject widget = response.bodyAsJsonObject();
    assertThat(widget.fieldNames())
        .containsExactlyInAnyOrder(
            "id", "manifest", "source", "member", "registeredAt", "lastUpdated", "expiresAt");
    assertThat(widget.getString("id")).isEqualTo(id);
    assertThat(widget.getJsonObject("manifest")).isEqualTo(manifest);
    assertThat(widget.getString("source")).isEqualTo("rest");
    assertThat(widget.getValue("member")).isNull();
    Instant registeredAt = Instant.parse(widget.getString("registeredAt"));
    assertThat(Instant.parse(widget.getString("lastUpdated"))).isEqualTo(registeredAt);
    assertThat(Duration.between(registeredAt, Instant.parse(widget.getString("expiresAt"))))
        .isEqualTo(Duration.ofSeconds(TTL_SECONDS));

    assertThat(registry.client().widget(id)).isEqualTo(widget);
    assertThat(registry.client().list().getJsonArray("widgets")).contains(widget);
  }

  @Test
  void secondPutRefreshesKeepingTheRegistrationTime() throws InterruptedException {
    String id = TestManifests.id("refresh");
    JsonObject first = registry.client().put(id, TestManifests.manifest(id)).bodyAsJsonObject();
    Thread.sleep(20); // so that the refresh happens at a later millisecond

    HttpResponse<Buffer> same = registry.client().put(id, TestManifests.manifest(id));
    assertThat(same.statusCode()).isEqualTo(200);
    assertThat(same.getHeader("Location")).isNull();
    JsonObject refreshed = same.bodyAsJsonObject();
    assertThat(refreshed.getString("registeredAt")).isEqualTo(first.getString("registeredAt"));
    assertThat(Instant.parse(refreshed.getString("lastUpdated")))
        .isAfter(Instant.parse(first.getString("lastUpdated")));
    assertThat(Instant.parse(refreshed.getString("expiresAt")))
        .isAfter(Instant.parse(first.getString("expiresAt")));

    JsonObject changed =
        TestManifests.manifest(id).put("label", "Renamed " + id).put("version", "1.1.0");
    HttpResponse<Buffer> update = registry.client().put(id, changed);
    assertThat(update.statusCode()).isEqualTo(200);
    assertThat(registry.client().widget(id).getJsonObject("manifest")).isEqualTo(changed);
    assertThat(registry.client().ids()).containsOnlyOnce(id);
  }

  @Test
  void manifestWithoutIdTakesTheIdOfThePath() {
    String id = TestManifests.id("path-id");
    JsonObject manifest = TestManifests.manifest(id);
    manifest.remove("id");

    HttpResponse<Buffer> response = registry.client().put(id, manifest);

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.bodyAsJsonObject().getJsonObject("manifest").getString("id")).isEqualTo(id);
    assertThat(registry.client().widget(id).getJsonObject("manifest"))
        .isEqualTo(manifest.copy().put("id", id));
  }

  @Test
  void optionalFieldsAndExtensionsAreKeptAsSent() {
    String id = TestManifests.id("full");
    JsonObject manifest =
        TestManifests.manifest(id)
            .put("css", "/widgets/" + id + "/style.css")
            .put("icon", "\uD83D\uDCC8")
            .put(
                "attributes",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("name", "region")
                            .put("type", "string")
                            .put("default", "emea")
                            .put("required", false)))
            .put(
                "emits",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("topic", "sales.selected")
                            .put("schema", new JsonObject().put("type", "object"))))
            .put("listens", new JsonArray().add(new JsonObject().put("topic", "time.range")))
            .put("x-team-chat", "#sales-widgets")
            .put("x-build", new JsonObject().put("commit", "abc123"));

    assertThat(registry.client().put(id, manifest).statusCode()).isEqualTo(201);

    assertThat(registry.client().widget(id).getJsonObject("manifest")).isEqualTo(manifest);
  }

  @Test
  void listFiltersByDomainOwnerKindAndText() {
    String domain = TestManifests.id("filters");
    String sales = TestManifests.id("sales");
    String stock = TestManifests.id("stock");
    String churn = TestManifests.id("churn");
    registry
        .client()
        .register(
            TestManifests.manifest(sales)
                .put("domain", domain)
                .put("owner", "Team-Sales")
                .put("domainKind", "source-aligned")
                .put("label", "Sales by region"));
    registry
        .client()
        .register(
            TestManifests.manifest(stock)
                .put("domain", domain)
                .put("owner", "team-supply")
                .put("domainKind", "aggregate")
                .put("label", "Stock levels")
                .put("description", "Warehouse inventory, hourly"));
    registry
        .client()
        .register(
            TestManifests.manifest(churn)
                .put("domain", domain + "-other")
                .put("owner", "team-sales")
                .put("domainKind", "consumer-aligned")
                .put("label", "Churn")
                .put("tags", new JsonObject().put("region", "nordics")));

    assertThat(registry.client().ids("domain=" + domain)).containsExactlyInAnyOrder(sales, stock);
    assertThat(registry.client().ids("domain=" + domain.toUpperCase()))
        .as("domain matches in any case")
        .containsExactlyInAnyOrder(sales, stock);
    assertThat(registry.client().ids("owner=TEAM-SALES"))
        .contains(sales, churn)
        .doesNotContain(stock);
    assertThat(registry.client().ids("domain=" + domain + "&kind=aggregate"))
        .containsExactly(stock);
    assertThat(registry.client().ids("domain=" + domain + "&owner=team-sales"))
        .containsExactly(sales);
    assertThat(registry.client().ids("q=REGION"))
        .as("q searches the label")
        .contains(sales)
        .doesNotContain(stock);
    assertThat(registry.client().ids("q=inventory"))
        .as("q searches the description")
        .containsExactly(stock);
    assertThat(registry.client().ids("q=nordics"))
        .as("q searches tag values")
        .containsExactly(churn);
    assertThat(registry.client().ids("domain=no-such-domain")).isEmpty();

    JsonObject filtered = registry.client().list("domain=" + domain);
    assertThat(filtered.getInteger("count"))
        .isEqualTo(2)
        .isEqualTo(filtered.getJsonArray("widgets").size());
    JsonObject all = registry.client().list();
    assertThat(all.getInteger("count"))
        .isEqualTo(all.getJsonArray("widgets").size())
        .isGreaterThanOrEqualTo(3);
  }

  @Test
  void listIsOrderedByLabelThenId() {
    String domain = TestManifests.id("order");
    String b = domain + "-b";
    String a2 = domain + "-a2";
    String a1 = domain + "-a1";
    // registered in the reverse of the expected order, so insertion order cannot pass the test
    registry
        .client()
        .register(TestManifests.manifest(b).put("domain", domain).put("label", "beta"));
    registry
        .client()
        .register(TestManifests.manifest(a2).put("domain", domain).put("label", "Alpha"));
    registry
        .client()
        .register(TestManifests.manifest(a1).put("domain", domain).put("label", "alpha"));

    // labels compare ignoring case; equal labels are ordered by id
    assertThat(registry.client().ids("domain=" + domain)).containsExactly(a1, a2, b);
  }

  @Test
  void deleteRemovesTheWidgetOnce() {
    String id = TestManifests.id("delete");
    registry.client().register(TestManifests.manifest(id));

    HttpResponse<Buffer> deleted = registry.client().delete(id);
    assertThat(deleted.statusCode()).isEqualTo(204);
    assertThat(deleted.body())
        .satisfiesAnyOf(b -> assertThat(b).isNull(), b -> assertThat(b.length()).isZero());

    assertThat(registry.client().widget(id)).isNull();
    assertThat(registry.client().ids()).doesNotContain(id);
    HttpResponse<Buffer> again = registry.client().delete(id);
    assertThat(again.statusCode()).isEqualTo(404);
    assertThat(again.bodyAsJsonObject().getInteger("status")).isEqualTo(404);
    assertThat(again.bodyAsJsonObject().getString("message")).contains(id);
  }

  @Test
  void heartbeatExtendsTheLifeOfAKnownWidgetOnly() throws InterruptedException {
    String id = TestManifests.id("beat");
    JsonObject registered = registry.client().register(TestManifests.manifest(id));
    Thread.sleep(20);

    HttpResponse<Buffer> beat = registry.client().heartbeat(id);
    assertThat(beat.statusCode()).isEqualTo(200);
    JsonObject widget = beat.bodyAsJsonObject();
    assertThat(widget.getString("id")).isEqualTo(id);
    assertThat(widget.getJsonObject("manifest")).isEqualTo(registered.getJsonObject("manifest"));
    assertThat(Instant.parse(widget.getString("expiresAt")))
        .isAfter(Instant.parse(registered.getString("expiresAt")));
    assertThat(registry.client().widget(id).getString("expiresAt"))
        .isEqualTo(widget.getString("expiresAt"));

    HttpResponse<Buffer> unknown =
        registry.client().heartbeat(TestManifests.id("never-registered"));
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.bodyAsJsonObject().getString("message")).contains("PUT /api/widgets/");
  }

  @Test
  void servesTheManifestSchema() {
    HttpResponse<Buffer> response = registry.client().get("/api/schemas/widget-manifest.json");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).startsWith("application/schema+json");
    JsonObject schema = response.bodyAsJsonObject();
    assertThat(schema).isEqualTo(Contract.load(Contract.WIDGET_MANIFEST).schema());
    assertThat(schema.getJsonArray("required")).contains("id", "tag", "label", "module");
  }
}
