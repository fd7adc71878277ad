package dev.mesh.tracker;

import dev.mesh.common.Databases;
import dev.mesh.common.Health;
import dev.mesh.common.MeshVerticle;
import dev.mesh.common.Setting;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The query API the analytics widget reads ({@code /api/tracker/...}, described by {@code
 * openapi/tracker.yaml}), on its own port and endpoint record ({@value #SERVICE_NAME}), so that the
 * collector, which faces every visitor of every tracked site, and the API, which faces dashboards,
 * are routed and scaled apart.
 */
public final class TrackerQueryVerticle extends MeshVerticle {

  /**
   * Name of the query API's HTTP endpoint record, which the gateway routes {@code /api/tracker/*}
   * to.
   */
  public static final String SERVICE_NAME = "tracker-query";

  static final String CONTRACT = "openapi/tracker.yaml";

  /** Where answers come from: the PostgreSQL projections or the Pinot real-time table. */
  enum Backend {
    POSTGRES,
    PINOT
  }

  private final Clock clock;
  private Pool pool;
  private KafkaAdminClient admin;
  private WebClient pinot;

  public TrackerQueryVerticle() {
    this(Clock.systemUTC());
  }

  /** With the clock that says when "now" is (ranges ending now, visitors now). */
  TrackerQueryVerticle(Clock clock) {
    this.clock = clock;
  }

  @Override
  protected Future<?> startService() {
    pool = Databases.pool(vertx, settings);
    admin =
        KafkaAdminClient.create(
            vertx, KafkaClients.admin(settings, "mesh-tracker-query-" + node.nodeId()));
    int active = settings.positive(Setting.TRACKER_ACTIVE_PROJECTION);
    Analytics analytics =
        switch (settings.choice(Setting.TRACKER_QUERY_BACKEND, Backend.class)) {
          case POSTGRES -> new PostgresAnalytics(pool, active);
          case PINOT -> {
            pinot =
                WebClient.create(vertx, new WebClientOptions().setUserAgent("mesh-tracker-query"));
            try {
              yield new PinotAnalytics(
                  pinot,
                  settings.string(Setting.PINOT_BROKER_URL),
                  settings.string(Setting.PINOT_TABLE));
            } catch (IllegalArgumentException e) {
              throw new IllegalArgumentException(
                  Setting.PINOT_TABLE.key() + ": " + e.getMessage(), e);
            }
          }
        };
    ProjectionStatus status =
        new ProjectionStatus(pool, admin, settings.string(Setting.TRACKER_TOPIC), active, built());
    Router router = router(64 * 1024, Health.of(vertx).withDatabase(pool));

    return TrackerSchema.migrate(vertx, settings)
        .compose(v -> OpenAPIContract.from(vertx, CONTRACT))
        .compose(
            contract -> {
              new QueryApi(
                      analytics,
                      RequestValidator.create(vertx, contract),
                      status,
                      clock,
                      collectorPaths())
                  .mount(router);
              return vertx.fileSystem().readFile(CONTRACT);
            })
        .compose(
            yaml -> {
              router
                  .get("/api/tracker/openapi.yaml")
                  .handler(
                      ctx ->
                          ctx.response()
                              .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                              .end(yaml));
              return serve(router, Setting.TRACKER_QUERY_PORT, SERVICE_NAME);
            });
  }

  /**
   * Where the gateway routes the collector: the same settings tell it (deploy the tracker and the
   * gateway with the same values), so the snippet a widget shows is the one that works.
   */
  private JsonObject collectorPaths() {
    return new JsonObject()
        .put("pixel", settings.string(Setting.TRACKER_PIXEL_PATH))
        .put("script", settings.string(Setting.TRACKER_SCRIPT_PATH))
        .put("beacon", settings.string(Setting.TRACKER_BEACON_PATH));
  }

  private List<Integer> built() {
    List<Integer> versions = new ArrayList<>();
    for (String value : settings.list(Setting.TRACKER_PROJECTIONS)) {
      try {
        versions.add(Integer.parseInt(value));
      } catch (NumberFormatException e) {
        // the projection verticle refuses the setting with a message; the status just leaves it out
      }
    }
    return versions;
  }

  @Override
  protected Future<?> stopService() {
    if (pinot != null) {
      pinot.close();
    }
    return Future.join(
        pool == null ? Future.succeededFuture() : pool.close(),
        admin == null ? Future.succeededFuture() : admin.close());
  }
}
