package dev.mesh.widgethost.sidecar;

import dev.mesh.common.HttpErrors;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import java.util.function.Supplier;

/**
 * The sidecar's own HTTP routes: {@code /health/live}, {@code /health/ready} and {@code /status}.
 *
 * <p>Not common's {@code Health}: that one checks the cluster, which a sidecar never joins.
 * Readiness does not depend on the registry either: the sidecar shares its pod with the widget's
 * server, and a registry outage must not take that pod out of its Service. It reports the
 * registrations as data, nothing more.
 */
final class SidecarEndpoints {

  private SidecarEndpoints() {}

  static Router router(Vertx vertx, Supplier<JsonObject> status) {
    Router router = Router.router(vertx);
    // no route reads a body, so the limit only shapes the (never sent) 413 message
    HttpErrors.install(router, 0);
    HealthChecks liveness =
        HealthChecks.create(vertx).register("event-loop", promise -> promise.complete(Status.OK()));
    HealthChecks readiness =
        HealthChecks.create(vertx)
            .register("sidecar", promise -> promise.complete(Status.OK(summary(status.get()))));
    router.get("/health/live").handler(HealthCheckHandler.createWithHealthChecks(liveness));
    router.get("/health/ready").handler(HealthCheckHandler.createWithHealthChecks(readiness));
    router.get("/status").handler(ctx -> ctx.json(status.get()));
    return router;
  }

  /**
   * How many widgets are in each state, e.g. {@code {"widgets": 2, "registered": 1, "retrying":
   * 1}}.
   */
  private static JsonObject summary(JsonObject status) {
    JsonObject summary = new JsonObject().put("widgets", status.getJsonArray("widgets").size());
    status
        .getJsonArray("widgets")
        .forEach(
            w -> {
              String state = ((JsonObject) w).getString("state");
              summary.put(state, summary.getInteger(state, 0) + 1);
            });
    return summary;
  }
}
