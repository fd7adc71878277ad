package dev.mesh.registry;

import dev.mesh.common.Health;
import dev.mesh.common.MeshVerticle;
import dev.mesh.common.Setting;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;

/**
 * The registry's HTTP API in both shapes, announced to the cluster so the gateway can route to it.
 */
public final class RegistryApiVerticle extends MeshVerticle {

  /** Name of the registry's HTTP endpoint record. */
  public static final String SERVICE_NAME = "registry";

  @Override
  protected Future<?> startService() {
    WidgetStore store = new WidgetStore(vertx, discovery);
    Duration ttl = settings.seconds(Setting.REGISTRY_TTL_SECONDS);
    BearerToken token =
        new BearerToken(
            vertx,
            settings.string(Setting.REGISTRY_TOKEN),
            settings.flag(Setting.REGISTRY_REQUIRE_TOKEN));
    int maxBody = settings.positive(Setting.REGISTRY_MAX_BODY_BYTES);

    Router router = router(maxBody, Health.of(vertx));
    BodyHandler body = BodyHandler.create(false).setBodyLimit(maxBody);
    new WidgetApi(store, ttl, token).mount(router, body);
    new RegistryV1Api(store, ttl, token).mount(router, body);
    router.get("/api/schemas/widget-manifest.json").handler(new SchemaRoute());

    return serve(router, Setting.REGISTRY_PORT, SERVICE_NAME);
  }
}
