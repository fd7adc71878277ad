package dev.mesh.gateway;

import static dev.mesh.testing.TestCluster.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.common.MeshNode;
import dev.mesh.registry.Registry;
import dev.mesh.testing.TestCluster;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.servicediscovery.Record;
import io.vertx.servicediscovery.ServiceDiscovery;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The gateway finds the registry through discovery records, wherever it runs in the cluster: a JSON
 * 503 while no registry is up, the registry's answers once one has joined, and 503 again after it
 * left.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayRoutingTest {

  @RegisterExtension static final TestCluster cluster = new TestCluster();
  private static MeshNode gatewayNode;
  private static MeshNode registryNode;
  private static WebClient client;
  private static int port;

  @BeforeAll
  static void start() {
    gatewayNode = cluster.start(cluster.config(), Gateway.verticles());
    client = WebClient.create(gatewayNode.vertx());
    Record record =
        await(
            ServiceDiscovery.create(gatewayNode.vertx())
                .getRecord(r -> GatewayVerticle.SERVICE_NAME.equals(r.getName())));
    port = record.getLocation().getInteger("port");
  }

  @Test
  @Order(1)
  void withoutRegistryTheApiAnswersAJson503() {
    HttpResponse<Buffer> response = await(client.get(port, "127.0.0.1", "/api/widgets").send());
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.bodyAsJsonObject().getString("message")).contains("registry");
    assertThat(response.getHeader("Retry-After")).isNotNull();
  }

  @Test
  @Order(2)
  void aRegistryOnAnotherMemberIsReachedThroughTheGateway() throws Exception {
    registryNode = cluster.start(cluster.config(), Registry.verticles());
    HttpResponse<Buffer> response = poll("/api/widgets", 200);
    assertThat(response.bodyAsJsonObject().getInteger("count")).isZero();

    JsonObject manifest =
        new JsonObject()
            .put("tag", "sales-table")
            .put("label", "Sales")
            .put("module", "/w/sales-table/table.js")
            .put("version", "1.0.0")
            .put("owner", "sales")
            .put("domain", "sales")
            .put("domainKind", "aggregate");
    HttpResponse<Buffer> put =
        await(client.put(port, "127.0.0.1", "/api/widgets/sales-table").sendJsonObject(manifest));
    assertThat(put.statusCode()).isEqualTo(201);
    assertThat(await(client.get(port, "127.0.0.1", "/api/v1/registry").send()).bodyAsJsonArray())
        .hasSize(1);
    assertThat(
            await(client.get(port, "127.0.0.1", "/api/schemas/widget-manifest.json").send())
                .bodyAsJsonObject()
                .getString("title"))
        .isEqualTo("Mesh widget manifest");
  }

  @Test
  @Order(3)
  void whenTheRegistryLeavesTheGatewayStopsRoutingToIt() throws Exception {
    cluster.stop(registryNode);
    poll("/api/widgets", 503);
  }

  @Test
  @Order(4)
  void unknownPathsAreJson404() {
    HttpResponse<Buffer> response = await(client.get(port, "127.0.0.1", "/no/such/page").send());
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.bodyAsJsonObject().getString("message")).contains("/no/such/page");
  }

  private static HttpResponse<Buffer> poll(String path, int status) throws InterruptedException {
    HttpResponse<Buffer> last = null;
    for (int i = 0; i < 100; i++) {
      last = await(client.get(port, "127.0.0.1", path).send());
      if (last.statusCode() == status) {
        return last;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        "expected "
            + status
            + " from "
            + path
            + ", last "
            + last.statusCode()
            + " "
            + last.bodyAsString());
  }
}
