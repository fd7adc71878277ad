package dev.mesh.gateway.doors;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One row of the gateway's route table: the requests it takes (methods and a path as Vert.x Web
 * writes routes: {@code /api/layouts/:id}, {@code /w/*}), who may come in ({@link AccessRule}), and
 * what answers them: its handlers in order, a failure handler, and a sub-router handed the request
 * after the handlers. Its check is not among its handlers: {@link Doors} puts it before them.
 *
 * @param methods the methods it takes; empty: any
 * @param checkedBy for {@link AccessRule#SERVICE}, who decides and with what; null otherwise
 * @param failureHandler for failures of its handlers (a body over the limit, say); null: the
 *     router's JSON errors
 * @param subRouter handed the request after the handlers; null: none
 * @param mountedBy who mounted its route before the table did (the row then records it and adds
 *     nothing); null: the table mounts it
 */
public record Door(
    List<HttpMethod> methods,
    String path,
    AccessRule access,
    String checkedBy,
    List<Handler<RoutingContext>> handlers,
    Handler<RoutingContext> failureHandler,
    Router subRouter,
    String mountedBy) {

  public Door {
    methods = List.copyOf(methods);
    handlers = List.copyOf(handlers);
    Objects.requireNonNull(access, "access");
    if (path == null || !path.startsWith("/")) {
      throw new IllegalArgumentException("A door's path starts with /: " + path);
    }
    if ((access == AccessRule.SERVICE) != (checkedBy != null)) {
      throw new IllegalArgumentException(
          "A door names who checks it exactly when the service behind it decides: " + path);
    }
    if (mountedBy != null
        && (access != AccessRule.PUBLIC
            || !handlers.isEmpty()
            || failureHandler != null
            || subRouter != null)) {
      throw new IllegalArgumentException(
          "The table adds nothing to a route mounted before it, so such a door is public and has"
              + " no handlers: "
              + path);
    }
    if (subRouter != null && failureHandler != null) {
      throw new IllegalArgumentException("A sub-router handles its own failures: " + path);
    }
  }

  /** {@code GET path}. */
  public static Door get(String path, AccessRule access) {
    return on(HttpMethod.GET, path, access);
  }

  public static Door on(HttpMethod method, String path, AccessRule access) {
    return new Door(List.of(method), path, access, null, List.of(), null, null, null);
  }

  /** Any method on {@code path}. */
  public static Door any(String path, AccessRule access) {
    return new Door(List.of(), path, access, null, List.of(), null, null, null);
  }

  /** A door of {@code methods} on {@code path} that the service behind it checks. */
  public static Door service(List<HttpMethod> methods, String path, String checkedBy) {
    return new Door(methods, path, AccessRule.SERVICE, checkedBy, List.of(), null, null, null);
  }

  /** This door with {@code more} handlers after its own. */
  @SafeVarargs
  public final Door through(Handler<RoutingContext>... more) {
    List<Handler<RoutingContext>> all = new ArrayList<>(handlers);
    for (Handler<RoutingContext> handler : more) {
      all.add(handler);
    }
    return new Door(methods, path, access, checkedBy, all, failureHandler, subRouter, mountedBy);
  }

  /** This door with a handler of its handlers' failures. */
  public Door onFailure(Handler<RoutingContext> failures) {
    return new Door(methods, path, access, checkedBy, handlers, failures, subRouter, mountedBy);
  }

  /** This door handing its requests to {@code router} (mounted at the path, which ends in *). */
  public Door into(Router router) {
    return new Door(methods, path, access, checkedBy, handlers, failureHandler, router, mountedBy);
  }

  /** This door as a record of a route that {@code who} mounts before the table. */
  public Door mountedBy(String who) {
    return new Door(methods, path, access, checkedBy, handlers, failureHandler, subRouter, who);
  }

  /** Its methods as the table shows them: {@code GET}, {@code PUT POST DELETE}, {@code any}. */
  public String methodNames() {
    return methods.isEmpty()
        ? "any"
        : methods.stream().map(HttpMethod::name).collect(Collectors.joining(" "));
  }

  /** {@code GET /api/layouts/:id}. */
  @Override
  public String toString() {
    return methodNames() + " " + path;
  }
}
