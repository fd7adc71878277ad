package dev.mesh.gateway;

import dev.mesh.common.Addresses;
import dev.mesh.common.Databases;
import dev.mesh.common.Health;
import dev.mesh.common.MeshVerticle;
import dev.mesh.common.Setting;
import dev.mesh.gateway.bridge.SessionBridge;
import dev.mesh.gateway.doors.Concern;
import dev.mesh.gateway.doors.Doors;
import dev.mesh.gateway.identity.Identities;
import dev.mesh.gateway.identity.tokens.TeamTokensApi;
import dev.mesh.gateway.layouts.LayoutsApi;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The one origin users talk to (port 8080): it routes the services' APIs to whichever instances are
 * up, widget files to the widget-host that serves each widget, answers who the caller is ({@code
 * /api/me}) and keeps their layouts ({@code /api/layouts}, in PostgreSQL), carries the event-bus
 * bridge, and serves the page.
 *
 * <p>One verticle, its concerns apart: each concern ({@link Operations}, {@link Identities}, with a
 * database {@link TeamTokensApi}, {@link Services}, {@link LayoutsApi}, {@link SessionBridge},
 * {@link Pages}) is a class that contributes its doors to one route table ({@link Doors}), which
 * this verticle mounts on its one router behind the check of each door's rule. Not a verticle per
 * concern: verticles listening on one port are handed whole connections in turn, not routes, so
 * each of them would need every route anyway; the gateway scales by running more of the whole.
 */
public final class GatewayVerticle extends MeshVerticle {

  public static final String SERVICE_NAME = "gateway";

  private static final long MAX_BODY_BYTES = 64 * 1024;

  private Pool database;
  private Doors doors;
  private Router router;

  @Override
  protected Future<?> startService() {
    Health health = Health.of(vertx);
    if (settings.isSet(Setting.DATABASE_URL)) {
      database = Databases.pool(vertx, settings);
      health.withDatabase(database);
    }
    Identities identities = Identities.on(vertx, settings, database);
    List<Concern> concerns = new ArrayList<>();
    concerns.add(new Operations());
    // who is calling comes before every door that asks
    concerns.addAll(identities.concerns());
    if (database != null) {
      // teams' registration tokens, which the registry asks about on the bus, in every mode
      concerns.add(TeamTokensApi.on(vertx, settings, database));
    }
    concerns.addAll(
        List.of(
            new Services(vertx, discovery, settings),
            LayoutsApi.on(vertx, settings, database),
            SessionBridge.on(
                vertx,
                Set.of(Addresses.REGISTRY_CHANGES, Addresses.TRACKER_LIVE),
                node.meterRegistry()),
            new Pages(settings)));
    doors = Doors.of(concerns);
    router = router(MAX_BODY_BYTES, health);
    doors.mount(router, identities);
    return Future.all(concerns.stream().map(Concern::start).toList())
        .compose(v -> serve(router, Setting.GATEWAY_PORT, SERVICE_NAME));
  }

  /** The route table this gateway mounted, for the test that checks it against the router. */
  Doors doors() {
    return doors;
  }

  /** The router this gateway serves, for the same test. */
  Router router() {
    return router;
  }

  @Override
  protected Future<?> stopService() {
    return database == null ? Future.succeededFuture() : database.close();
  }
}
