package dev.mesh.widgethost;

import dev.mesh.common.Addresses;
import dev.mesh.common.MeshVerticle;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.servicediscovery.ServiceDiscoveryOptions;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Keeps the registry in line with the {@link WidgetCatalog}: registers each served widget over the
 * event bus as this cluster member (so its widgets leave the registry if this member dies),
 * registers again what changed, removes what went away, and removes everything on a clean stop.
 *
 * <p>The registry may not be there yet, or be restarting: failed steps are retried with backoff,
 * and every registration is confirmed every {@link #CONFIRM_MS} so a lost record comes back.
 */
public final class WidgetRegistrarVerticle extends MeshVerticle {

  private static final System.Logger LOG =
      System.getLogger(WidgetRegistrarVerticle.class.getName());
  static final long CONFIRM_MS = 15_000;
  private static final long FIRST_RETRY_MS = 500;
  private static final long MAX_RETRY_MS = 10_000;
  private static final DeliveryOptions REQUEST = new DeliveryOptions().setSendTimeout(5000);

  /** A stop must not hang on a registry that is itself stopping. */
  private static final DeliveryOptions ON_STOP = new DeliveryOptions().setSendTimeout(2000);

  private WidgetCatalog catalog;

  /** What the registry holds of ours, as far as we know: id to the manifest registered. */
  private final Map<String, JsonObject> registered = new HashMap<>();

  /**
   * What the registry may hold of ours: a registration was sent and no deregistration answered
   * since. A stop takes these out, not only {@link #registered}: a registration may have landed
   * before its answer came back, and {@link #confirm} empties {@code registered} for a moment every
   * round.
   */
  private final Set<String> mayBeRegistered = new HashSet<>();

  /** Widgets with a step under way, and widgets waiting to retry one. */
  private final Set<String> busy = new HashSet<>();

  private final Set<String> waiting = new HashSet<>();
  private final Map<String, Long> retryTimers = new HashMap<>();
  private final Map<String, Long> retryDelays = new HashMap<>();

  /** The last failure logged per widget, so a long outage is one log line, not one per attempt. */
  private final Map<String, String> failures = new HashMap<>();

  /** The fingerprint last logged as registered per widget. */
  private final Map<String, String> announced = new HashMap<>();

  @Override
  protected Future<?> startService() {
    catalog = WidgetCatalog.of(vertx);
    vertx.eventBus().localConsumer(WidgetCatalog.CHANGED, changed -> reconcile());
    vertx
        .eventBus()
        .<JsonObject>consumer(
            ServiceDiscoveryOptions.DEFAULT_ANNOUNCE_ADDRESS, this::registryArrived);
    vertx.setPeriodic(CONFIRM_MS, id -> confirm());
    reconcile();
    return Future.succeededFuture();
  }

  /** Starts a step for every widget whose registration differs from what is served. */
  private void reconcile() {
    for (HostedWidget widget : catalog.widgets()) {
      if (!widget.manifest().equals(registered.get(widget.id()))) {
        sync(widget.id());
      }
    }
    for (String id : Set.copyOf(registered.keySet())) {
      if (catalog.get(id) == null) {
        sync(id);
      }
    }
  }

  /**
   * A registry instance announced itself: what waits for a retry is tried now, not after its
   * backoff.
   */
  private void registryArrived(Message<JsonObject> announcement) {
    JsonObject record = announcement.body();
    JsonObject metadata = record == null ? null : record.getJsonObject("metadata");
    if (metadata == null
        || !"registry".equals(metadata.getString(SERVICE))
        || !"UP".equals(record.getString("status"))) {
      return;
    }
    retryDelays.clear();
    for (String id : Set.copyOf(waiting)) {
      vertx.cancelTimer(retryTimers.remove(id));
      waiting.remove(id);
      sync(id);
    }
  }

  /**
   * Registers every served widget again: idempotent for the registry, and restores lost records.
   */
  private void confirm() {
    for (HostedWidget widget : catalog.widgets()) {
      registered.remove(widget.id());
    }
    reconcile();
  }

  /**
   * One step for one widget, never two at once; the next one starts when it ends, if still needed.
   */
  private void sync(String id) {
    if (busy.contains(id) || waiting.contains(id)) {
      return;
    }
    busy.add(id);
    HostedWidget widget = catalog.get(id);
    Future<?> step = widget == null ? deregister(id, REQUEST) : register(widget);
    step.onComplete(
        done -> {
          busy.remove(id);
          if (done.succeeded()) {
            recovered(id);
            HostedWidget now = catalog.get(id);
            boolean inLine =
                now == null
                    ? !registered.containsKey(id)
                    : now.manifest().equals(registered.get(id));
            if (!inLine) {
              sync(id);
            }
          } else {
            retryLater(id, done.cause());
          }
        });
  }

  private Future<?> register(HostedWidget widget) {
    JsonObject request =
        new JsonObject()
            .put("action", "register")
            .put("manifest", widget.manifest())
            .put("member", node.nodeId());
    mayBeRegistered.add(widget.id());
    return vertx
        .eventBus()
        .request(Addresses.REGISTRY, request, REQUEST)
        .onSuccess(
            reply -> {
              registered.put(widget.id(), widget.manifest());
              if (!widget.fingerprint().equals(announced.put(widget.id(), widget.fingerprint()))) {
                LOG.log(
                    System.Logger.Level.INFO,
                    "Widget {0} registered ({1})",
                    widget.id(),
                    widget.manifest().getString("module"));
              }
            });
  }

  private Future<?> deregister(String id, DeliveryOptions options) {
    JsonObject request = new JsonObject().put("action", "deregister").put("id", id);
    return vertx
        .eventBus()
        .request(Addresses.REGISTRY, request, options)
        .onSuccess(
            reply -> {
              registered.remove(id);
              mayBeRegistered.remove(id);
              announced.remove(id);
              LOG.log(System.Logger.Level.INFO, "Widget {0} removed from the registry", id);
            });
  }

  private void retryLater(String id, Throwable failure) {
    String reason = reason(failure);
    if (!reason.equals(failures.put(id, reason))) {
      LOG.log(
          System.Logger.Level.WARNING,
          "Registry not updated for widget {0}: {1}; retrying",
          id,
          reason);
    }
    long delay = Math.min(MAX_RETRY_MS, retryDelays.getOrDefault(id, FIRST_RETRY_MS / 2) * 2);
    retryDelays.put(id, delay);
    waiting.add(id);
    // jitter, so that the widgets of many hosts do not all come back in the same millisecond
    long jittered = delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
    retryTimers.put(
        id,
        vertx.setTimer(
            jittered,
            timer -> {
              retryTimers.remove(id);
              waiting.remove(id);
              sync(id);
            }));
  }

  private void recovered(String id) {
    retryDelays.remove(id);
    if (failures.remove(id) != null) {
      LOG.log(System.Logger.Level.INFO, "Registry updated for widget {0} after all", id);
    }
  }

  private static String reason(Throwable failure) {
    if (failure instanceof ReplyException reply) {
      return switch (reply.failureType()) {
        case NO_HANDLERS -> "no registry in the cluster";
        case TIMEOUT -> "the registry did not answer";
        default -> "the registry answered " + reply.failureCode() + ": " + reply.getMessage();
      };
    }
    return String.valueOf(failure.getMessage());
  }

  @Override
  protected Future<?> stopService() {
    // a clean stop takes our widgets out now rather than when the member is seen gone
    return Future.join(
            Set.copyOf(mayBeRegistered).stream().map(id -> deregister(id, ON_STOP)).toList())
        .otherwiseEmpty();
  }
}
