package dev.mesh.common;

import io.vertx.core.Vertx;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.sqlclient.Pool;

/**
 * The operational routes every service serves: {@code /health/live}, {@code /health/ready} and
 * {@code /metrics}. Liveness only says the event loop answers; readiness adds the dependencies a
 * service cannot work without (always the cluster, the database where there is one).
 */
public final class Health {

  /** Paths of the health routes; the Helm chart's probes ask them (its tests check). */
  public static final String LIVE_PATH = "/health/live";

  public static final String READY_PATH = "/health/ready";

  private final Vertx vertx;
  private final HealthChecks readiness;

  private Health(Vertx vertx) {
    this.vertx = vertx;
    MeshNode node = MeshNode.of(vertx);
    this.readiness =
        HealthChecks.create(vertx)
            .register(
                "cluster",
                promise -> promise.complete(node.clusterUp() ? Status.OK() : Status.KO()));
  }

  public static Health of(Vertx vertx) {
    return new Health(vertx);
  }

  /** Ready only while {@code SELECT 1} answers within two seconds. */
  public Health withDatabase(Pool pool) {
    readiness.register(
        "database",
        2000,
        promise ->
            pool.query("SELECT 1")
                .execute()
                .map(rows -> Status.OK())
                .otherwise(
                    failure ->
                        Status.KO(
                            new io.vertx.core.json.JsonObject()
                                .put("error", String.valueOf(failure.getMessage()))))
                .onComplete(promise));
    return this;
  }

  public Health withCheck(String name, java.util.function.BooleanSupplier check) {
    readiness.register(
        name, promise -> promise.complete(check.getAsBoolean() ? Status.OK() : Status.KO()));
    return this;
  }

  public void mount(Router router) {
    HealthChecks liveness =
        HealthChecks.create(vertx).register("event-loop", promise -> promise.complete(Status.OK()));
    router.get(LIVE_PATH).handler(HealthCheckHandler.createWithHealthChecks(liveness));
    router.get(READY_PATH).handler(HealthCheckHandler.createWithHealthChecks(readiness));
    router
        .get("/metrics")
        .handler(PrometheusScrapingHandler.create(MeshNode.of(vertx).meterRegistry()));
  }
}
