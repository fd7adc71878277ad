package dev.mesh.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import org.junit.jupiter.api.Test;

class ClusterSetupTest {

  @Test
  void laptopDefaultIsTcpOnLoopbackNeverMulticast() {
    Config hz = ClusterSetup.hazelcastConfig(MeshConfig.defaults());
    JoinConfig join = hz.getNetworkConfig().getJoin();
    assertThat(hz.getClusterName()).isEqualTo("mesh");
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().getMembers()).containsExactly("127.0.0.1");
    assertThat(hz.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("127.0.0.1");
    assertThat(hz.getNetworkConfig().getPort()).isEqualTo(5701);
    assertThat(hz.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("5");
    // Vert.x's own maps (event-bus subscriptions) come from its default configuration
    assertThat(hz.getMultiMapConfigs()).containsKey("__vertx.subs");
  }

  @Test
  void kubernetesUsesDnsLookupOfTheHeadlessService() {
    Config hz =
        ClusterSetup.hazelcastConfig(
            MeshConfig.defaults()
                .with(Setting.CLUSTER_JOIN, "kubernetes")
                .with(Setting.CLUSTER_K8S_SERVICE_DNS, "mesh-cluster.mesh.svc.cluster.local")
                .with(Setting.CLUSTER_NAME, "prod"));
    JoinConfig join = hz.getNetworkConfig().getJoin();
    assertThat(hz.getClusterName()).isEqualTo("prod");
    assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
    assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
    assertThat(join.getKubernetesConfig().getProperty("service-dns"))
        .isEqualTo("mesh-cluster.mesh.svc.cluster.local");
  }

  @Test
  void kubernetesWithoutAServiceNameIsAClearError() {
    assertThatThrownBy(
            () ->
                ClusterSetup.hazelcastConfig(
                    MeshConfig.defaults().with(Setting.CLUSTER_JOIN, "kubernetes")))
        .hasMessageContaining("MESH_CLUSTER_K8S_SERVICE_DNS");
  }
}
