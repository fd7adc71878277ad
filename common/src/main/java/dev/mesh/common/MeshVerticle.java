package dev.mesh.common;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.servicediscovery.Record;
import io.vertx.servicediscovery.ServiceDiscovery;
import io.vertx.servicediscovery.types.HttpEndpoint;
import java.util.ArrayList;
import java.util.List;

/**
 * Base of the verticles that make a service visible to the rest of the cluster: it publishes their
 * discovery records, stamped with this member's id so that the registry can drop them if the member
 * dies, and un-publishes them on a clean stop.
 */
public abstract class MeshVerticle extends VerticleBase {

  /** Metadata key naming the cluster member that published a record. */
  public static final String MEMBER = "member";

  /** Metadata key naming the Mesh service behind an HTTP endpoint record. */
  public static final String SERVICE = "service";

  protected MeshConfig settings;
  protected MeshNode node;
  protected ServiceDiscovery discovery;
  private final List<Record> published = new ArrayList<>();

  @Override
  public final Future<?> start() {
    settings = MeshConfig.of(config());
    node = MeshNode.of(vertx);
    discovery = ServiceDiscovery.create(vertx);
    return startService();
  }

  /** The service's own start-up; reads like its table of contents. */
  protected abstract Future<?> startService();

  /**
   * A router that already answers errors as JSON and serves {@code /health/*} and {@code /metrics};
   * the service adds its routes. Readiness checks the cluster plus what {@code health} adds.
   */
  protected Router router(long maxBodyBytes, Health health) {
    Router router = Router.router(vertx);
    HttpErrors.install(router, maxBodyBytes);
    health.mount(router);
    return router;
  }

  /** Listens on the service's port and announces the endpoint under the service's name. */
  protected Future<HttpServer> serve(Router router, Setting port, String service) {
    return vertx
        .createHttpServer(httpServerOptions())
        .invalidRequestHandler(HttpErrors::invalidRequest)
        .requestHandler(router)
        .listen(settings.port(port), settings.string(Setting.BIND_HOST))
        .compose(server -> publishHttpEndpoint(service, server.actualPort()).map(server));
  }

  /** The options of {@link #serve}'s server: answers gzip-compressed when the client accepts it. */
  protected HttpServerOptions httpServerOptions() {
    return new HttpServerOptions().setCompressionSupported(true);
  }

  /** Announces an HTTP API of this process (e.g. the registry's), for the gateway to route to. */
  protected Future<Record> publishHttpEndpoint(String service, int port) {
    Record record =
        HttpEndpoint.createRecord(
            service,
            settings.string(Setting.ADVERTISED_HOST),
            port,
            "/",
            new JsonObject().put(SERVICE, service));
    return publish(record);
  }

  protected Future<Record> publish(Record record) {
    record.getMetadata().put(MEMBER, node.nodeId());
    return discovery.publish(record).onSuccess(published::add);
  }

  @Override
  public final Future<?> stop() {
    List<Future<Void>> unpublished =
        published.stream()
            .map(
                r ->
                    discovery.unpublish(r.getRegistration()).recover(e -> Future.succeededFuture()))
            .toList();
    return Future.join(unpublished)
        .eventually(() -> stopService())
        .eventually(
            () -> {
              discovery.close();
              return Future.succeededFuture();
            });
  }

  /**
   * Releases what {@link #startService()} took; servers and timers of the verticle close by
   * themselves.
   */
  protected Future<?> stopService() {
    return Future.succeededFuture();
  }
}
