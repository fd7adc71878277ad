package dev.mesh.widgethost;

import static dev.mesh.common.UrlPaths.decode;

import dev.mesh.common.HttpErrors;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;

/**
 * Serves widget files under {@code /w/<id>/<fingerprint>/<path>} (cached for a year: the URL
 * changes with the content) and {@code /w/<id>/<path>} (revalidated on every use, for people and
 * tools).
 *
 * <p>A request names a file by its path inside the widget, which is looked up in the widget's index
 * of files read from its folder; the file system is never asked for the requested path, so no
 * spelling of {@code ..} can reach outside the folder, and there is nothing like a directory
 * listing.
 */
final class WidgetFiles implements Handler<RoutingContext> {

  static final String PREFIX = "/w/";
  private static final String IMMUTABLE = "public, max-age=31536000, immutable";
  private static final String REVALIDATE = "no-cache";
  private static final Pattern FINGERPRINT = Pattern.compile("^[0-9a-f]{12}$");

  private final WidgetCatalog catalog;

  WidgetFiles(WidgetCatalog catalog) {
    this.catalog = catalog;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String rest = ctx.normalizedPath().substring(PREFIX.length());
    int slash = rest.indexOf('/');
    if (slash <= 0) {
      HttpErrors.send(ctx, 404, "Name a widget's file: /w/<id>/<path>");
      return;
    }
    String id = decode(rest.substring(0, slash));
    HostedWidget widget = catalog.get(id);
    if (widget == null) {
      HttpErrors.send(ctx, 404, "No widget '" + id + "' is served here");
      return;
    }
    String inWidget = rest.substring(slash + 1);
    int next = inWidget.indexOf('/');
    String first = next < 0 ? "" : inWidget.substring(0, next);
    String path;
    String caching;
    if (first.equals(widget.fingerprint())) {
      path = decode(inWidget.substring(next + 1));
      caching = IMMUTABLE;
    } else if (FINGERPRINT.matcher(first).matches()
        && !widget.files().containsKey(decode(inWidget))) {
      // an older version's URL (a page loaded before the widget changed): the current file, not
      // cached
      path = decode(inWidget.substring(next + 1));
      caching = REVALIDATE;
    } else {
      path = decode(inWidget);
      caching = REVALIDATE;
    }
    WidgetFile file = widget.files().get(path);
    if (file == null) {
      HttpErrors.send(ctx, 404, "Widget '" + widget.id() + "' has no file '" + path + "'");
      return;
    }
    send(ctx, file, caching);
  }

  private static void send(RoutingContext ctx, WidgetFile file, String caching) {
    HttpServerResponse response =
        ctx.response()
            .putHeader(HttpHeaders.CONTENT_TYPE, file.contentType())
            .putHeader(HttpHeaders.ETAG, file.etag())
            .putHeader(HttpHeaders.CACHE_CONTROL, caching)
            .putHeader("X-Content-Type-Options", "nosniff")
            // widgets are public assets, loaded as ES modules by dashboards on other origins too
            .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    if (file.etag().equals(ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH))) {
      response.setStatusCode(304).end();
    } else if (ctx.request().method() == HttpMethod.HEAD) {
      response.putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(file.size())).end();
    } else if (file.inMemory()) {
      response.end(file.content());
    } else {
      response
          .sendFile(file.path().toString())
          .onFailure(
              e -> {
                // deleted since the last scan, which will notice it shortly
                if (!response.headWritten()) {
                  response.headers().clear();
                  HttpErrors.send(ctx, 404, "The file is no longer there");
                }
              });
    }
  }
}
