package dev.mesh.gateway.identity.tokens;

import static dev.mesh.testing.TestCluster.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.common.MeshConfig;
import dev.mesh.common.MeshNode;
import dev.mesh.common.Setting;
import dev.mesh.common.TeamTokens;
import dev.mesh.gateway.GatewayVerticle;
import dev.mesh.registry.Registry;
import dev.mesh.testing.Http;
import dev.mesh.testing.Poll;
import dev.mesh.testing.Ports;
import dev.mesh.testing.TestCluster;
import dev.mesh.testing.TestDatabase;
import dev.mesh.testing.TestManifests;
import dev.mesh.testing.TestPostgres;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Teams' registration tokens with the real parts (docs/registry.md, "Team tokens"): a registry that
 * takes tokens only ({@code MESH_REGISTRY_REQUIRE_TOKEN}, besides the platform's token) on one
 * cluster member, a gateway with PostgreSQL on another, so every question about a token crosses the
 * cluster's event bus. The gateway is in mode local behind a proxy: the admin is whoever the
 * headers put in the group {@code admins}, from loopback.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TeamTokensTest {

  private static final String PLATFORM = "the platform's token";
  private static final String[] ADMIN = {"X-Forwarded-User", "ada", "X-Forwarded-Groups", "admins"};
  private static final String[] VIEWER = {"X-Forwarded-User", "vic", "X-Forwarded-Groups", "staff"};
  private static final String TOKENS = "/api/admin/team-tokens";

  @RegisterExtension static final TestCluster cluster = new TestCluster();
  private static TestDatabase database;
  private static MeshNode gatewayNode;
  private static Http gateway;
  private static Http registry;

  @BeforeAll
  static void start() {
    database = TestPostgres.newDatabase("team_tokens");
    int gatewayPort = Ports.free();
    int registryPort = Ports.free();
    MeshConfig config =
        cluster
            .config()
            .with(Setting.GATEWAY_PORT, gatewayPort)
            .with(Setting.REGISTRY_PORT, registryPort)
            .with(Setting.DATABASE_URL, database.url())
            .with(Setting.IDENTITY_LOCAL_USER, "")
            .with(Setting.IDENTITY_TRUST, "loopback")
            .with(Setting.ROLE_ADMINS, "admins")
            .with(Setting.REGISTRY_TOKEN, PLATFORM)
            .with(Setting.REGISTRY_REQUIRE_TOKEN, "true");
    cluster.start(config, Registry.verticles());
    gatewayNode = cluster.start(cluster.config());
    await(
        gatewayNode
            .vertx()
            .deployVerticle(
                new GatewayVerticle(), new DeploymentOptions().setConfig(config.toJson())));
    gateway = Http.onPort(gatewayPort);
    registry = Http.onPort(registryPort);
    Poll.until(
        Duration.ofSeconds(30),
        "the team tokens' schema is ready",
        () -> gateway.get(TOKENS, ADMIN).status() == 200);
    Poll.until(
        Duration.ofSeconds(30),
        "the gateway routes to the registry",
        () -> gateway.get("/api/widgets", VIEWER).status() == 200);
  }

  @Test
  @Order(1)
  void aTeamsTokenRegistersItsTeamsWidgetsAndNoOthers() {
    JsonObject created = create("sales", "the sales sidecar");
    String token = created.getString("token");
    assertThat(token).startsWith("mesh_").hasSize(5 + 43);
    assertThat(created.getString("team")).isEqualTo("sales");
    assertThat(created.getString("label")).isEqualTo("the sales sidecar");

    // its team's widget: registered, refreshed, registered again, removed
    String own = TestManifests.id("sales-table");
    Http.Answer registered = put(own, manifest(own, "sales"), token);
    assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
    assertThat(heartbeat(own, token).status()).isEqualTo(200);
    assertThat(put(own, manifest(own, "sales").put("label", "Sales, again"), token).status())
        .isEqualTo(200);

    // a manifest of another team: refused, nothing registered
    String theirs = TestManifests.id("campaigns");
    Http.Answer refused = put(theirs, manifest(theirs, "marketing"), token);
    assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
    assertThat(refused.message())
        .isEqualTo("team sales may not register widget " + theirs + " owned by marketing");
    assertThat(gateway.get("/api/widgets/" + theirs, VIEWER).status()).isEqualTo(404);

    // another team's widget, registered with the platform's token: the team's token may neither
    // take it over with a manifest naming itself, nor refresh it, nor remove it
    String existing = TestManifests.id("funnel");
    JsonObject marketing = manifest(existing, "marketing");
    assertThat(put(existing, marketing, PLATFORM).status()).isEqualTo(201);
    JsonObject before = gateway.get("/api/widgets/" + existing, VIEWER).json();
    Http.Answer takeover = put(existing, manifest(existing, "sales"), token);
    assertThat(takeover.status()).as(takeover.toString()).isEqualTo(403);
    assertThat(takeover.message())
        .isEqualTo("team sales may not register widget " + existing + " owned by marketing");
    Http.Answer refresh = heartbeat(existing, token);
    assertThat(refresh.status()).as(refresh.toString()).isEqualTo(403);
    assertThat(refresh.message()).contains("team sales may not refresh widget " + existing);
    Http.Answer removal =
        gateway.send(
            "DELETE", "/api/widgets/" + existing, null, "Authorization", "Bearer " + token);
    assertThat(removal.status()).as(removal.toString()).isEqualTo(403);
    JsonObject after = gateway.get("/api/widgets/" + existing, VIEWER).json();
    assertThat(after.getJsonObject("manifest")).isEqualTo(marketing);
    assertThat(after.getString("lastUpdated")).isEqualTo(before.getString("lastUpdated"));
    assertThat(after.getString("expiresAt")).isEqualTo(before.getString("expiresAt"));

    // the original API: the owner is the tag of that name
    String v1 = TestManifests.id("v1-sales");
    JsonObject registration = TestManifests.v1Registration(v1);
    registration.getJsonObject("tags").put("owner", "sales");
    Http.Answer v1Own =
        gateway.sendJson(
            "POST", "/api/v1/registry/" + v1, registration, "Authorization", "Bearer " + token);
    assertThat(v1Own.status()).as(v1Own.toString()).isEqualTo(200);
    String v1Other = TestManifests.id("v1-other");
    Http.Answer v1Theirs =
        gateway.sendJson(
            "POST",
            "/api/v1/registry/" + v1Other,
            TestManifests.v1Registration(v1Other),
            "Authorization",
            "Bearer " + token);
    assertThat(v1Theirs.status()).as(v1Theirs.toString()).isEqualTo(403);
    assertThat(v1Theirs.message()).contains("owned by unknown");

    Http.Answer removed =
        gateway.send("DELETE", "/api/widgets/" + own, null, "Authorization", "Bearer " + token);
    assertThat(removed.status()).as(removed.toString()).isEqualTo(204);
  }

  @Test
  @Order(2)
  void unknownAndRevokedTokensAreRefused() {
    String id = TestManifests.id("sales-chart");
    Http.Answer unknown = put(id, manifest(id, "sales"), "mesh_" + "A".repeat(43));
    assertThat(unknown.status()).as(unknown.toString()).isEqualTo(401);
    assertThat(unknown.header("WWW-Authenticate")).startsWith("Bearer");
    Http.Answer none = gateway.sendJson("PUT", "/api/widgets/" + id, manifest(id, "sales"));
    assertThat(none.status()).as("no token, though MESH_REGISTRY_TOKEN is set").isEqualTo(401);

    JsonObject created = create("sales", "to be revoked");
    String token = created.getString("token");
    assertThat(put(id, manifest(id, "sales"), token).status()).isEqualTo(201);
    Http.Answer revoked =
        gateway.send("DELETE", TOKENS + "/" + created.getString("id"), null, ADMIN);
    assertThat(revoked.status()).as(revoked.toString()).isEqualTo(204);
    long revokedAt = System.nanoTime();
    // the registry remembers a known token for 5 s at most
    Poll.until(
        Duration.ofSeconds(10),
        "the revoked token is refused",
        () -> heartbeat(id, token).status() == 401);
    assertThat(Duration.ofNanos(System.nanoTime() - revokedAt)).isLessThan(Duration.ofSeconds(7));
    assertThat(put(id, manifest(id, "sales"), token).status()).isEqualTo(401);

    JsonObject listed = listed(created.getString("id"));
    assertThat(listed.getString("revoked")).isNotNull();
    assertThat(listed.getString("lastUsed")).isNotNull();
    assertThat(gateway.send("DELETE", TOKENS + "/" + UUID.randomUUID(), null, ADMIN).status())
        .isEqualTo(404);
    assertThat(gateway.send("DELETE", TOKENS + "/not-an-id", null, ADMIN).status()).isEqualTo(404);
  }

  @Test
  @Order(3)
  void aTokenIsStoredAsItsHashAndNeverListed() {
    JsonObject created = create("sales", "");
    String token = created.getString("token");
    String id = created.getString("id");
    assertThat(
            database.text(
                "SELECT token_hash FROM identity.team_tokens WHERE id = ?", UUID.fromString(id)))
        .isEqualTo(TeamTokens.hash(token));
    assertThat(
            database.number(
                "SELECT count(*) FROM identity.team_tokens t WHERE row_to_json(t)::text LIKE ?",
                "%" + token.substring(5) + "%"))
        .as("rows holding the token")
        .isZero();

    Http.Answer list = gateway.get(TOKENS, ADMIN);
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.body())
        .doesNotContain(token.substring(5))
        .doesNotContain(TeamTokens.hash(token));
    JsonObject entry = listed(id);
    assertThat(entry.fieldNames())
        .isEqualTo(Set.of("id", "team", "label", "createdBy", "created", "revoked", "lastUsed"));
    assertThat(entry.getString("createdBy")).isEqualTo("ada");
    assertThat(entry.getString("revoked")).isNull();
  }

  @Test
  @Order(4)
  void onlyAdminsManageTokensAndBadRequestsSayWhy() {
    for (String[] who : new String[][] {VIEWER, {}}) {
      int expected = who.length == 0 ? 401 : 403;
      assertThat(gateway.get(TOKENS, who).status()).isEqualTo(expected);
      assertThat(
              gateway.sendJson("POST", TOKENS, new JsonObject().put("team", "sales"), who).status())
          .isEqualTo(expected);
      assertThat(gateway.send("DELETE", TOKENS + "/" + UUID.randomUUID(), null, who).status())
          .isEqualTo(expected);
    }
    Http.Answer noTeam =
        gateway.sendJson("POST", TOKENS, new JsonObject().put("label", "x"), ADMIN);
    assertThat(noTeam.status()).isEqualTo(400);
    assertThat(noTeam.message()).contains("team");
    Http.Answer blank = gateway.sendJson("POST", TOKENS, new JsonObject().put("team", "  "), ADMIN);
    assertThat(blank.status()).isEqualTo(400);
    assertThat(blank.json().getJsonArray("problems").encode()).contains("/team");
    Http.Answer tooLong =
        gateway.sendJson("POST", TOKENS, new JsonObject().put("team", "x".repeat(101)), ADMIN);
    assertThat(tooLong.status()).isEqualTo(400);
    Http.Answer extra =
        gateway.sendJson(
            "POST", TOKENS, new JsonObject().put("team", "sales").put("token", "mine"), ADMIN);
    assertThat(extra.status()).as("a token cannot be chosen").isEqualTo(400);
    Http.Answer notJson =
        gateway.send(
            "POST",
            TOKENS,
            "team=sales".getBytes(java.nio.charset.StandardCharsets.UTF_8),
            "Content-Type",
            "application/json",
            ADMIN[0],
            ADMIN[1],
            ADMIN[2],
            ADMIN[3]);
    assertThat(notJson.status()).isEqualTo(400);
  }

  /** Last: without the gateway, a team's token cannot be checked: 503, never 500 or 401. */
  @Test
  @Order(5)
  void withoutTheGatewayATeamsTokenIsAnsweredWithRetryAfter() {
    String token = create("sales", "").getString("token");
    cluster.stop(gatewayNode);
    String id = TestManifests.id("offline");
    Http.Answer answer =
        registry.sendJson(
            "PUT", "/api/widgets/" + id, manifest(id, "sales"), "Authorization", "Bearer " + token);
    assertThat(answer.status()).as(answer.toString()).isEqualTo(503);
    assertThat(answer.header("Retry-After")).isNotNull();
    // the platform's token needs nobody
    assertThat(put(registry, id, manifest(id, "sales"), PLATFORM).status()).isEqualTo(201);
  }

  private static JsonObject create(String team, String label) {
    Http.Answer answer =
        gateway.sendJson(
            "POST", TOKENS, new JsonObject().put("team", team).put("label", label), ADMIN);
    assertThat(answer.status()).as(answer.toString()).isEqualTo(201);
    assertThat(answer.header("Location")).isEqualTo(TOKENS + "/" + answer.json().getString("id"));
    return answer.json();
  }

  private static JsonObject listed(String id) {
    JsonArray tokens = gateway.get(TOKENS, ADMIN).json().getJsonArray("tokens");
    return tokens.stream()
        .map(JsonObject.class::cast)
        .filter(t -> id.equals(t.getString("id")))
        .findFirst()
        .orElseThrow();
  }

  private static JsonObject manifest(String id, String owner) {
    return TestManifests.manifest(id).put("owner", owner);
  }

  private static Http.Answer put(String id, JsonObject manifest, String token) {
    return put(gateway, id, manifest, token);
  }

  private static Http.Answer put(Http to, String id, JsonObject manifest, String token) {
    return to.sendJson("PUT", "/api/widgets/" + id, manifest, "Authorization", "Bearer " + token);
  }

  private static Http.Answer heartbeat(String id, String token) {
    return gateway.send(
        "POST", "/api/widgets/" + id + "/heartbeat", null, "Authorization", "Bearer " + token);
  }
}
