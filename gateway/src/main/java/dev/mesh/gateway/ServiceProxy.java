package dev.mesh.gateway;

import dev.mesh.common.HttpErrors;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpClient;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.OriginRequestProvider;

/**
 * Forwards a request to an instance of a service behind the gateway, so browsers talk to one
 * origin. With no instance up the caller gets a JSON 503 naming the service, not a hanging request.
 */
final class ServiceProxy implements Handler<RoutingContext> {

  private final String service;
  private final ServiceDirectory directory;
  private final HttpProxy proxy;

  ServiceProxy(String service, ServiceDirectory directory, HttpClient client) {
    this.service = service;
    this.directory = directory;
    this.proxy = HttpProxy.reverseProxy(client).origin(OriginRequestProvider.selector(ctx -> {
      SocketAddress origin = directory.pick(service);
      return origin != null ? Future.succeededFuture(origin)
        : Future.failedFuture("no instance of " + service);
    }));
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (directory.pick(service) == null) {
      ctx.response().putHeader("Retry-After", "2");
      HttpErrors.send(ctx, 503, "The " + service + " service is not available right now; try again in a moment");
      return;
    }
    proxy.handle(ctx.request());
  }
}
