package dev.mesh.gateway;

import dev.mesh.common.HttpErrors;
import dev.mesh.common.UrlPaths;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.OriginRequestProvider;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyResponse;
import java.util.function.Function;

/**
 * Forwards a request to the instance of a service that should answer it, so browsers talk to one
 * origin. With none up the caller gets a JSON error at once, not a hanging request.
 */
final class ServiceProxy implements Handler<RoutingContext> {

  private final Function<HttpServerRequest, SocketAddress> pick;
  private final Handler<RoutingContext> unavailable;
  private final HttpProxy proxy;

  private ServiceProxy(
      HttpClient client,
      Function<HttpServerRequest, SocketAddress> pick,
      Handler<RoutingContext> unavailable) {
    this.pick = pick;
    this.unavailable = unavailable;
    this.proxy =
        HttpProxy.reverseProxy(client)
            .origin(
                OriginRequestProvider.selector(
                    proxyContext -> {
                      SocketAddress origin = pick.apply(proxyContext.request().proxiedRequest());
                      return origin != null
                          ? Future.succeededFuture(origin)
                          : Future.failedFuture("no instance left");
                    }))
            .addInterceptor(new ForwardedFor());
  }

  /**
   * Appends the caller's address to {@code X-Forwarded-For}, as proxies do, so that a service
   * behind the gateway still knows its client (the tracker counts unique visitors by it).
   */
  private static final class ForwardedFor implements ProxyInterceptor {
    @Override
    public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
      SocketAddress caller = context.request().proxiedRequest().remoteAddress();
      if (caller != null && caller.hostAddress() != null) {
        String earlier = context.request().headers().get("X-Forwarded-For");
        context
            .request()
            .headers()
            .set(
                "X-Forwarded-For",
                earlier == null || earlier.isBlank()
                    ? caller.hostAddress()
                    : earlier + ", " + caller.hostAddress());
      }
      return context.sendRequest();
    }
  }

  /** Any instance of the service (round robin); 503 while there is none. */
  static ServiceProxy toService(String service, ServiceDirectory directory, HttpClient client) {
    return new ServiceProxy(
        client,
        request -> directory.pick(service),
        ctx -> {
          ctx.response().putHeader("Retry-After", "2");
          HttpErrors.send(
              ctx,
              503,
              "The " + service + " service is not available right now; try again in a moment");
        });
  }

  static final String WIDGET_FILES = "/w/";

  /** The widget-host that serves the widget named in {@code /w/<id>/...}; 404 when none does. */
  static ServiceProxy toWidgetHost(ServiceDirectory directory, HttpClient client) {
    return new ServiceProxy(
        client,
        request -> directory.widgetHost(widgetId(request)),
        ctx ->
            HttpErrors.send(
                ctx, 404, "No widget-host serves a widget '" + widgetId(ctx.request()) + "'"));
  }

  private static String widgetId(HttpServerRequest request) {
    String path = request.path();
    int start = WIDGET_FILES.length();
    int end = path.indexOf('/', start);
    return UrlPaths.decode(
        path.substring(Math.min(start, path.length()), end < 0 ? path.length() : end));
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (pick.apply(ctx.request()) == null) {
      unavailable.handle(ctx);
      return;
    }
    proxy.handle(ctx.request());
  }
}
