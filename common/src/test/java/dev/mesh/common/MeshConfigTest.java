package dev.mesh.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MeshConfigTest {

  @Test
  void defaultsComeFromTheSettings() {
    MeshConfig config = MeshConfig.defaults();
    assertThat(config.port(Setting.GATEWAY_PORT)).isEqualTo(8080);
    assertThat(config.seconds(Setting.REGISTRY_TTL_SECONDS)).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.isSet(Setting.DATABASE_URL)).isFalse();
    assertThat(config.choice(Setting.CLUSTER_JOIN, ClusterSetup.Join.class))
        .isEqualTo(ClusterSetup.Join.TCP);
  }

  @Test
  void valuesAreReadAsTheEnvironmentGivesThem() {
    MeshConfig config =
        MeshConfig.of(
            new JsonObject()
                .put("MESH_GATEWAY_PORT", " 9090 ")
                .put("MESH_CLUSTER_MEMBERS", "10.0.0.1, 10.0.0.2:5702,,")
                .put("MESH_CLUSTER_JOIN", "Kubernetes"));
    assertThat(config.port(Setting.GATEWAY_PORT)).isEqualTo(9090);
    assertThat(config.list(Setting.CLUSTER_MEMBERS))
        .isEqualTo(List.of("10.0.0.1", "10.0.0.2:5702"));
    assertThat(config.choice(Setting.CLUSTER_JOIN, ClusterSetup.Join.class))
        .isEqualTo(ClusterSetup.Join.KUBERNETES);
  }

  @Test
  void badValuesNameTheVariableAndWhatIsExpected() {
    MeshConfig config =
        MeshConfig.of(
            new JsonObject()
                .put("MESH_GATEWAY_PORT", "eighty")
                .put("MESH_REGISTRY_PORT", "70000")
                .put("MESH_REGISTRY_TTL_SECONDS", "0")
                .put("MESH_CLUSTER_JOIN", "multicast"));
    assertThatThrownBy(() -> config.port(Setting.GATEWAY_PORT))
        .hasMessage("MESH_GATEWAY_PORT must be an integer, got 'eighty'");
    assertThatThrownBy(() -> config.port(Setting.REGISTRY_PORT))
        .hasMessage("MESH_REGISTRY_PORT must be a port number from 0 to 65535, got '70000'");
    assertThatThrownBy(() -> config.seconds(Setting.REGISTRY_TTL_SECONDS))
        .hasMessage("MESH_REGISTRY_TTL_SECONDS must be a positive integer, got '0'");
    assertThatThrownBy(() -> config.choice(Setting.CLUSTER_JOIN, ClusterSetup.Join.class))
        .hasMessageContaining("MESH_CLUSTER_JOIN must be one of [tcp, kubernetes]");
  }

  @Test
  void withReturnsACopy() {
    MeshConfig original = MeshConfig.defaults();
    MeshConfig changed = original.with(Setting.DATABASE_URL, "postgresql://db/mesh");
    assertThat(changed.string(Setting.DATABASE_URL)).isEqualTo("postgresql://db/mesh");
    assertThat(original.isSet(Setting.DATABASE_URL)).isFalse();
    assertThat(MeshConfig.of(changed.toJson()).string(Setting.DATABASE_URL))
        .isEqualTo("postgresql://db/mesh");
  }

  @Test
  void databaseCredentialsOverrideTheUrl() {
    MeshConfig config =
        MeshConfig.defaults()
            .with(Setting.DATABASE_URL, "postgresql://someone:old@db.example:6543/layouts")
            .with(Setting.DATABASE_PASSWORD, "from-a-secret");
    var options = Databases.connectOptions(config);
    assertThat(options.getHost()).isEqualTo("db.example");
    assertThat(options.getPort()).isEqualTo(6543);
    assertThat(options.getDatabase()).isEqualTo("layouts");
    assertThat(options.getUser()).isEqualTo("someone");
    assertThat(options.getPassword()).isEqualTo("from-a-secret");
    assertThatThrownBy(() -> Databases.connectOptions(MeshConfig.defaults()))
        .hasMessageContaining("MESH_DATABASE_URL is not set");
  }
}
