package dev.mesh.common;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;

/**
 * The Hazelcast member configuration of every Mesh process. Starts from Vert.x's own defaults (the
 * maps the event bus needs) and sets the network from {@link MeshConfig}: TCP-IP join on loopback
 * by default, never multicast; Kubernetes DNS discovery when asked.
 */
public final class ClusterSetup {

  /** How cluster members find each other. */
  public enum Join {
    TCP,
    KUBERNETES
  }

  private ClusterSetup() {}

  public static Config hazelcastConfig(MeshConfig config) {
    Config hz = ConfigUtil.loadConfig();
    hz.setClusterName(config.string(Setting.CLUSTER_NAME));
    hz.setProperty("hazelcast.logging.type", "jdk");
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    // Vert.x closes the member itself on SIGTERM, after un-publishing; a second hook would race it
    hz.setProperty("hazelcast.shutdownhook.enabled", "false");
    hz.setProperty("hazelcast.wait.seconds.before.join", "0");
    // a killed member must be noticed within seconds: its widgets expire when it is gone
    int timeout = config.positive(Setting.CLUSTER_MEMBER_TIMEOUT_SECONDS);
    hz.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    hz.setProperty("hazelcast.max.no.heartbeat.seconds", String.valueOf(Math.max(2, timeout)));
    hz.setProperty("hazelcast.prefer.ipv4.stack", "true");
    hz.setProperty("hazelcast.tcp.join.port.try.count", "10");

    NetworkConfig network = hz.getNetworkConfig();
    network.setPort(config.port(Setting.CLUSTER_PORT)).setPortAutoIncrement(true).setPortCount(100);
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);

    switch (config.choice(Setting.CLUSTER_JOIN, Join.class)) {
      case TCP -> {
        String host = config.string(Setting.CLUSTER_HOST);
        network.getInterfaces().setEnabled(true).addInterface(host);
        hz.setProperty("hazelcast.local.localAddress", host);
        join.getTcpIpConfig()
            .setEnabled(true)
            .setConnectionTimeoutSeconds(1)
            .setMembers(config.list(Setting.CLUSTER_MEMBERS));
      }
      case KUBERNETES -> {
        if (!config.isSet(Setting.CLUSTER_K8S_SERVICE_DNS)) {
          throw new IllegalArgumentException(
              Setting.CLUSTER_K8S_SERVICE_DNS.key()
                  + " must name the headless service when "
                  + Setting.CLUSTER_JOIN.key()
                  + "=kubernetes");
        }
        join.getTcpIpConfig().setEnabled(false);
        join.getKubernetesConfig()
            .setEnabled(true)
            .setProperty("service-dns", config.string(Setting.CLUSTER_K8S_SERVICE_DNS))
            .setProperty("service-port", String.valueOf(config.port(Setting.CLUSTER_PORT)));
      }
    }
    return hz;
  }
}
