package dev.mesh.widgethost;

import dev.mesh.common.Health;
import dev.mesh.common.MeshVerticle;
import dev.mesh.common.Setting;
import io.vertx.core.Future;

/**
 * The widget-host service's HTTP server: for now it joins the cluster and serves health and metrics, so
 * deployments, probes and the gateway's routing are in place before its features arrive.
 */
public final class WidgetHostVerticle extends MeshVerticle {

  public static final String SERVICE_NAME = "widget-host";

  @Override
  protected Future<?> startService() {
    return serve(router(64 * 1024, Health.of(vertx)), Setting.WIDGET_HOST_PORT, SERVICE_NAME);
  }
}
