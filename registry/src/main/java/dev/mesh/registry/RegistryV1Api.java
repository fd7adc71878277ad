package dev.mesh.registry;

import dev.mesh.common.Contract;
import dev.mesh.common.HttpErrors;
import dev.mesh.common.JsonBodies;
import dev.mesh.registry.WidgetApi.Replies;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CorsHandler;
import java.time.Duration;
import java.util.Set;

/**
 * The original datamesh registry's API, unchanged for its clients: {@code POST
 * /api/v1/registry/{id}} (which its sidecars repeat as a heartbeat), {@code GET /api/v1/registry}
 * and {@code GET /api/v1/registry/{id}}, with the same shapes and {@code lastUpdated}.
 */
final class RegistryV1Api {

  private final WidgetStore store;
  private final Duration ttl;
  private final Handler<RoutingContext> token;

  RegistryV1Api(WidgetStore store, Duration ttl, Handler<RoutingContext> token) {
    this.store = store;
    this.ttl = ttl;
    this.token = token;
  }

  void mount(Router router, Handler<RoutingContext> body) {
    // the original answered every origin; its browser clients rely on it, preflight included
    router
        .route("/api/v1/registry*")
        .handler(
            CorsHandler.create()
                .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST))
                .allowedHeaders(Set.of("Content-Type", "Authorization")));
    // and, like the original, on every answer, asked or not
    router
        .route("/api/v1/registry*")
        .handler(
            ctx -> {
              ctx.response().putHeader("Access-Control-Allow-Origin", "*");
              ctx.next();
            });
    router.get("/api/v1/registry").handler(this::list);
    router.get("/api/v1/registry/:id").handler(this::get);
    router.post("/api/v1/registry/:id").handler(token).handler(body).handler(this::register);
  }

  private void register(RoutingContext ctx) {
    String id = WidgetApi.id(ctx);
    if (id == null) {
      return;
    }
    JsonObject register =
        JsonBodies.object(ctx, "{webComponent:{jsUrl,cssUrl,componentId},label,tags}");
    if (register == null) {
      return;
    }
    JsonArray problems = Manifests.v1Problems(register);
    Manifests.FromV1 translated = problems.isEmpty() ? Manifests.fromV1(id, register) : null;
    if (translated != null) {
      problems = translated.problems();
    }
    if (!problems.isEmpty()) {
      HttpErrors.send(ctx, 400, "Invalid registration: " + Contract.describe(problems), problems);
      return;
    }
    JsonObject manifest = translated.manifest();
    String team = BearerToken.team(ctx);
    if (!WidgetApi.mayRegister(ctx, team, manifest)) {
      return;
    }
    store
        .register(manifest, Source.V1, null, ttl, team)
        .onComplete(
            Replies.of(ctx, registered -> Replies.json(ctx, 200, Manifests.toV1(manifest))));
  }

  private void list(RoutingContext ctx) {
    store
        .list(widget -> true)
        .onComplete(
            Replies.of(
                ctx,
                widgets -> {
                  JsonArray services = new JsonArray();
                  widgets.stream()
                      .sorted(java.util.Comparator.comparing(w -> w.getString("id")))
                      .forEach(w -> services.add(service(w).put("id", w.getString("id"))));
                  Replies.json(ctx, 200, services);
                }));
  }

  private void get(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    store
        .get(WidgetApi.ID.matcher(id).matches() ? id : "")
        .onComplete(
            Replies.of(
                ctx,
                widget -> {
                  if (widget == null) {
                    Replies.json(ctx, 404, new JsonObject().put("message", "Not Found"));
                  } else {
                    Replies.json(ctx, 200, service(widget));
                  }
                }));
  }

  private static JsonObject service(JsonObject widget) {
    return new JsonObject()
        .put("service", Manifests.toV1(widget.getJsonObject("manifest")))
        .put("lastUpdated", widget.getString("lastUpdated"));
  }
}
