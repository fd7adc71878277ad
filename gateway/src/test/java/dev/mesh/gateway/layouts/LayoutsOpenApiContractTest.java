package dev.mesh.gateway.layouts;

import static dev.mesh.testing.TestCluster.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.common.Setting;
import dev.mesh.testing.Layouts;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every kind of answer the layouts API gives, checked against openapi/layouts.yaml, so that the
 * page built against the contract and the running API cannot drift apart.
 */
class LayoutsOpenApiContractTest {

  private static LayoutsUnderTest gateway;
  private static ResponseValidator validator;

  @BeforeAll
  static void start() {
    gateway =
        LayoutsUnderTest.start(
            config ->
                config
                    .with(Setting.LAYOUT_MAX_BYTES, 4096)
                    .with(Setting.ROLE_EDITORS, "alice,bob"));
    OpenAPIContract contract =
        await(OpenAPIContract.from(gateway.node().vertx(), LayoutRequests.CONTRACT));
    validator = ResponseValidator.create(gateway.node().vertx(), contract);
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  private static void check(String operation, int expectedStatus, Reply reply) {
    assertThat(reply.status()).as(operation + ": " + reply).isEqualTo(expectedStatus);
    Buffer body = reply.body();
    ValidatableResponse response =
        body == null || body.length() == 0
            ? ValidatableResponse.create(reply.status())
            : ValidatableResponse.create(reply.status(), body, reply.header("Content-Type"));
    await(validator.validate(response, operation));
  }

  @Test
  void everyAnswerMatchesTheContract() {
    Caller alice = gateway.as("alice", "sales");
    Caller bob = gateway.as("bob");
    Caller vera = gateway.as("vera");
    JsonObject content = Contents.row("sales-table", "sales-chart");

    check("getMe", 200, alice.get("/api/me"));
    check("getMe", 400, gateway.as("x".repeat(300)).get("/api/me"));

    Reply created =
        alice.post(
            "/api/layouts", new JsonObject().put("name", "Contract").put("content", content));
    check("createLayout", 201, created);
    String id = created.json().getString("id");
    check(
        "createLayout",
        400,
        alice.post("/api/layouts", new JsonObject().put("name", "").put("content", content)));
    check(
        "createLayout",
        403,
        vera.post("/api/layouts", new JsonObject().put("name", "v").put("content", content)));
    JsonObject big = Contents.row("sales-table");
    big.getJsonObject("config").put("padding", "x".repeat(5000));
    check(
        "createLayout",
        413,
        alice.post("/api/layouts", new JsonObject().put("name", "big").put("content", big)));

    check("listLayouts", 200, alice.get("/api/layouts"));
    check("listLayouts", 400, alice.get("/api/layouts?scope=nope"));
    check("getLayout", 200, alice.get("/api/layouts/" + id));
    check("getLayout", 404, bob.get("/api/layouts/" + id));
    check("getLayout", 400, alice.get("/api/layouts/nope"));

    check(
        "putShares",
        200,
        alice.put(
            "/api/layouts/" + id + "/shares",
            Layouts.shares(
                new JsonObject().put("role", "viewer"), Layouts.share("user", "bob", "viewer")),
            null));
    check(
        "putShares",
        400,
        alice.put("/api/layouts/" + id + "/shares", new JsonObject().put("shares", "bob"), null));
    check("getShares", 200, alice.get("/api/layouts/" + id + "/shares"));
    check("getShares", 403, bob.get("/api/layouts/" + id + "/shares"));
    check("getLayout", 200, alice.get("/api/layouts/" + id));
    check("getLayout", 200, bob.get("/api/layouts/" + id));

    check(
        "updateLayout",
        200,
        alice.put("/api/layouts/" + id, new JsonObject().put("name", "Contract 2"), "\"1\""));
    check(
        "updateLayout",
        409,
        alice.put("/api/layouts/" + id, new JsonObject().put("name", "Stale"), "\"1\""));
    check(
        "updateLayout",
        428,
        alice.put("/api/layouts/" + id, new JsonObject().put("name", "No version"), null));
    check(
        "updateLayout",
        403,
        bob.put("/api/layouts/" + id, new JsonObject().put("name", "Bob's"), "\"2\""));
    check(
        "updateLayout",
        404,
        gateway
            .as("stranger")
            .put("/api/layouts/" + id, new JsonObject().put("name", "x"), "\"2\""));

    check("listRevisions", 200, alice.get("/api/layouts/" + id + "/revisions"));
    check("getRevision", 200, alice.get("/api/layouts/" + id + "/revisions/1"));
    check("getRevision", 404, alice.get("/api/layouts/" + id + "/revisions/9"));
    check("getRevision", 400, alice.get("/api/layouts/" + id + "/revisions/x"));
    check(
        "restoreRevision",
        200,
        alice.post(
            "/api/layouts/" + id + "/revisions/1/restore", new JsonObject().put("version", 2)));
    check(
        "restoreRevision",
        409,
        alice.post(
            "/api/layouts/" + id + "/revisions/1/restore", new JsonObject().put("version", 2)));
    check("restoreRevision", 428, alice.post("/api/layouts/" + id + "/revisions/1/restore", null));

    Reply cloned = bob.post("/api/layouts/" + id + "/clone", null);
    check("cloneLayout", 201, cloned);
    String cloneId = cloned.json().getString("id");
    String token =
        alice.get("/api/layouts/" + id + "/shares").json().getJsonObject("link").getString("token");
    check("cloneLayout", 403, vera.post("/api/layouts/" + id + "/clone?link=" + token, null));
    check("cloneLayout", 404, vera.post("/api/layouts/" + UUID.randomUUID() + "/clone", null));
    check("getUpstream", 200, bob.get("/api/layouts/" + cloneId + "/upstream"));
    check("getUpstream", 404, alice.get("/api/layouts/" + id + "/upstream"));
    check(
        "pullUpstream",
        200,
        bob.post("/api/layouts/" + cloneId + "/pull", new JsonObject().put("version", 1)));
    check("pullUpstream", 428, bob.post("/api/layouts/" + cloneId + "/pull", null));

    Reply exported = alice.get("/api/layouts/" + id + "/export");
    check("exportLayout", 200, exported);
    check("importLayout", 201, alice.post("/api/layouts/import", exported.json()));
    check(
        "importLayout", 400, alice.post("/api/layouts/import", exported.json().put("format", "x")));
    check(
        "importLayout",
        400,
        alice.send(HttpMethod.POST, "/api/layouts/import", Buffer.buffer("{"), null));

    alice.put(
        "/api/layouts/" + id + "/shares",
        Layouts.shares(null, Layouts.share("user", "bob", "editor")),
        null);
    check("deleteLayout", 403, bob.delete("/api/layouts/" + id, null));
    check("deleteLayout", 409, alice.delete("/api/layouts/" + id, "\"1\""));
    check("deleteLayout", 204, alice.delete("/api/layouts/" + id, null));
    check("deleteLayout", 404, alice.delete("/api/layouts/" + id, null));
    check("getUpstream", 200, bob.get("/api/layouts/" + cloneId + "/upstream"));
  }
}
