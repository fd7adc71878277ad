package dev.mesh.registry;

import static dev.mesh.testing.TestCluster.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.common.Contract;
import dev.mesh.common.MeshNode;
import dev.mesh.common.Setting;
import dev.mesh.testing.TestCluster;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import io.vertx.servicediscovery.Record;
import io.vertx.servicediscovery.ServiceDiscovery;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Every kind of answer the registry gives, checked against its OpenAPI file, so the documented API
 * and the running one cannot drift apart.
 */
class RegistryOpenApiContractTest {

  private static final String TOKEN = "contract-token";
  private static TestCluster cluster;
  private static WebClient client;
  private static ResponseValidator validator;
  private static int port;

  @BeforeAll
  static void start() {
    cluster = new TestCluster();
    MeshNode node =
        cluster.start(cluster.config().with(Setting.REGISTRY_TOKEN, TOKEN), Registry.verticles());
    client = WebClient.create(node.vertx());
    Record record =
        await(ServiceDiscovery.create(node.vertx()).getRecord(r -> "registry".equals(r.getName())));
    port = record.getLocation().getInteger("port");
    OpenAPIContract contract =
        await(
            OpenAPIContract.from(
                node.vertx(),
                contractWithoutSchemaRoute(),
                Map.of(
                    "https://mesh.dev/contracts/widget-manifest.schema.json",
                    Contract.load(Contract.WIDGET_MANIFEST).schema())));
    validator = ResponseValidator.create(node.vertx(), contract);
  }

  /**
   * The contract file, less the schema route: vertx-openapi 5.0.7 refuses to load a contract with
   * an application/schema+json response, so that route is checked by hand below.
   */
  private static JsonObject contractWithoutSchemaRoute() {
    try (InputStream in =
        RegistryOpenApiContractTest.class
            .getClassLoader()
            .getResourceAsStream("openapi/registry.yaml")) {
      JsonObject contract = new JsonObject(new Yaml().<Map<String, Object>>load(in));
      assertThat(contract.getJsonObject("paths").remove("/api/schemas/widget-manifest.json"))
          .isNotNull();
      return contract;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void everyAnswerMatchesTheContract() {
    JsonObject manifest =
        new JsonObject()
            .put("tag", "orders-chart")
            .put("label", "Orders")
            .put("module", "https://widgets.example.com/orders/chart.js")
            .put("version", "2.0.0")
            .put("owner", "orders")
            .put("domain", "orders")
            .put("domainKind", "source-aligned")
            .put(
                "emits",
                new io.vertx.core.json.JsonArray()
                    .add(
                        new JsonObject()
                            .put("topic", "row-selected")
                            .put("schema", new JsonObject().put("type", "object"))));

    check("registerWidget", 401, call(HttpMethod.PUT, "/api/widgets/orders-chart", null, manifest));
    check(
        "registerWidget", 201, call(HttpMethod.PUT, "/api/widgets/orders-chart", TOKEN, manifest));
    check(
        "registerWidget", 200, call(HttpMethod.PUT, "/api/widgets/orders-chart", TOKEN, manifest));
    check(
        "registerWidget",
        400,
        call(
            HttpMethod.PUT,
            "/api/widgets/orders-chart",
            TOKEN,
            manifest.copy().put("domainKind", "bogus")));
    check(
        "registerWidget",
        413,
        call(
            HttpMethod.PUT,
            "/api/widgets/orders-chart",
            TOKEN,
            manifest.copy().put("description", "x".repeat(70_000))));
    check("listWidgets", 200, call(HttpMethod.GET, "/api/widgets?domain=orders", null, null));
    check("getWidget", 200, call(HttpMethod.GET, "/api/widgets/orders-chart", null, null));
    check("getWidget", 404, call(HttpMethod.GET, "/api/widgets/nothing-here", null, null));
    check("getWidget", 400, call(HttpMethod.GET, "/api/widgets/bad%20id", null, null));
    check(
        "heartbeatWidget",
        200,
        call(HttpMethod.POST, "/api/widgets/orders-chart/heartbeat", TOKEN, null));
    check(
        "heartbeatWidget",
        404,
        call(HttpMethod.POST, "/api/widgets/nothing-here/heartbeat", TOKEN, null));
    // vertx-openapi 5.0.7 cannot validate the application/schema+json media type: checked by hand
    HttpResponse<Buffer> schema =
        call(HttpMethod.GET, "/api/schemas/widget-manifest.json", null, null);
    assertThat(schema.statusCode()).isEqualTo(200);
    assertThat(schema.getHeader("Content-Type")).isEqualTo("application/schema+json");
    assertThat(schema.bodyAsJsonObject().getString("$id"))
        .isEqualTo("https://mesh.dev/contracts/widget-manifest.schema.json");

    JsonObject v1 =
        new JsonObject()
            .put(
                "webComponent",
                new JsonObject()
                    .put("jsUrl", "path/to/component.js")
                    .put("cssUrl", "path/to/component.css")
                    .put("componentId", "comp-onent"))
            .put("label", "some friendly label")
            .put("tags", new JsonObject().put("env", "prod"));
    check("v1Register", 200, call(HttpMethod.POST, "/api/v1/registry/comp", TOKEN, v1));
    check(
        "v1Register",
        400,
        call(HttpMethod.POST, "/api/v1/registry/comp", TOKEN, new JsonObject().put("label", "x")));
    check("v1List", 200, call(HttpMethod.GET, "/api/v1/registry", null, null));
    check("v1Get", 200, call(HttpMethod.GET, "/api/v1/registry/comp", null, null));
    check("v1Get", 404, call(HttpMethod.GET, "/api/v1/registry/unknown", null, null));

    check("deleteWidget", 204, call(HttpMethod.DELETE, "/api/widgets/orders-chart", TOKEN, null));
    check("deleteWidget", 404, call(HttpMethod.DELETE, "/api/widgets/orders-chart", TOKEN, null));
  }

  private static HttpResponse<Buffer> call(
      HttpMethod method, String path, String token, JsonObject body) {
    var request = client.request(method, port, "127.0.0.1", path);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    return await(body == null ? request.send() : request.sendJsonObject(body));
  }

  private static void check(String operation, int expectedStatus, HttpResponse<Buffer> response) {
    assertThat(response.statusCode())
        .as(operation + ": " + response.bodyAsString())
        .isEqualTo(expectedStatus);
    Buffer body = response.body();
    ValidatableResponse validatable =
        body == null || body.length() == 0
            ? ValidatableResponse.create(response.statusCode())
            : ValidatableResponse.create(
                response.statusCode(), body, response.getHeader("Content-Type"));
    await(validator.validate(validatable, operation));
  }
}
