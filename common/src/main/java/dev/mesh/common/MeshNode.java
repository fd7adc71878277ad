package dev.mesh.common;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.shareddata.Shareable;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * One Mesh process's membership of the cluster: a clustered Vert.x on Hazelcast, with Prometheus
 * metrics. Verticles find it with {@link #of(Vertx)}.
 */
public final class MeshNode implements Shareable {

  private static final String LOCAL_MAP = "mesh.node";

  private final Vertx vertx;
  private final MeshConfig config;
  private final HazelcastClusterManager clusterManager;
  private final PrometheusMeterRegistry meterRegistry;

  private MeshNode(
      Vertx vertx,
      MeshConfig config,
      HazelcastClusterManager clusterManager,
      PrometheusMeterRegistry meterRegistry) {
    this.vertx = vertx;
    this.config = config;
    this.clusterManager = clusterManager;
    this.meterRegistry = meterRegistry;
  }

  /** Starts a clustered Vert.x that joins (or founds) the cluster named in the config. */
  public static Future<MeshNode> start(MeshConfig config) {
    HazelcastClusterManager clusterManager;
    try {
      clusterManager = new HazelcastClusterManager(ClusterSetup.hazelcastConfig(config));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    PrometheusMeterRegistry meterRegistry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    VertxOptions options = new VertxOptions().setMetricsOptions(metricsOptions(config));
    options.setEventBusOptions(eventBusOptions(config));
    return Vertx.builder()
        .with(options)
        .withClusterManager(clusterManager)
        .withMetrics(new MicrometerMetricsFactory(meterRegistry))
        .buildClustered()
        .map(
            vertx -> {
              MeshNode node = new MeshNode(vertx, config, clusterManager, meterRegistry);
              vertx.sharedData().getLocalMap(LOCAL_MAP).put(LOCAL_MAP, node);
              return node;
            });
  }

  private static MicrometerMetricsOptions metricsOptions(MeshConfig config) {
    MicrometerMetricsOptions options =
        new MicrometerMetricsOptions()
            .setEnabled(true)
            .setJvmMetricsEnabled(true)
            // unique, so several nodes in one test JVM keep their metrics apart
            .setRegistryName("mesh-" + UUID.randomUUID())
            // per-message meters cost the collector a tenth of its time per hit
            // (docs/benchmarks.md); the bus's
            // users count what matters themselves (bridge refusals, hits published, projections
            // applied)
            .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS);
    if (!config.flag(Setting.METRICS_HTTP_SERVER)) {
      options.addDisabledMetricsCategory(MetricsDomain.HTTP_SERVER);
    }
    return options;
  }

  private static EventBusOptions eventBusOptions(MeshConfig config) {
    EventBusOptions options = new EventBusOptions().setPort(config.port(Setting.EVENTBUS_PORT));
    if (config.choice(Setting.CLUSTER_JOIN, ClusterSetup.Join.class) == ClusterSetup.Join.TCP) {
      options.setHost(config.string(Setting.CLUSTER_HOST));
    } else {
      options.setHost("0.0.0.0").setClusterPublicHost(config.string(Setting.ADVERTISED_HOST));
    }
    return options;
  }

  /** The node a verticle runs on. */
  public static MeshNode of(Vertx vertx) {
    MeshNode node = (MeshNode) vertx.sharedData().getLocalMap(LOCAL_MAP).get(LOCAL_MAP);
    if (node == null) {
      throw new IllegalStateException("Mesh verticles run on a Vert.x started by MeshNode.start");
    }
    return node;
  }

  /** Deploys each verticle, one after the other, with this node's config. */
  public Future<Void> deploy(List<Supplier<? extends Deployable>> verticles) {
    return deploy(config, verticles);
  }

  /**
   * Deploys each verticle, one after the other, with the given config (e.g. one naming a database).
   */
  public Future<Void> deploy(MeshConfig config, List<Supplier<? extends Deployable>> verticles) {
    Future<Void> chain = Future.succeededFuture();
    for (Supplier<? extends Deployable> verticle : verticles) {
      chain =
          chain.compose(
              v ->
                  vertx
                      .deployVerticle(
                          verticle.get(), new DeploymentOptions().setConfig(config.toJson()))
                      .mapEmpty());
    }
    return chain;
  }

  public Vertx vertx() {
    return vertx;
  }

  public MeshConfig config() {
    return config;
  }

  /** This member's id in the cluster, stamped on every discovery record it publishes. */
  public String nodeId() {
    return clusterManager.getNodeId();
  }

  /** Ids of the members alive now, as this member sees them. */
  public List<String> members() {
    return clusterManager.getNodes();
  }

  public boolean clusterUp() {
    return clusterManager.isActive()
        && clusterManager.getHazelcastInstance().getLifecycleService().isRunning();
  }

  public PrometheusMeterRegistry meterRegistry() {
    return meterRegistry;
  }

  /** Undeploys every verticle (they un-publish their records) and leaves the cluster. */
  public Future<Void> close() {
    return vertx.close();
  }
}
