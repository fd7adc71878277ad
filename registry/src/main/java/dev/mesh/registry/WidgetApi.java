package dev.mesh.registry;

import dev.mesh.common.Contract;
import dev.mesh.common.HttpErrors;
import dev.mesh.common.JsonBodies;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * {@code /api/widgets}: register or refresh ({@code PUT}), heartbeat, list with filters, get,
 * delete. Described in {@code registry/src/main/resources/openapi/registry.yaml}.
 */
final class WidgetApi {

  static final Pattern ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$");

  private final WidgetStore store;
  private final Duration ttl;
  private final Handler<RoutingContext> token;

  WidgetApi(WidgetStore store, Duration ttl, Handler<RoutingContext> token) {
    this.store = store;
    this.ttl = ttl;
    this.token = token;
  }

  /**
   * Routes; {@code body} reads request bodies, after the token check so strangers get 401, not 413.
   */
  void mount(Router router, Handler<RoutingContext> body) {
    router.get("/api/widgets").handler(this::list);
    router.get("/api/widgets/:id").handler(this::get);
    router.put("/api/widgets/:id").handler(token).handler(body).handler(this::register);
    router
        .delete("/api/widgets/:id")
        .handler(token)
        .handler(WidgetApi::resume)
        .handler(this::delete);
    router
        .post("/api/widgets/:id/heartbeat")
        .handler(token)
        .handler(WidgetApi::resume)
        .handler(this::heartbeat);
  }

  /**
   * For routes that read no body: the token's check may have paused the request while it asked the
   * gateway; whatever body there is flows again (and is dropped).
   */
  private static void resume(RoutingContext ctx) {
    ctx.request().resume();
    ctx.next();
  }

  private void list(RoutingContext ctx) {
    Predicate<JsonObject> filter = filter(ctx);
    store
        .list(filter)
        .onComplete(
            Replies.of(
                ctx,
                widgets ->
                    Replies.json(
                        ctx,
                        200,
                        new JsonObject()
                            .put("widgets", new JsonArray(widgets))
                            .put("count", widgets.size()))));
  }

  private void get(RoutingContext ctx) {
    String id = id(ctx);
    if (id == null) {
      return;
    }
    store
        .get(id)
        .onComplete(
            Replies.of(
                ctx,
                widget -> {
                  if (widget == null) {
                    HttpErrors.send(ctx, 404, "No widget '" + id + "' is registered");
                  } else {
                    Replies.json(ctx, 200, widget);
                  }
                }));
  }

  private void register(RoutingContext ctx) {
    String id = id(ctx);
    if (id == null) {
      return;
    }
    JsonObject manifest = JsonBodies.object(ctx, "the widget manifest");
    if (manifest == null) {
      return;
    }
    Object bodyId = manifest.getValue("id");
    if (bodyId == null) {
      manifest.put("id", id);
    } else if (!id.equals(bodyId)) {
      HttpErrors.send(
          ctx,
          400,
          "The manifest's id '" + bodyId + "' differs from the id in the path '" + id + "'");
      return;
    }
    JsonArray problems = Manifests.problems(manifest);
    if (!problems.isEmpty()) {
      HttpErrors.send(ctx, 400, "Invalid manifest: " + Contract.describe(problems), problems);
      return;
    }
    String team = BearerToken.team(ctx);
    if (!mayRegister(ctx, team, manifest)) {
      return;
    }
    store
        .register(manifest, Source.REST, null, ttl, team)
        .onComplete(
            Replies.of(
                ctx,
                registered -> {
                  if (registered.created()) {
                    ctx.response().putHeader(HttpHeaders.LOCATION, "/api/widgets/" + id);
                  }
                  Replies.json(ctx, registered.created() ? 201 : 200, registered.widget());
                }));
  }

  private void heartbeat(RoutingContext ctx) {
    String id = id(ctx);
    if (id == null) {
      return;
    }
    store
        .heartbeat(id, BearerToken.team(ctx))
        .onComplete(
            Replies.of(
                ctx,
                widget -> {
                  if (widget == null) {
                    HttpErrors.send(
                        ctx,
                        404,
                        "No widget '"
                            + id
                            + "' is registered: register it again with PUT /api/widgets/"
                            + id);
                  } else {
                    Replies.json(ctx, 200, widget);
                  }
                }));
  }

  private void delete(RoutingContext ctx) {
    String id = id(ctx);
    if (id == null) {
      return;
    }
    store
        .remove(id, BearerToken.team(ctx))
        .onComplete(
            Replies.of(
                ctx,
                removed -> {
                  if (removed) {
                    ctx.response().setStatusCode(204).end();
                  } else {
                    HttpErrors.send(ctx, 404, "No widget '" + id + "' is registered");
                  }
                }));
  }

  /**
   * Whether a caller with {@code team}'s token (null: the platform's, or no token asked) may
   * register {@code manifest}: only when the manifest names the team as its owner; false after a
   * 403.
   */
  static boolean mayRegister(RoutingContext ctx, String team, JsonObject manifest) {
    String owner = manifest.getString("owner");
    if (team == null || team.equals(owner)) {
      return true;
    }
    HttpErrors.send(
        ctx, 403, BearerToken.notYours(team, "register", manifest.getString("id"), owner));
    return false;
  }

  /** The widget id of the path, or null after a 400. */
  static String id(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (id == null || !ID.matcher(id).matches()) {
      HttpErrors.send(
          ctx,
          400,
          "Invalid widget id '"
              + Replies.shorten(id)
              + "': use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
      return null;
    }
    return id;
  }

  /**
   * {@code domain}, {@code owner} and {@code kind} match exactly (any case); {@code q} is a text
   * search.
   */
  private static Predicate<JsonObject> filter(RoutingContext ctx) {
    String domain = ctx.queryParams().get("domain");
    String owner = ctx.queryParams().get("owner");
    String kind = ctx.queryParams().get("kind");
    String q = ctx.queryParams().get("q");
    return widget -> {
      JsonObject m = widget.getJsonObject("manifest");
      return (domain == null || domain.equalsIgnoreCase(m.getString("domain")))
          && (owner == null || owner.equalsIgnoreCase(m.getString("owner")))
          && (kind == null || kind.equalsIgnoreCase(m.getString("domainKind")))
          && (q == null || q.isBlank() || text(m).contains(q.trim().toLowerCase(Locale.ROOT)));
    };
  }

  private static String text(JsonObject manifest) {
    StringBuilder text = new StringBuilder();
    for (String field : new String[] {"id", "tag", "label", "description", "owner", "domain"}) {
      text.append(manifest.getString(field, "")).append('\n');
    }
    manifest
        .getJsonObject("tags", new JsonObject())
        .forEach(e -> text.append(e.getKey()).append('=').append(e.getValue()).append('\n'));
    return text.toString().toLowerCase(Locale.ROOT);
  }

  /**
   * Finishes a request from an asynchronous result; another team's widget answers 403, a busy lock
   * 503, anything else 500.
   */
  static final class Replies {

    private Replies() {}

    static <T> Handler<io.vertx.core.AsyncResult<T>> of(RoutingContext ctx, Handler<T> success) {
      return ar -> {
        if (ar.succeeded()) {
          success.handle(ar.result());
        } else if (ar.cause() instanceof WidgetStore.NotYoursException notYours) {
          HttpErrors.send(ctx, 403, notYours.getMessage());
        } else if (ar.cause() instanceof WidgetStore.RegistryBusyException busy) {
          ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "1");
          HttpErrors.send(ctx, 503, busy.getMessage());
        } else {
          ctx.fail(ar.cause());
        }
      };
    }

    static void json(RoutingContext ctx, int status, Object body) {
      ctx.response()
          .setStatusCode(status)
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .end(body instanceof JsonArray array ? array.encode() : ((JsonObject) body).encode());
    }

    static String shorten(String value) {
      if (value == null) {
        return "";
      }
      return value.length() > 80 ? value.substring(0, 80) + "..." : value;
    }
  }
}
