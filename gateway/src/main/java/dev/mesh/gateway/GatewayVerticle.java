package dev.mesh.gateway;

import dev.mesh.common.Addresses;
import dev.mesh.common.Databases;
import dev.mesh.common.Health;
import dev.mesh.common.MeshVerticle;
import dev.mesh.common.Setting;
import dev.mesh.gateway.bridge.SessionBridge;
import dev.mesh.gateway.identity.Identities;
import dev.mesh.gateway.layouts.LayoutsApi;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.sqlclient.Pool;

import java.util.Set;

/**
 * The one origin users talk to (port 8080): it routes the services' APIs to whichever instances are
 * up, widget files to the widget-host that serves each widget, answers who the caller is
 * ({@code /api/me}) and keeps their layouts ({@code /api/layouts}, in PostgreSQL), and serves the page.
 */
public final class GatewayVerticle extends MeshVerticle {

  public static final String SERVICE_NAME = "gateway";

  private Pool database;

  @Override
  protected Future<?> startService() {
    Health health = Health.of(vertx);
    if (settings.isSet(Setting.DATABASE_URL)) {
      database = Databases.pool(vertx, settings);
      health.withDatabase(database);
    }
    ServiceDirectory directory = new ServiceDirectory(vertx, discovery);
    Identities identities = Identities.from(settings);
    LayoutsApi layouts = LayoutsApi.on(vertx, settings, database, identities);
    Router router = router(64 * 1024, health);
    routeToServices(router, directory);
    identities.mount(router);
    layouts.mount(router);
    SessionBridge.mount(router, vertx, Set.of(Addresses.REGISTRY_CHANGES), node.meterRegistry());
    router.route("/*").handler(GatewayVerticle::pageHeaders);
    router.route("/*").handler(StaticHandler.create("gateway-webroot").setCachingEnabled(true));
    return Future.all(directory.refresh(), layouts.start())
      .compose(v -> serve(router, Setting.GATEWAY_PORT, SERVICE_NAME));
  }

  private void routeToServices(Router router, ServiceDirectory directory) {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(2000),
      new PoolOptions().setHttp1MaxSize(64));
    ServiceProxy registry = ServiceProxy.toService("registry", directory, client);
    router.route("/api/widgets").handler(registry);
    router.route("/api/widgets/*").handler(registry);
    router.route("/api/v1/registry").handler(registry);
    router.route("/api/v1/registry/*").handler(registry);
    router.route("/api/schemas/*").handler(registry);
    router.route(ServiceProxy.WIDGET_FILES + "*").handler(ServiceProxy.toWidgetHost(directory, client));
  }

  /**
   * Pages are revalidated on every visit (only the content-hashed bundles under {@code /app/} are
   * cached for good) and carry a Content-Security-Policy: scripts, styles and connections from this
   * origin only. Inline styles stay allowed because Web Components commonly put a style element in
   * their shadow root (the examples do); inline scripts never are.
   */
  private static void pageHeaders(RoutingContext ctx) {
    boolean hashed = ctx.normalizedPath().startsWith("/app/");
    ctx.addHeadersEndHandler(v -> {
      if (!hashed && ctx.response().getStatusCode() < 400) {
        ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
      }
      ctx.response().putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
      ctx.response().putHeader("X-Content-Type-Options", "nosniff");
    });
    ctx.next();
  }

  static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    + "img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
    + "frame-ancestors 'none'; form-action 'self'";

  @Override
  protected Future<?> stopService() {
    return database == null ? Future.succeededFuture() : database.close();
  }
}
