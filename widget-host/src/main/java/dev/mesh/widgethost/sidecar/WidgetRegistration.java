package dev.mesh.widgethost.sidecar;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One widget's life in the registry, kept by a sidecar: register, heartbeat at a third of the TTL,
 * register again when the registry lost it, back off while the registry is away, and remove it on
 * stop. Runs on the sidecar verticle's event loop; one request at a time.
 */
final class WidgetRegistration {

  private static final System.Logger LOG = System.getLogger(WidgetRegistration.class.getName());

  /**
   * Used when the registry's answer does not tell the TTL: a third of the registry's default 30 s.
   */
  static final long FALLBACK_HEARTBEAT_MS = 10_000;

  private static final long MIN_HEARTBEAT_MS = 100;

  enum State {
    /** Not registered yet, or lost by the registry: the next request is a registration. */
    REGISTERING,
    /** Accepted; heartbeats keep it alive. */
    REGISTERED,
    /** The registry is unreachable or failing (5xx, 408, 429): retrying with backoff. */
    RETRYING,
    /**
     * The registry refused it (401, 400, 413...): only a configuration change cures that, retried
     * slowly.
     */
    REFUSED;

    String json() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Vertx vertx;
  private final RegistryRest registry;
  private final String id;
  private JsonObject manifest;

  private State state = State.REGISTERING;

  /** The manifest the registry last accepted; null when the next request must be a registration. */
  private JsonObject accepted;

  /** Whether the registry may hold our record (a registration succeeded since the last removal). */
  private boolean mayBeRegistered;

  private int attempts;
  private String lastError;
  private Instant lastAttemptAt;
  private Instant nextAttemptAt;
  private long heartbeatMillis = FALLBACK_HEARTBEAT_MS;
  private long timer = -1;
  private boolean inFlight;
  private boolean manifestChangedInFlight;
  private Future<?> lastRequest = Future.succeededFuture();
  private boolean started;
  private boolean stopped;

  WidgetRegistration(Vertx vertx, RegistryRest registry, JsonObject manifest) {
    this.vertx = vertx;
    this.registry = registry;
    this.id = manifest.getString("id");
    this.manifest = manifest;
  }

  String id() {
    return id;
  }

  void start() {
    started = true;
    attempt();
  }

  /**
   * A new version of the manifest (the file changed): sent at once, even to a registry that refused
   * the old one. False when it is the same.
   */
  boolean update(JsonObject changed) {
    if (changed.equals(manifest)) {
      return false;
    }
    manifest = changed;
    if (inFlight) {
      manifestChangedInFlight = true;
    } else if (started && !stopped) {
      cancelTimer();
      attempt();
    }
    return true;
  }

  /**
   * Stops retrying and heartbeating and removes the widget from the registry if it may be there.
   * The future tells what happened, for the caller to log; it never fails.
   */
  Future<String> stop() {
    stopped = true;
    cancelTimer();
    // a registration still on its way would otherwise land after the removal and linger until its
    // TTL
    return lastRequest.transform(
        done -> {
          if (!mayBeRegistered) {
            return Future.succeededFuture(
                "Widget '" + id + "' was not registered: nothing to remove");
          }
          return registry
              .remove(id)
              .map(
                  answer ->
                      switch (answer.status()) {
                        case 204 -> "Widget '" + id + "' removed from the registry";
                        case 404 -> "Widget '" + id + "' was already gone from the registry";
                        default ->
                            "Widget '"
                                + id
                                + "' could not be removed ("
                                + answer.summary()
                                + "); it expires after its TTL";
                      })
              .otherwise(
                  e ->
                      "Widget '"
                          + id
                          + "' could not be removed (registry unreachable: "
                          + e.getMessage()
                          + "); it expires after its TTL");
        });
  }

  JsonObject status() {
    return new JsonObject()
        .put("id", id)
        .put("state", state.json())
        .put("attempts", attempts)
        .put("lastError", lastError)
        .put("lastAttemptAt", lastAttemptAt == null ? null : lastAttemptAt.toString())
        .put("nextAttemptAt", nextAttemptAt == null ? null : nextAttemptAt.toString())
        .put("heartbeatMillis", state == State.REGISTERED ? heartbeatMillis : null);
  }

  private void attempt() {
    timer = -1;
    nextAttemptAt = null;
    lastAttemptAt = Instant.now();
    boolean heartbeat = accepted != null && accepted.equals(manifest);
    JsonObject sending = manifest;
    inFlight = true;
    Future<RegistryRest.Answer> request =
        heartbeat ? registry.heartbeat(id) : registry.register(id, sending);
    lastRequest =
        request.onComplete(
            result -> {
              inFlight = false;
              if (stopped) {
                return;
              }
              if (result.failed()) {
                retry("registry unreachable: " + result.cause().getMessage(), 0);
              } else if (result.result().ok()) {
                accepted(heartbeat, sending, result.result());
              } else {
                refusedOrFailing(heartbeat, result.result());
              }
            });
  }

  private void accepted(boolean heartbeat, JsonObject sent, RegistryRest.Answer answer) {
    if (!heartbeat) {
      accepted = sent;
      mayBeRegistered = true;
      heartbeatMillis = heartbeatMillis(answer.body());
    }
    int failed = attempts;
    attempts = 0;
    lastError = null;
    change(
        State.REGISTERED,
        () ->
            "Widget '"
                + id
                + "' registered with "
                + registry.url()
                + (failed > 0
                    ? " after " + failed + " failed attempt" + (failed == 1 ? "" : "s")
                    : "")
                + ", heartbeat every "
                + heartbeatMillis
                + " ms");
    schedule(heartbeatMillis);
  }

  private void refusedOrFailing(boolean heartbeat, RegistryRest.Answer answer) {
    int status = answer.status();
    if (heartbeat && status == 404) {
      // expired (a long pause, a registry restart that lost its map): register again at once
      accepted = null;
      lastError = "lost by the registry: " + answer.summary();
      change(
          State.REGISTERING,
          () ->
              "Widget '"
                  + id
                  + "' is no longer in the registry (expired, or the registry"
                  + " restarted): registering it again");
      schedule(0);
    } else if (status >= 500 || status == 408 || status == 429) {
      retry("registry answered " + answer.summary(), answer.retryAfterMillis());
    } else {
      refused(answer);
    }
  }

  /** The registry is away or failing: exponential backoff, one log line when this starts. */
  private void retry(String error, long retryAfterMillis) {
    accepted = null;
    attempts++;
    lastError = error;
    change(
        State.RETRYING,
        () ->
            "Widget '"
                + id
                + "': "
                + error
                + "; retrying with backoff (at most every "
                + Backoff.MAX.toSeconds()
                + " s)");
    long delay = Backoff.afterFailures(attempts, ThreadLocalRandom.current()::nextDouble);
    schedule(Math.max(delay, Math.min(retryAfterMillis, Backoff.MAX.toMillis())));
  }

  /**
   * A 4xx other than a lost heartbeat: the token, the manifest or the URL is wrong, and repeating
   * the request soon changes nothing. Retried slowly so that a fix on the registry's side is picked
   * up.
   */
  private void refused(RegistryRest.Answer answer) {
    accepted = null;
    attempts++;
    String previous = lastError;
    lastError = answer.summary();
    // a different refusal is news (the operator changed something, still wrong): say so too
    if (state != State.REFUSED || !lastError.equals(previous)) {
      state = State.REFUSED;
      LOG.log(
          System.Logger.Level.ERROR,
          "Widget '"
              + id
              + "' refused by the registry at "
              + registry.url()
              + ": "
              + answer.summary()
              + hint(answer.status())
              + "; retrying every "
              + Backoff.MAX.toSeconds()
              + " s or so");
    }
    schedule(Backoff.slow(ThreadLocalRandom.current()::nextDouble));
  }

  private static String hint(int status) {
    return switch (status) {
      case 401, 403 -> " (check MESH_REGISTRY_TOKEN against the registry's)";
      case 404, 405 -> " (is MESH_REGISTRY_URL the registry's or the gateway's base URL?)";
      case 413 -> " (the manifest is larger than the registry's MESH_REGISTRY_MAX_BODY_BYTES)";
      default -> "";
    };
  }

  private void change(State next, java.util.function.Supplier<String> line) {
    if (state != next) {
      state = next;
      LOG.log(
          next == State.REGISTERED ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
          line.get());
    }
  }

  private void schedule(long delayMillis) {
    if (manifestChangedInFlight) {
      manifestChangedInFlight = false;
      delayMillis = 0;
    }
    nextAttemptAt = Instant.now().plusMillis(delayMillis);
    // a Vert.x timer needs at least 1 ms
    timer = vertx.setTimer(Math.max(1, delayMillis), t -> attempt());
  }

  private void cancelTimer() {
    if (timer != -1) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    nextAttemptAt = null;
  }

  /**
   * A third of the TTL the registry gave, read from its answer ({@code expiresAt - lastUpdated}),
   * so that two heartbeats may be lost before the widget expires.
   */
  static long heartbeatMillis(JsonObject widget) {
    if (widget == null
        || !(widget.getValue("expiresAt") instanceof String expires)
        || !(widget.getValue("lastUpdated") instanceof String updated)) {
      return FALLBACK_HEARTBEAT_MS;
    }
    try {
      long ttl = Duration.between(Instant.parse(updated), Instant.parse(expires)).toMillis();
      return ttl <= 0 ? FALLBACK_HEARTBEAT_MS : Math.max(MIN_HEARTBEAT_MS, ttl / 3);
    } catch (DateTimeParseException e) {
      return FALLBACK_HEARTBEAT_MS;
    }
  }
}
