package dev.mesh.gateway;

import dev.mesh.common.HttpErrors;
import dev.mesh.common.MeshConfig;
import dev.mesh.common.Setting;
import dev.mesh.gateway.doors.AccessRule;
import dev.mesh.gateway.doors.Concern;
import dev.mesh.gateway.doors.Door;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The dashboard's files: the pages, their bundles and the widget SDK, from {@code gateway-webroot}
 * on the classpath, with the page headers. Public: they are the same for everybody and hold no
 * data; what a page shows it asks the other doors for. Its one door takes every path, so it comes
 * last in the table.
 */
final class Pages implements Concern {

  /**
   * The characters of the webroot's file names (bundles, pages, the SDK), and the slash between
   * them.
   */
  private static final Pattern FILE_PATH = Pattern.compile("/[A-Za-z0-9._~/-]*");

  private final List<Door> doors;

  Pages(MeshConfig settings) {
    doors =
        List.of(
            Door.any("/*", AccessRule.PUBLIC)
                .through(
                    pageHeaders(contentSecurityPolicy(settings.flag(Setting.CSP_INLINE_STYLES))),
                    Pages::plainFilePath,
                    StaticHandler.create("gateway-webroot").setCachingEnabled(true)));
  }

  @Override
  public String name() {
    return "pages";
  }

  @Override
  public List<Door> doors() {
    return doors;
  }

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
}
