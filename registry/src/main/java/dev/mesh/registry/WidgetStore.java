package dev.mesh.registry;

import dev.mesh.common.Addresses;
import dev.mesh.common.MeshVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.servicediscovery.Record;
import io.vertx.servicediscovery.ServiceDiscovery;
import io.vertx.servicediscovery.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Widgets as service-discovery records in the cluster-wide map. A widget's record is keyed by
 * {@code widget:<id>}, so a registration is an idempotent upsert; every change of one widget
 * happens under a cluster lock of its id, so a sweep never removes a record that a heartbeat just
 * refreshed, even with several registry instances. Changes go to the change feed.
 */
final class WidgetStore {

  static final String TYPE = "mesh-widget";
  private static final String KEY_PREFIX = "widget:";
  private static final long LOCK_TIMEOUT_MS = 5000;

  private final Vertx vertx;
  private final ServiceDiscovery discovery;

  WidgetStore(Vertx vertx, ServiceDiscovery discovery) {
    this.vertx = vertx;
    this.discovery = discovery;
  }

  /** Result of a registration: the widget's view and whether it is new. */
  record Registered(JsonObject widget, boolean created) {}

  /** A manifest that passed {@link Manifests#problems}; its id names the widget. */
  Future<Registered> register(JsonObject manifest, Source source, String member, Duration ttl) {
    return register(manifest, source, member, ttl, null);
  }

  /**
   * The same for {@code team} only (null: anybody): a widget registered with another owner stays as
   * it is, and the answer is a {@link NotYoursException}. The caller checked that the manifest
   * names the team as its owner.
   */
  Future<Registered> register(
      JsonObject manifest, Source source, String member, Duration ttl, String team) {
    String id = manifest.getString("id");
    return locked(
        id,
        () ->
            discovery
                .getRecord(KEY_PREFIX + id)
                .compose(
                    existing -> {
                      NotYoursException notYours = notYours(existing, team, "register");
                      if (notYours != null) {
                        return Future.failedFuture(notYours);
                      }
                      long now = System.currentTimeMillis();
                      JsonObject previous = existing == null ? null : existing.getMetadata();
                      JsonObject metadata =
                          new JsonObject()
                              .put("manifest", manifest)
                              .put("source", source.id())
                              .put(MeshVerticle.MEMBER, member)
                              .put("ttlSeconds", ttl == null ? null : ttl.toSeconds())
                              .put("expiresAt", ttl == null ? null : now + ttl.toMillis())
                              .put(
                                  "registeredAt",
                                  previous == null ? now : previous.getLong("registeredAt", now))
                              .put("lastUpdated", now);
                      Record record =
                          new Record()
                              .setName(id)
                              .setType(TYPE)
                              .setRegistration(KEY_PREFIX + id)
                              .setStatus(Status.UP)
                              .setLocation(
                                  new JsonObject().put("endpoint", manifest.getString("module")))
                              .setMetadata(metadata);
                      return discovery
                          .update(record)
                          .map(
                              saved -> {
                                JsonObject widget = view(saved);
                                if (previous == null) {
                                  announce("registered", widget, null);
                                } else if (!manifest.equals(previous.getJsonObject("manifest"))
                                    || !source.id().equals(previous.getString("source"))) {
                                  announce("updated", widget, null);
                                }
                                return new Registered(widget, previous == null);
                              });
                    }));
  }

  /** Extends a widget's life by its TTL; null when there is no such widget. */
  Future<JsonObject> heartbeat(String id) {
    return heartbeat(id, null);
  }

  /** The same for {@code team} only (null: anybody); another team's widget is not touched. */
  Future<JsonObject> heartbeat(String id, String team) {
    return locked(
        id,
        () ->
            discovery
                .getRecord(KEY_PREFIX + id)
                .compose(
                    existing -> {
                      if (existing == null) {
                        return Future.succeededFuture();
                      }
                      NotYoursException notYours = notYours(existing, team, "refresh");
                      if (notYours != null) {
                        return Future.failedFuture(notYours);
                      }
                      JsonObject metadata = existing.getMetadata();
                      Long ttlSeconds = metadata.getLong("ttlSeconds");
                      if (ttlSeconds != null) {
                        metadata.put("expiresAt", System.currentTimeMillis() + ttlSeconds * 1000);
                      }
                      return discovery.update(existing).map(WidgetStore::view);
                    }));
  }

  /** Removes a widget on request; false when there was none. */
  Future<Boolean> remove(String id) {
    return remove(id, null);
  }

  /** The same for {@code team} only (null: anybody); another team's widget stays. */
  Future<Boolean> remove(String id, String team) {
    return locked(
        id,
        () ->
            discovery
                .getRecord(KEY_PREFIX + id)
                .compose(
                    existing -> {
                      if (existing == null) {
                        return Future.succeededFuture(false);
                      }
                      NotYoursException notYours = notYours(existing, team, "remove");
                      if (notYours != null) {
                        return Future.failedFuture(notYours);
                      }
                      return discovery
                          .unpublish(existing.getRegistration())
                          .map(
                              v -> {
                                announce("removed", view(existing), "deregistered");
                                return true;
                              });
                    }));
  }

  Future<JsonObject> get(String id) {
    return discovery.getRecord(KEY_PREFIX + id).map(r -> r == null ? null : view(r));
  }

  /** Widgets accepted by the filter, ordered by label then id. */
  Future<List<JsonObject>> list(Predicate<JsonObject> filter) {
    return discovery
        .getRecords(r -> TYPE.equals(r.getType()), true)
        .map(
            records ->
                records.stream()
                    .map(WidgetStore::view)
                    .filter(filter)
                    .sorted(
                        Comparator.<JsonObject, String>comparing(
                                w -> w.getJsonObject("manifest").getString("label", ""),
                                String.CASE_INSENSITIVE_ORDER)
                            .thenComparing(w -> w.getString("id")))
                    .toList());
  }

  /**
   * Removes widgets whose TTL ran out and every record (widgets and service endpoints) published by
   * a member that is no longer in the cluster. A member must look gone in two sweeps in a row, so
   * one that is still joining is never mistaken for a dead one.
   */
  Future<Integer> sweep(Set<String> aliveMembers, Set<String> suspects) {
    long now = System.currentTimeMillis();
    return discovery
        .getRecords(r -> true, true)
        .compose(
            records -> {
              Set<String> goneNow = new HashSet<>();
              List<Future<Boolean>> removals = new ArrayList<>();
              for (Record record : records) {
                String member = record.getMetadata().getString(MeshVerticle.MEMBER);
                if (member != null && !aliveMembers.contains(member)) {
                  goneNow.add(member);
                  if (suspects.contains(member)) {
                    removals.add(
                        expire(
                            record,
                            "member-left",
                            current ->
                                member.equals(
                                    current.getMetadata().getString(MeshVerticle.MEMBER))));
                  }
                } else if (expired(record, now)) {
                  removals.add(
                      expire(
                          record, "ttl", current -> expired(current, System.currentTimeMillis())));
                }
              }
              suspects.retainAll(goneNow);
              suspects.addAll(goneNow);
              return Future.join(removals)
                  .map(
                      done ->
                          (int) removals.stream().filter(f -> f.succeeded() && f.result()).count());
            });
  }

  /**
   * Removes a record found stale, if it still is once re-read under its lock: a heartbeat or a
   * re-registration by another member may have saved it between the sweep's read and now.
   */
  private Future<Boolean> expire(Record stale, String reason, Predicate<Record> stillStale) {
    String lockName = TYPE.equals(stale.getType()) ? stale.getName() : stale.getRegistration();
    return locked(
            lockName,
            () ->
                discovery
                    .getRecord(stale.getRegistration())
                    .compose(
                        current -> {
                          if (current == null || !stillStale.test(current)) {
                            return Future.succeededFuture(false);
                          }
                          return discovery
                              .unpublish(current.getRegistration())
                              .map(
                                  v -> {
                                    if (TYPE.equals(current.getType())) {
                                      announce("expired", view(current), reason);
                                    }
                                    return true;
                                  });
                        }))
        .recover(e -> Future.succeededFuture(false));
  }

  private static boolean expired(Record record, long now) {
    Long expiresAt = record.getMetadata().getLong("expiresAt");
    return TYPE.equals(record.getType()) && expiresAt != null && expiresAt <= now;
  }

  private <T> Future<T> locked(String name, Supplier<Future<T>> action) {
    return vertx
        .sharedData()
        .getLockWithTimeout("mesh.registry." + name, LOCK_TIMEOUT_MS)
        .recover(e -> Future.failedFuture(new RegistryBusyException(name)))
        .compose(lock -> action.get().andThen(done -> lock.release()));
  }

  private void announce(String type, JsonObject widget, String reason) {
    JsonObject change =
        new JsonObject()
            .put("type", type)
            .put("id", widget.getString("id"))
            .put("widget", widget)
            .put("at", Instant.now().toString());
    if (reason != null) {
      change.put("reason", reason);
    }
    vertx.eventBus().publish(Addresses.REGISTRY_CHANGES, change);
  }

  /** The JSON a client sees of a widget record. */
  static JsonObject view(Record record) {
    JsonObject metadata = record.getMetadata();
    return new JsonObject()
        .put("id", record.getName())
        .put("manifest", metadata.getJsonObject("manifest"))
        .put("source", metadata.getString("source"))
        .put(MeshVerticle.MEMBER, metadata.getString(MeshVerticle.MEMBER))
        .put("registeredAt", instant(metadata.getLong("registeredAt")))
        .put("lastUpdated", instant(metadata.getLong("lastUpdated")))
        .put("expiresAt", instant(metadata.getLong("expiresAt")));
  }

  private static String instant(Long epochMillis) {
    return epochMillis == null ? null : Instant.ofEpochMilli(epochMillis).toString();
  }

  /**
   * Why {@code team} may not {@code what} the widget of {@code existing}: it is registered with
   * another owner; null when it may (no team, no widget, or the team's own).
   */
  private static NotYoursException notYours(Record existing, String team, String what) {
    if (team == null || existing == null) {
      return null;
    }
    String owner = existing.getMetadata().getJsonObject("manifest").getString("owner");
    return team.equals(owner)
        ? null
        : new NotYoursException(BearerToken.notYours(team, what, existing.getName(), owner));
  }

  /** A team's token asked to change a widget of another owner. */
  static final class NotYoursException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotYoursException(String message) {
      super(message, null, false, false);
    }
  }

  /** The cluster lock of a widget could not be had in time. */
  static final class RegistryBusyException extends RuntimeException {
    RegistryBusyException(String id) {
      super("The registry is busy with widget '" + id + "'; try again");
    }
  }
}
