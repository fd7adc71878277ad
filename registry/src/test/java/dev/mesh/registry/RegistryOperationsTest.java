package dev.mesh.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.common.MeshVerticle;
import dev.mesh.testing.TestCluster;
import dev.mesh.testing.TestManifests;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.servicediscovery.Record;
import io.vertx.servicediscovery.ServiceDiscovery;
import io.vertx.servicediscovery.types.HttpEndpoint;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What an operator and the gateway rely on: health, readiness, Prometheus metrics and the endpoint
 * record.
 */
class RegistryOperationsTest {

  // no token configured: registrations are open
  @RegisterExtension static final RegistryUnderTest registry = RegistryUnderTest.of(null, 120);

  @Test
  void isLive() {
    HttpResponse<Buffer> response = registry.client().get("/health/live");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getString("outcome")).isEqualTo("UP");
  }

  @Test
  void isReadyWhileTheClusterIsUp() {
    HttpResponse<Buffer> response = registry.client().get("/health/ready");
    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject health = response.bodyAsJsonObject();
    assertThat(health.getString("outcome")).isEqualTo("UP");
    assertThat(health.getJsonArray("checks").stream().map(JsonObject.class::cast))
        .anySatisfy(
            check -> {
              assertThat(check.getString("id")).isEqualTo("cluster");
              assertThat(check.getString("status")).isEqualTo("UP");
            });
  }

  @Test
  void metricsCountTheRequestsServed() {
    HttpResponse<Buffer> first = registry.client().get("/metrics");
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.getHeader("Content-Type")).startsWith("text/plain");
    assertThat(first.bodyAsString())
        .contains("# TYPE vertx_http_server_requests_total counter", "jvm_memory_used_bytes");
    double before = notFoundCount(first.bodyAsString());

    for (int i = 0; i < 3; i++) {
      assertThat(registry.client().get("/api/widgets/metrics-probe-" + i).statusCode())
          .isEqualTo(404);
    }

    assertThat(notFoundCount(registry.client().get("/metrics").bodyAsString()))
        .isEqualTo(before + 3);
  }

  @Test
  void withoutATokenConfiguredRegistrationsAreOpen() {
    String id = TestManifests.id("open");
    HttpResponse<Buffer> response =
        registry
            .client()
            .send(
                io.vertx.core.http.HttpMethod.PUT,
                "/api/widgets/" + id,
                null,
                TestManifests.manifest(id).toBuffer());
    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(
            registry
                .client()
                .send(io.vertx.core.http.HttpMethod.DELETE, "/api/widgets/" + id, null, null)
                .statusCode())
        .isEqualTo(204);
  }

  @Test
  void publishesItsHttpEndpointForTheGateway() {
    ServiceDiscovery discovery = ServiceDiscovery.create(registry.node().vertx());
    try {
      List<Record> records =
          TestCluster.await(
              discovery.getRecords(r -> RegistryApiVerticle.SERVICE_NAME.equals(r.getName())));
      assertThat(records).hasSize(1);
      Record record = records.get(0);
      assertThat(record.getType()).isEqualTo(HttpEndpoint.TYPE);
      assertThat(record.getLocation().getString("host")).isEqualTo("127.0.0.1");
      assertThat(record.getLocation().getInteger("port")).isEqualTo(registry.client().port());
      assertThat(record.getMetadata().getString(MeshVerticle.SERVICE)).isEqualTo("registry");
      assertThat(record.getMetadata().getString(MeshVerticle.MEMBER))
          .isEqualTo(registry.node().nodeId());
    } finally {
      discovery.close();
    }
  }

  @Test
  void endpointRecordIsNotListedAsAWidget() {
    assertThat(registry.client().ids()).doesNotContain(RegistryApiVerticle.SERVICE_NAME);
    assertThat(
            registry.client().get("/api/widgets/" + RegistryApiVerticle.SERVICE_NAME).statusCode())
        .isEqualTo(404);
  }

  private static final Pattern NOT_FOUND =
      Pattern.compile(
          "^vertx_http_server_requests_total\\{code=\"404\",method=\"GET\"[^}]*} ([0-9.E]+)$",
          Pattern.MULTILINE);

  private static double notFoundCount(String metrics) {
    Matcher matcher = NOT_FOUND.matcher(metrics);
    return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
  }
}
