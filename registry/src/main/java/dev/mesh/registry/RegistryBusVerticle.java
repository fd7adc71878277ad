package dev.mesh.registry;

import dev.mesh.common.Addresses;
import dev.mesh.common.Contract;
import dev.mesh.common.MeshVerticle;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * The registry for cluster members, on {@link Addresses#REGISTRY}. Members are trusted (no token);
 * what they register lives while they are in the cluster, unless they ask for a TTL.
 *
 * <pre>
 * {"action": "register", "manifest": {...}, "member": "node id", "ttlSeconds": 30?}  -> widget
 * {"action": "heartbeat", "id": "..."}                                             -> widget | 404
 * {"action": "deregister", "id": "..."}                                            -> {"removed": bool}
 * {"action": "get", "id": "..."}                                                   -> widget | 404
 * {"action": "list"}                                                               -> {"widgets": [...]}
 * </pre>
 *
 * Failures reply with the HTTP-like code (400, 404, 503) and a message.
 */
public final class RegistryBusVerticle extends MeshVerticle {

  private WidgetStore store;

  @Override
  protected Future<?> startService() {
    store = new WidgetStore(vertx, discovery);
    return vertx.eventBus().consumer(Addresses.REGISTRY, this::handle).completion();
  }

  private void handle(Message<Object> message) {
    Future<?> reply;
    try {
      reply = dispatch(message.body());
    } catch (ClassCastException e) {
      // a field of the wrong JSON type: the sender gets a 400, not a time-out
      reply =
          Future.failedFuture(new BusFailure(400, "A field has the wrong type: " + e.getMessage()));
    }
    reply
        .onSuccess(message::reply)
        .onFailure(
            e -> {
              if (e instanceof BusFailure f) {
                message.fail(f.code, f.getMessage());
              } else if (e instanceof WidgetStore.RegistryBusyException) {
                message.fail(503, e.getMessage());
              } else {
                message.fail(500, String.valueOf(e.getMessage()));
              }
            });
  }

  private Future<?> dispatch(Object body) {
    if (!(body instanceof JsonObject request)) {
      return Future.failedFuture(
          new BusFailure(400, "The request must be a JSON object with an action"));
    }
    String action = String.valueOf(request.getValue("action", ""));
    return switch (action) {
      case "register" -> register(request);
      case "heartbeat" -> found(store.heartbeat(id(request)), request);
      case "deregister" ->
          store.remove(id(request)).map(removed -> new JsonObject().put("removed", removed));
      case "get" -> found(store.get(id(request)), request);
      case "list" ->
          store
              .list(w -> true)
              .map(widgets -> new JsonObject().put("widgets", new JsonArray(widgets)));
      default ->
          Future.failedFuture(
              new BusFailure(
                  400,
                  "Unknown action '"
                      + action
                      + "': use register, heartbeat, deregister, get or list"));
    };
  }

  private static String id(JsonObject request) {
    return request.getString("id", "");
  }

  private Future<JsonObject> register(JsonObject request) {
    JsonObject manifest = request.getJsonObject("manifest");
    if (manifest == null) {
      return Future.failedFuture(new BusFailure(400, "register needs a manifest"));
    }
    String member = request.getString("member");
    if (member == null || member.isBlank()) {
      // without its member a registration would outlive whoever made it
      return Future.failedFuture(
          new BusFailure(400, "register needs the member's node id ('member')"));
    }
    JsonArray problems = Manifests.problems(manifest);
    if (!problems.isEmpty()) {
      return Future.failedFuture(
          new BusFailure(400, "Invalid manifest: " + Contract.describe(problems)));
    }
    Long ttlSeconds = request.getLong("ttlSeconds");
    Duration ttl = ttlSeconds == null || ttlSeconds <= 0 ? null : Duration.ofSeconds(ttlSeconds);
    return store.register(manifest, Source.MEMBER, member, ttl).map(WidgetStore.Registered::widget);
  }

  private static Future<JsonObject> found(Future<JsonObject> lookup, JsonObject request) {
    return lookup.compose(
        widget ->
            widget != null
                ? Future.succeededFuture(widget)
                : Future.failedFuture(
                    new BusFailure(
                        404, "No widget '" + request.getString("id") + "' is registered")));
  }

  private static final class BusFailure extends RuntimeException {
    private final int code;

    BusFailure(int code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }
}
