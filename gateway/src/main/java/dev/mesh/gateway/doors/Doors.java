package dev.mesh.gateway.doors;

import io.vertx.core.Handler;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The gateway's route table: every door of every {@link Concern}, in the order they are tried, and
 * the one place where a door's {@link AccessRule} is enforced. A new door is a row here, added by
 * its concern; the gateway's tests check the router against these rows, so a route mounted around
 * the table is noticed.
 *
 * <p>The check comes first: a door whose rule asks who is calling gets the {@link Guard}'s
 * security-policy handler as the first handler of its route, before any of its own. Vert.x Web runs
 * the handlers of a route in phases (platform, security policy, body, authentication, ..., user)
 * and refuses, at mount time, a handler added after one of a later phase; so nothing of a door runs
 * before its check, and no body handler can: a stranger gets 401, never 413, and no memory is spent
 * on what they sent.
 */
public final class Doors {

  /** A door and the concern it belongs to. */
  public record Row(String concern, Door door) {

    @Override
    public String toString() {
      return door + " " + door.access() + " (" + concern + ")";
    }
  }

  private final List<Row> rows;

  private Doors(List<Row> rows) {
    this.rows = List.copyOf(rows);
  }

  /**
   * The doors of {@code concerns}, concern after concern, each in its own order. Two doors may take
   * the same requests: the first one's handlers hand a request on to the second ({@code
   * ctx.next()}) when they do not answer it, as the page headers do before the static files.
   */
  public static Doors of(List<? extends Concern> concerns) {
    List<Row> rows = new ArrayList<>();
    for (Concern concern : concerns) {
      for (Door door : concern.doors()) {
        rows.add(new Row(concern.name(), door));
      }
    }
    return new Doors(rows);
  }

  /** The rows, in the order they are mounted and tried. */
  public List<Row> rows() {
    return rows;
  }

  /**
   * Mounts every door on {@code router}, each behind the check {@code guard} makes for its rule.
   * Doors mounted before (the base router's health and metrics) must already be there.
   */
  public void mount(Router router, Guard guard) {
    for (Row row : rows) {
      Door door = row.door();
      if (door.mountedBy() != null) {
        if (router.getRoutes().stream().noneMatch(route -> sameRoute(route, door))) {
          throw new IllegalStateException(
              row + " is said to be mounted by " + door.mountedBy() + ", which did not mount it");
        }
        continue;
      }
      Route route = route(router, door);
      boolean used = false;
      if (door.access().asksWhoIsCalling()) {
        route.handler(guard.admitting(door));
        used = true;
      }
      for (Handler<RoutingContext> handler : door.handlers()) {
        route.handler(handler);
        used = true;
      }
      if (door.failureHandler() != null) {
        route.failureHandler(door.failureHandler());
      }
      if (door.subRouter() != null) {
        // a sub-router takes a route of its own: the check's route hands the request on to it
        (used ? route(router, door) : route).subRouter(door.subRouter());
      }
    }
  }

  private static Route route(Router router, Door door) {
    Route route = router.route(door.path());
    door.methods().forEach(route::method);
    return route;
  }

  /** Whether {@code route} takes the requests {@code door} describes. */
  private static boolean sameRoute(Route route, Door door) {
    String path = route.isExactPath() ? route.getPath() : route.getPath() + "*";
    Set<?> methods = route.methods() == null ? Set.of() : route.methods();
    return door.path().equals(path) && methods.equals(Set.copyOf(door.methods()));
  }
}
