package dev.mesh.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.testing.TestManifests;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Everything the registry refuses: malformed or oversized bodies, manifests that break the
 * contract, bad ids, unknown resources, wrong methods and missing or wrong tokens. Each refusal is
 * a JSON error naming what is wrong, and leaves the registry exactly as it was.
 */
class RejectedRequestsTest {

  /** Widgets present before every test, so that a refusal that deletes or alters one is noticed. */
  private static final String KEPT = "kept-widget";

  private static final String KEPT_V1 = "kept-v1-widget";
  private static final int MAX_BODY = 65536; // the default of MESH_REGISTRY_MAX_BODY_BYTES

  private JsonObject before;
  private JsonArray beforeV1;

  @RegisterExtension
  static final RegistryUnderTest registry = RegistryUnderTest.of(RegistryClient.TOKEN, 300);

  @BeforeAll
  static void startRegistry() {
    registry.client().register(TestManifests.manifest(KEPT));
    assertThat(
            registry
                .client()
                .v1Register(KEPT_V1, TestManifests.v1Registration(KEPT_V1))
                .statusCode())
        .isEqualTo(200);
  }

  @BeforeEach
  void rememberContent() {
    before = registry.client().list();
    beforeV1 = registry.client().v1List();
    assertThat(RegistryClient.ids(before)).contains(KEPT, KEPT_V1);
  }

  @AfterEach
  void contentIsUnchanged() {
    assertThat(registry.client().list())
        .as("GET /api/widgets after the refused request")
        .isEqualTo(before);
    assertThat(registry.client().v1List())
        .as("GET /api/v1/registry after the refused request")
        .isEqualTo(beforeV1);
  }

  /** A request the registry must refuse, and what its error must say. */
  record Refusal(
      String name,
      HttpMethod method,
      String uri,
      String authorization,
      Buffer body,
      int status,
      String messageContains,
      String problemField) {
    Refusal withUri(String otherUri) {
      return new Refusal(
          name, method, otherUri, authorization, body, status, messageContains, problemField);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private static final String BEARER = "Bearer " + RegistryClient.TOKEN;

  private static Refusal put(
      String name, String id, Buffer body, int status, String message, String field) {
    return new Refusal(
        name, HttpMethod.PUT, "/api/widgets/" + id, BEARER, body, status, message, field);
  }

  private static Refusal invalidManifest(
      String name, UnaryOperator<JsonObject> change, String message, String field) {
    String id = "invalid-manifest";
    return put(name, id, change.apply(TestManifests.manifest(id)).toBuffer(), 400, message, field);
  }

  private static JsonObject without(JsonObject object, String field) {
    object.remove(field);
    return object;
  }

  // For a nested field the message names its top-level property (e.g. "/emits"); the exact path
  // (e.g. "/emits/0/topic") is in the problems.
  static Stream<Refusal> refusals() {
    List<Refusal> all = new ArrayList<>();
    // bodies that are not one JSON object
    all.add(
        put(
            "invalid JSON",
            "bad-json",
            Buffer.buffer("{\"id\": \"bad-json\", "),
            400,
            "not valid JSON",
            null));
    all.add(
        put(
            "array body",
            "array-body",
            new JsonArray().add(TestManifests.manifest("array-body")).toBuffer(),
            400,
            "must be a JSON object",
            null));
    all.add(
        put(
            "string body",
            "string-body",
            Buffer.buffer("\"a manifest\""),
            400,
            "must be a JSON object",
            null));
    all.add(put("empty body", "empty-body", Buffer.buffer(), 400, "no body", null));
    all.add(
        put(
            "refresh of an existing widget with invalid JSON",
            KEPT,
            Buffer.buffer("{oops"),
            400,
            "not valid JSON",
            null));
    // manifests that break the contract: the error names the field
    all.add(invalidManifest("empty label", m -> m.put("label", ""), "/label", "/label"));
    all.add(
        invalidManifest(
            "label of 81 characters", m -> m.put("label", "x".repeat(81)), "/label", "/label"));
    all.add(invalidManifest("missing label", m -> without(m, "label"), "label", null));
    all.add(invalidManifest("missing module", m -> without(m, "module"), "module", null));
    all.add(
        invalidManifest(
            "unknown domainKind",
            m -> m.put("domainKind", "mesh-aligned"),
            "/domainKind",
            "/domainKind"));
    all.add(
        invalidManifest(
            "javascript: module",
            m -> m.put("module", "javascript:alert(document.cookie)"),
            "/module",
            "/module"));
    all.add(
        invalidManifest(
            "data: module",
            m -> m.put("module", "data:text/javascript,alert(1)"),
            "/module",
            "/module"));
    all.add(
        invalidManifest(
            "javascript: css", m -> m.put("css", "javascript:alert(1)"), "/css", "/css"));
    all.add(
        invalidManifest(
            "tag without a hyphen", m -> m.put("tag", "salesbyregion"), "/tag", "/tag"));
    all.add(
        invalidManifest(
            "version that is not semantic",
            m -> m.put("version", "latest"),
            "/version",
            "/version"));
    all.add(invalidManifest("unknown property", m -> m.put("colour", "red"), "/colour", "/colour"));
    all.add(
        invalidManifest(
            "tag value that is not a string",
            m -> m.put("tags", new JsonObject().put("env", 3)),
            "/tags",
            "/tags/env"));
    all.add(
        invalidManifest(
            "attribute with a bad name",
            m -> m.put("attributes", new JsonArray().add(new JsonObject().put("name", "Bad Name"))),
            "/attributes",
            "/attributes/0/name"));
    all.add(
        invalidManifest(
            "emitted topic with a bad name",
            m -> m.put("emits", new JsonArray().add(new JsonObject().put("topic", "Not A Topic"))),
            "/emits",
            "/emits/0/topic"));
    all.add(
        invalidManifest(
                "invalid refresh of an existing widget",
                m -> TestManifests.manifest(KEPT).put("domainKind", "other"),
                "/domainKind",
                "/domainKind")
            .withUri("/api/widgets/" + KEPT));
    // the id
    all.add(
        put(
            "manifest id differing from the path",
            "path-id",
            TestManifests.manifest("body-id").toBuffer(),
            400,
            "differs",
            null));
    all.add(
        put(
            "manifest of another existing widget",
            "path-id-2",
            TestManifests.manifest(KEPT).toBuffer(),
            400,
            "differs",
            null));
    all.add(
        invalidManifest("manifest id that is not a string", m -> m.put("id", 7), "differs", null));
    String tooLong = "a".repeat(65);
    all.add(
        put(
            "PUT with a 65-character id",
            tooLong,
            TestManifests.manifest(tooLong).toBuffer(),
            400,
            "Invalid widget id",
            null));
    all.add(
        put(
            "PUT with a space in the id",
            "has%20space",
            TestManifests.manifest("has space").toBuffer(),
            400,
            "Invalid widget id",
            null));
    all.add(
        put(
            "PUT with an id starting with a dot",
            ".hidden",
            TestManifests.manifest(".hidden").toBuffer(),
            400,
            "Invalid widget id",
            null));
    all.add(
        new Refusal(
            "GET with a 65-character id",
            HttpMethod.GET,
            "/api/widgets/" + tooLong,
            null,
            null,
            400,
            "Invalid widget id",
            null));
    all.add(
        new Refusal(
            "DELETE with a space in the id",
            HttpMethod.DELETE,
            "/api/widgets/kept%20widget",
            BEARER,
            null,
            400,
            "Invalid widget id",
            null));
    all.add(
        new Refusal(
            "heartbeat with a 65-character id",
            HttpMethod.POST,
            "/api/widgets/" + tooLong + "/heartbeat",
            BEARER,
            null,
            400,
            "Invalid widget id",
            null));
    // size
    all.add(
        put(
            "body over the limit",
            "too-big",
            paddedManifest("too-big", MAX_BODY + 1),
            413,
            "limit of " + MAX_BODY,
            null));
    all.add(
        put(
            "refresh of an existing widget over the limit",
            KEPT,
            paddedManifest(KEPT, MAX_BODY + 1),
            413,
            "limit of " + MAX_BODY,
            null));
    all.add(
        new Refusal(
            "v1 body over the limit",
            HttpMethod.POST,
            "/api/v1/registry/too-big",
            BEARER,
            Buffer.buffer("{\"label\": \"" + "x".repeat(MAX_BODY) + "\"}"),
            413,
            "limit of " + MAX_BODY,
            null));
    all.add(
        new Refusal(
            "body over the limit without a token: the token is checked first",
            HttpMethod.PUT,
            "/api/widgets/too-big",
            null,
            paddedManifest("too-big", MAX_BODY + 1),
            401,
            "bearer token",
            null));
    // unknown resources
    all.add(
        new Refusal(
            "GET of an unknown widget",
            HttpMethod.GET,
            "/api/widgets/unknown-widget",
            null,
            null,
            404,
            "unknown-widget",
            null));
    all.add(
        new Refusal(
            "DELETE of an unknown widget",
            HttpMethod.DELETE,
            "/api/widgets/unknown-widget",
            BEARER,
            null,
            404,
            "unknown-widget",
            null));
    all.add(
        new Refusal(
            "heartbeat of an unknown widget",
            HttpMethod.POST,
            "/api/widgets/unknown-widget/heartbeat",
            BEARER,
            null,
            404,
            "unknown-widget",
            null));
    all.add(
        new Refusal(
            "unknown route",
            HttpMethod.GET,
            "/api/nothing-here",
            null,
            null,
            404,
            "/api/nothing-here",
            null));
    // methods
    all.add(
        new Refusal(
            "PATCH of a widget",
            HttpMethod.PATCH,
            "/api/widgets/" + KEPT,
            BEARER,
            new JsonObject().put("label", "patched").toBuffer(),
            405,
            "PATCH",
            null));
    all.add(
        new Refusal(
            "DELETE of the collection",
            HttpMethod.DELETE,
            "/api/widgets",
            BEARER,
            null,
            405,
            "DELETE",
            null));
    all.add(
        new Refusal(
            "POST to the collection",
            HttpMethod.POST,
            "/api/widgets",
            BEARER,
            TestManifests.manifest("posted").toBuffer(),
            405,
            "POST",
            null));
    all.add(
        new Refusal(
            "PUT of the collection",
            HttpMethod.PUT,
            "/api/widgets",
            BEARER,
            TestManifests.manifest("put-all").toBuffer(),
            405,
            "PUT",
            null));
    all.add(
        new Refusal(
            "GET of a heartbeat",
            HttpMethod.GET,
            "/api/widgets/" + KEPT + "/heartbeat",
            null,
            null,
            405,
            "GET",
            null));
    all.add(
        new Refusal(
            "DELETE through the v1 API",
            HttpMethod.DELETE,
            "/api/v1/registry/" + KEPT_V1,
            BEARER,
            null,
            405,
            "DELETE",
            null));
    // v1 bodies
    all.add(
        new Refusal(
            "v1 registration without webComponent",
            HttpMethod.POST,
            "/api/v1/registry/v1-bad",
            BEARER,
            new JsonObject().put("label", "No component").toBuffer(),
            400,
            "webComponent",
            null));
    all.add(
        new Refusal(
            "v1 registration with a javascript: jsUrl",
            HttpMethod.POST,
            "/api/v1/registry/v1-bad",
            BEARER,
            TestManifests.v1Registration("v1-bad")
                .put(
                    "webComponent",
                    new JsonObject()
                        .put("jsUrl", "javascript:alert(1)")
                        .put("componentId", "v1-bad"))
                .toBuffer(),
            400,
            "/webComponent",
            "/webComponent/jsUrl"));
    all.add(
        new Refusal(
            "v1 registration with an invalid componentId",
            HttpMethod.POST,
            "/api/v1/registry/v1-bad",
            BEARER,
            TestManifests.v1Registration("v1-bad")
                .put(
                    "webComponent",
                    new JsonObject().put("jsUrl", "/x.js").put("componentId", "NoHyphen"))
                .toBuffer(),
            400,
            "/webComponent",
            "/webComponent/componentId"));
    all.add(
        new Refusal(
            "v1 registration as an array",
            HttpMethod.POST,
            "/api/v1/registry/v1-bad",
            BEARER,
            new JsonArray().toBuffer(),
            400,
            "must be a JSON object",
            null));
    all.add(
        new Refusal(
            "v1 registration with a bad id",
            HttpMethod.POST,
            "/api/v1/registry/bad%20id",
            BEARER,
            TestManifests.v1Registration("x").toBuffer(),
            400,
            "Invalid widget id",
            null));
    // tokens
    String unauthenticated = "requires a bearer token";
    all.add(
        new Refusal(
            "PUT without a token",
            HttpMethod.PUT,
            "/api/widgets/no-token",
            null,
            TestManifests.manifest("no-token").toBuffer(),
            401,
            unauthenticated,
            null));
    all.add(
        new Refusal(
            "PUT with a wrong token",
            HttpMethod.PUT,
            "/api/widgets/wrong-token",
            "Bearer not-the-secret",
            TestManifests.manifest("wrong-token").toBuffer(),
            401,
            "not valid",
            null));
    all.add(
        new Refusal(
            "PUT with the token as a prefix",
            HttpMethod.PUT,
            "/api/widgets/wrong-token",
            BEARER + "x",
            TestManifests.manifest("wrong-token").toBuffer(),
            401,
            "not valid",
            null));
    all.add(
        new Refusal(
            "PUT with Basic credentials",
            HttpMethod.PUT,
            "/api/widgets/basic",
            "Basic c2VjcmV0OnNlY3JldA==",
            TestManifests.manifest("basic").toBuffer(),
            401,
            unauthenticated,
            null));
    all.add(
        new Refusal(
            "PUT with the bare token",
            HttpMethod.PUT,
            "/api/widgets/bare",
            RegistryClient.TOKEN,
            TestManifests.manifest("bare").toBuffer(),
            401,
            unauthenticated,
            null));
    all.add(
        new Refusal(
            "refresh of an existing widget without a token",
            HttpMethod.PUT,
            "/api/widgets/" + KEPT,
            null,
            TestManifests.manifest(KEPT).put("label", "Hijacked").toBuffer(),
            401,
            unauthenticated,
            null));
    all.add(
        new Refusal(
            "DELETE without a token",
            HttpMethod.DELETE,
            "/api/widgets/" + KEPT,
            null,
            null,
            401,
            unauthenticated,
            null));
    all.add(
        new Refusal(
            "DELETE with a wrong token",
            HttpMethod.DELETE,
            "/api/widgets/" + KEPT,
            "Bearer nope",
            null,
            401,
            "not valid",
            null));
    all.add(
        new Refusal(
            "heartbeat without a token",
            HttpMethod.POST,
            "/api/widgets/" + KEPT + "/heartbeat",
            null,
            null,
            401,
            unauthenticated,
            null));
    all.add(
        new Refusal(
            "v1 registration without a token",
            HttpMethod.POST,
            "/api/v1/registry/" + KEPT_V1,
            null,
            TestManifests.v1Registration(KEPT_V1).put("label", "Hijacked").toBuffer(),
            401,
            unauthenticated,
            null));
    all.add(
        new Refusal(
            "v1 registration with a wrong token",
            HttpMethod.POST,
            "/api/v1/registry/v1-new",
            "Bearer nope",
            TestManifests.v1Registration("v1-new").toBuffer(),
            401,
            "not valid",
            null));
    return all.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void isRefusedWithAJsonErrorAndChangesNothing(Refusal refusal) {
    HttpResponse<Buffer> response =
        registry
            .client()
            .sendWithAuthorization(
                refusal.method(), refusal.uri(), refusal.authorization(), refusal.body());

    assertThat(response.statusCode())
        .as("status of %s: %s", refusal, response.bodyAsString())
        .isEqualTo(refusal.status());
    assertThat(response.getHeader("Content-Type")).startsWith("application/json");
    JsonObject error = response.bodyAsJsonObject();
    assertThat(error.getInteger("status")).isEqualTo(refusal.status());
    assertThat(error.getString("message")).contains(refusal.messageContains());
    if (refusal.problemField() != null) {
      assertThat(error.getJsonArray("problems")).as("problems").isNotEmpty();
      assertThat(
              error.getJsonArray("problems").stream().map(p -> ((JsonObject) p).getString("field")))
          .contains(refusal.problemField());
    }
    if (refusal.status() == 401) {
      assertThat(response.getHeader("WWW-Authenticate")).startsWith("Bearer");
    }
  }

  @Test
  void bodyOfExactlyTheLimitIsAccepted() {
    String id = "at-the-limit";
    Buffer body = paddedManifest(id, MAX_BODY);
    assertThat(body.length()).isEqualTo(MAX_BODY);
    try {
      HttpResponse<Buffer> response =
          registry.client().send(HttpMethod.PUT, "/api/widgets/" + id, RegistryClient.TOKEN, body);
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    } finally {
      assertThat(registry.client().delete(id).statusCode()).isEqualTo(204);
    }
  }

  @Test
  void readsNeedNoToken() {
    assertThat(registry.client().get("/api/widgets").statusCode()).isEqualTo(200);
    assertThat(registry.client().get("/api/widgets/" + KEPT).statusCode()).isEqualTo(200);
    assertThat(registry.client().get("/api/v1/registry").statusCode()).isEqualTo(200);
    assertThat(registry.client().get("/api/v1/registry/" + KEPT_V1).statusCode()).isEqualTo(200);
    assertThat(registry.client().get("/api/schemas/widget-manifest.json").statusCode())
        .isEqualTo(200);
  }

  @ParameterizedTest(name = "Authorization: {0}")
  @ValueSource(strings = {"Bearer secret", "bearer secret", "BEARER   secret  "})
  void theRightTokenIsAcceptedInAnyCaseOfTheScheme(String authorization) {
    Buffer same = TestManifests.manifest(KEPT).toBuffer();
    HttpResponse<Buffer> response =
        registry
            .client()
            .sendWithAuthorization(HttpMethod.PUT, "/api/widgets/" + KEPT, authorization, same);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    // an identical refresh moves lastUpdated and expiresAt: forget them for the unchanged check
    before = registry.client().list();
    beforeV1 = registry.client().v1List();
  }

  /** A valid manifest padded with an extension field to exactly {@code size} bytes. */
  private static Buffer paddedManifest(String id, int size) {
    JsonObject manifest = TestManifests.manifest(id).put("x-padding", "");
    int missing = size - manifest.toBuffer().length();
    return manifest.put("x-padding", "p".repeat(missing)).toBuffer();
  }
}
