package dev.mesh.gateway;

import dev.mesh.common.MeshConfig;
import dev.mesh.common.Setting;
import dev.mesh.gateway.doors.AccessRule;
import dev.mesh.gateway.doors.Concern;
import dev.mesh.gateway.doors.Door;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.servicediscovery.ServiceDiscovery;
import java.util.List;

/**
 * The proxy to the services: the doors that forward to the registry, the tracker and the
 * widget-hosts, wherever their instances are ({@link ServiceDirectory}).
 *
 * <p>The registry's doors are its routes, one by one, so that a route it adds is not reachable from
 * browsers until a door here says who may use it.
 *
 * <p>Who may come in: the catalog (the registry's reads, both API shapes, and the manifest schema)
 * is not secret within an organisation, but it is the organisation's, so it takes a signed-in
 * caller; the registry's writes are the registry's to check, with its bearer token, since sidecars
 * and widget pipelines register with it and no person; the tracker's collector answers every
 * tracked site's visitors and the widgets' files are the code the page loads, so both are public;
 * the tracker's numbers take a signed-in caller.
 */
final class Services implements Concern {

  private static final String REGISTRY_TOKEN =
      "the registry, with its bearer token " + Setting.REGISTRY_TOKEN.key();

  private final ServiceDirectory directory;
  private final List<Door> doors;

  Services(Vertx vertx, ServiceDiscovery discovery, MeshConfig settings) {
    directory = new ServiceDirectory(vertx, discovery);
    HttpClient client =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(true).setConnectTimeout(2000),
            new PoolOptions().setHttp1MaxSize(64));
    ServiceProxy registry = ServiceProxy.toService("registry", directory, client);
    // the tracker: its collector (pixel, beacon, script) faces every tracked site, its query API
    // the dashboards
    ServiceProxy collector = ServiceProxy.toService("tracker", directory, client);
    ServiceProxy trackerQueries = ServiceProxy.toService("tracker-query", directory, client);
    ServiceProxy widgetFiles = ServiceProxy.toWidgetHost(directory, client);
    doors =
        List.of(
            Door.get("/api/widgets", AccessRule.SIGNED_IN).through(registry),
            Door.get("/api/widgets/:id", AccessRule.SIGNED_IN).through(registry),
            Door.service(
                    List.of(HttpMethod.PUT, HttpMethod.DELETE), "/api/widgets/:id", REGISTRY_TOKEN)
                .through(registry),
            Door.service(List.of(HttpMethod.POST), "/api/widgets/:id/heartbeat", REGISTRY_TOKEN)
                .through(registry),
            Door.get("/api/v1/registry", AccessRule.SIGNED_IN).through(registry),
            Door.get("/api/v1/registry/:id", AccessRule.SIGNED_IN).through(registry),
            Door.service(List.of(HttpMethod.POST), "/api/v1/registry/:id", REGISTRY_TOKEN)
                .through(registry),
            // the original registry's browser clients ask before they post from another origin;
            // a preflight carries no credentials and the answer no data
            Door.on(HttpMethod.OPTIONS, "/api/v1/registry", AccessRule.PUBLIC).through(registry),
            Door.on(HttpMethod.OPTIONS, "/api/v1/registry/:id", AccessRule.PUBLIC)
                .through(registry),
            Door.get("/api/schemas/*", AccessRule.SIGNED_IN).through(registry),
            Door.any(settings.string(Setting.TRACKER_PIXEL_PATH), AccessRule.PUBLIC)
                .through(collector),
            Door.any(settings.string(Setting.TRACKER_BEACON_PATH), AccessRule.PUBLIC)
                .through(collector),
            Door.any(settings.string(Setting.TRACKER_SCRIPT_PATH), AccessRule.PUBLIC)
                .through(collector),
            Door.any("/api/tracker/*", AccessRule.SIGNED_IN).through(trackerQueries),
            Door.any(ServiceProxy.WIDGET_FILES + "*", AccessRule.PUBLIC).through(widgetFiles));
  }

  @Override
  public String name() {
    return "services";
  }

  @Override
  public List<Door> doors() {
    return doors;
  }

  /** The first read of the discovery records, so the first request finds the services up. */
  @Override
  public Future<Void> start() {
    return directory.refresh();
  }
}
