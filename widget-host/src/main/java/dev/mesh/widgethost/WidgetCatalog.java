package dev.mesh.widgethost;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.Shareable;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What this widget-host serves right now, shared by its verticles in one Vert.x instance: the
 * folder watcher replaces it as a whole, the file server and the registrar read it. Announced on
 * {@link #CHANGED} (local to this process) after each replacement.
 */
final class WidgetCatalog implements Shareable {

  static final String CHANGED = "mesh.widget-host.catalog-changed";
  private static final String LOCAL_MAP = "mesh.widget-host";

  private record Snapshot(Map<String, HostedWidget> widgets, List<SkippedFolder> skipped) {}

  private volatile Snapshot current = new Snapshot(Map.of(), List.of());

  static WidgetCatalog of(Vertx vertx) {
    return (WidgetCatalog)
        vertx
            .sharedData()
            .getLocalMap(LOCAL_MAP)
            .computeIfAbsent("catalog", key -> new WidgetCatalog());
  }

  HostedWidget get(String id) {
    return current.widgets.get(id);
  }

  Collection<HostedWidget> widgets() {
    return current.widgets.values();
  }

  void replace(Vertx vertx, Map<String, HostedWidget> widgets, List<SkippedFolder> skipped) {
    current = new Snapshot(Map.copyOf(widgets), List.copyOf(skipped));
    vertx.eventBus().publish(CHANGED, null, new DeliveryOptions().setLocalOnly(true));
  }

  JsonObject describe() {
    Snapshot snapshot = current;
    JsonArray widgets = new JsonArray();
    snapshot.widgets.values().stream()
        .sorted(java.util.Comparator.comparing(HostedWidget::id))
        .forEach(w -> widgets.add(w.describe()));
    JsonArray skipped = new JsonArray();
    snapshot.skipped.forEach(s -> skipped.add(s.describe()));
    return new JsonObject().put("widgets", widgets).put("skipped", skipped);
  }
}
