package dev.mesh.widgethost;

import dev.mesh.common.Health;
import dev.mesh.common.MeshVerticle;
import dev.mesh.common.Setting;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;

/**
 * The widget-host's HTTP server: the widgets' files under {@code /w/}, what it serves and what it
 * skipped (and why) under {@code /api/host/widgets}, health and metrics.
 */
public final class WidgetHostVerticle extends MeshVerticle {

  public static final String SERVICE_NAME = "widget-host";

  @Override
  protected Future<?> startService() {
    WidgetCatalog catalog = WidgetCatalog.of(vertx);
    Router router = router(64 * 1024, Health.of(vertx));
    router
        .get("/api/host/widgets")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                    .end(catalog.describe().encode()));
    router
        .route(WidgetFiles.PREFIX + "*")
        .method(HttpMethod.GET)
        .method(HttpMethod.HEAD)
        .handler(new WidgetFiles(catalog));
    return serve(router, Setting.WIDGET_HOST_PORT, SERVICE_NAME);
  }
}
