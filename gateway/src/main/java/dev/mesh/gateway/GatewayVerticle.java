package dev.mesh.gateway;

import dev.mesh.common.Addresses;
import dev.mesh.common.Databases;
import dev.mesh.common.Health;
import dev.mesh.common.HttpErrors;
import dev.mesh.common.MeshVerticle;
import dev.mesh.common.Setting;
import dev.mesh.gateway.bridge.SessionBridge;
import dev.mesh.gateway.identity.Identities;
import dev.mesh.gateway.layouts.LayoutsApi;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.sqlclient.Pool;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one origin users talk to (port 8080): it routes the services' APIs to whichever instances are
 * up, widget files to the widget-host that serves each widget, answers who the caller is ({@code
 * /api/me}) and keeps their layouts ({@code /api/layouts}, in PostgreSQL), and serves the page.
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
    Future<Void> bridge =
        SessionBridge.mount(
            router,
            vertx,
            Set.of(Addresses.REGISTRY_CHANGES, Addresses.TRACKER_LIVE),
            node.meterRegistry());
    router
        .route("/*")
        .handler(pageHeaders(contentSecurityPolicy(settings.flag(Setting.CSP_INLINE_STYLES))));
    router
        .route("/*")
        .handler(GatewayVerticle::plainFilePath)
        .handler(StaticHandler.create("gateway-webroot").setCachingEnabled(true));
    return Future.all(directory.refresh(), layouts.start(), bridge)
        .compose(v -> serve(router, Setting.GATEWAY_PORT, SERVICE_NAME));
  }

  private void routeToServices(Router router, ServiceDirectory directory) {
    HttpClient client =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(true).setConnectTimeout(2000),
            new PoolOptions().setHttp1MaxSize(64));
    ServiceProxy registry = ServiceProxy.toService("registry", directory, client);
    router.route("/api/widgets").handler(registry);
    router.route("/api/widgets/*").handler(registry);
    router.route("/api/v1/registry").handler(registry);
    router.route("/api/v1/registry/*").handler(registry);
    router.route("/api/schemas/*").handler(registry);
    // the tracker: its collector (pixel, beacon, script) faces every tracked site, its query API
    // the dashboards
    ServiceProxy collector = ServiceProxy.toService("tracker", directory, client);
    router.route(settings.string(Setting.TRACKER_PIXEL_PATH)).handler(collector);
    router.route(settings.string(Setting.TRACKER_BEACON_PATH)).handler(collector);
    router.route(settings.string(Setting.TRACKER_SCRIPT_PATH)).handler(collector);
    ServiceProxy trackerQueries = ServiceProxy.toService("tracker-query", directory, client);
    router.route("/api/tracker/*").handler(trackerQueries);
    router
        .route(ServiceProxy.WIDGET_FILES + "*")
        .handler(ServiceProxy.toWidgetHost(directory, client));
  }

  /**
   * The characters of the webroot's file names (bundles, pages, the SDK), and the slash between
   * them.
   */
  private static final Pattern FILE_PATH = Pattern.compile("/[A-Za-z0-9._~/-]*");

  /**
   * Only plain paths reach the static files: vertx-web's StaticHandler fails with a 500 on some
   * paths whose dot segments normalise oddly (the fuzzer found {@code /w/%2e%2e/..%5c}); no file of
   * ours is named otherwise, so anything else is a 404.
   */
  private static void plainFilePath(RoutingContext ctx) {
    if (FILE_PATH.matcher(ctx.normalizedPath()).matches()) {
      ctx.next();
    } else {
      HttpErrors.send(ctx, 404, "No page or file at this path");
    }
  }

  /**
   * Pages are revalidated on every visit (only the content-hashed bundles under {@code /app/} are
   * cached for good) and carry a Content-Security-Policy: scripts, styles and connections from this
   * origin only, no inline script ever.
   */
  private static Handler<RoutingContext> pageHeaders(String policy) {
    return ctx -> {
      boolean hashed = ctx.normalizedPath().startsWith("/app/");
      ctx.addHeadersEndHandler(
          v -> {
            if (!hashed && ctx.response().getStatusCode() < 400) {
              ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
            }
            ctx.response().putHeader("Content-Security-Policy", policy);
            ctx.response().putHeader("X-Content-Type-Options", "nosniff");
          });
      ctx.next();
    };
  }

  /**
   * Widgets style their shadow roots with constructed stylesheets, which the strict policy allows;
   * a deployment whose widgets inject {@code <style>} elements may allow inline styles (never
   * scripts).
   */
  static String contentSecurityPolicy(boolean inlineStyles) {
    return "default-src 'self'; script-src 'self'; style-src 'self'"
        + (inlineStyles ? " 'unsafe-inline'" : "")
        + "; "
        + "img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
        + "frame-ancestors 'none'; form-action 'self'";
  }

  @Override
  protected Future<?> stopService() {
    return database == null ? Future.succeededFuture() : database.close();
  }
}
