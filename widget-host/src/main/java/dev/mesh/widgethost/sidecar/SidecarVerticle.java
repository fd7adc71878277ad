package dev.mesh.widgethost.sidecar;

import dev.mesh.common.MeshConfig;
import dev.mesh.common.ServiceMain;
import dev.mesh.common.Setting;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Sidecar mode of the widget-host: registers the widgets of {@code MESH_SIDECAR_MANIFEST}, served
 * by a neighbour container, through the registry's REST API, keeps them alive, and removes them on
 * stop. Runs on a plain Vert.x: a sidecar never joins the cluster.
 */
public final class SidecarVerticle extends VerticleBase {

  private static final System.Logger LOG = System.getLogger(SidecarVerticle.class.getName());

  static final long MANIFEST_POLL_MS = 1000;

  /**
   * Removal on stop is bounded: a pod's grace period is short, and an unremoved widget still
   * expires.
   */
  static final long STOP_BOUND_MS = 3000;

  private ManifestFile file;
  private RegistryRest registry;
  private final Map<String, WidgetRegistration> widgets = new LinkedHashMap<>();

  /**
   * Removals still under way, so that an id put back in the file is registered only after its
   * removal.
   */
  private final Map<String, Future<String>> removing = new HashMap<>();

  private String manifestProblem;
  private boolean checkingManifest;
  private boolean stopping;

  /** The configured port, then the actual one. */
  private int port;

  private String bindHost;

  @Override
  public Future<?> start() {
    try {
      readSettings();
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    // a bad file or a busy port stops the start before anything is registered
    return file.read(vertx)
        .compose(manifests -> listen().map(manifests))
        .onSuccess(
            manifests -> {
              apply(manifests);
              LOG.log(
                  System.Logger.Level.INFO,
                  "Sidecar registering "
                      + widgets.keySet()
                      + " from "
                      + file.path()
                      + " with "
                      + registry.url()
                      + "; health and status on port "
                      + port);
              vertx.setPeriodic(MANIFEST_POLL_MS, t -> checkManifestFile());
            })
        .onFailure(e -> registry.close());
  }

  /** The port of {@code /health/*} and {@code /status} (the actual one when configured as 0). */
  public int port() {
    return port;
  }

  private void readSettings() {
    MeshConfig settings = MeshConfig.of(config());
    file = ManifestFile.of(settings);
    port = settings.port(Setting.WIDGET_HOST_PORT);
    bindHost = settings.string(Setting.BIND_HOST);
    registry = RegistryRest.create(vertx, settings);
  }

  private Future<HttpServer> listen() {
    return vertx
        .createHttpServer()
        .requestHandler(SidecarEndpoints.router(vertx, this::status))
        .listen(port, bindHost)
        .recover(
            e ->
                Future.failedFuture(
                    new IllegalArgumentException(
                        Setting.WIDGET_HOST_PORT.key()
                            + " "
                            + port
                            + " on "
                            + bindHost
                            + " cannot be used: "
                            + e.getMessage(),
                        e)))
        .onSuccess(server -> port = server.actualPort());
  }

  /**
   * Registers new ids, sends changed manifests, removes ids that left the file; says what changed.
   */
  private String apply(Map<String, JsonObject> manifests) {
    List<String> added = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    for (String id : List.copyOf(widgets.keySet())) {
      if (!manifests.containsKey(id)) {
        removed.add(id);
        Future<String> removal =
            widgets
                .remove(id)
                .stop()
                .onSuccess(
                    note ->
                        LOG.log(
                            System.Logger.Level.INFO, note + " (no longer in the manifest file)"));
        removing.put(id, removal);
        removal.onComplete(done -> removing.remove(id, removal));
      }
    }
    manifests.forEach(
        (id, manifest) -> {
          WidgetRegistration existing = widgets.get(id);
          if (existing != null) {
            if (existing.update(manifest)) {
              changed.add(id);
            }
            return;
          }
          added.add(id);
          WidgetRegistration registration = new WidgetRegistration(vertx, registry, manifest);
          widgets.put(id, registration);
          removing
              .getOrDefault(id, Future.succeededFuture())
              .onComplete(
                  done -> {
                    if (widgets.get(id) == registration) {
                      registration.start();
                    }
                  });
        });
    return "added " + added + ", changed " + changed + ", removed " + removed;
  }

  /**
   * Picks up an edited file (a ConfigMap update); a broken edit is reported once and changes
   * nothing.
   */
  private void checkManifestFile() {
    if (checkingManifest || stopping) {
      return;
    }
    checkingManifest = true;
    file.changed(vertx)
        .compose(
            changed ->
                changed
                    ? file.read(vertx)
                        .map(
                            manifests -> {
                              manifestProblem = null;
                              if (!stopping) {
                                LOG.log(
                                    System.Logger.Level.INFO,
                                    "Manifest file "
                                        + file.path()
                                        + " read again: "
                                        + apply(manifests));
                              }
                              return null;
                            })
                    : Future.succeededFuture())
        .onFailure(
            e -> {
              manifestProblem = e.getMessage();
              LOG.log(
                  System.Logger.Level.ERROR,
                  e.getMessage() + "; keeping the widgets " + widgets.keySet() + " as they were");
            })
        .onComplete(done -> checkingManifest = false);
  }

  private JsonObject status() {
    return new JsonObject()
        .put("mode", "sidecar")
        .put("registry", registry.url())
        .put("manifestFile", file.path())
        .put("manifestProblem", manifestProblem)
        .put(
            "widgets",
            new JsonArray(widgets.values().stream().map(WidgetRegistration::status).toList()));
  }

  @Override
  public Future<?> stop() {
    // no edit of the file may start a registration while the widgets are being removed
    stopping = true;
    List<WidgetRegistration> all = List.copyOf(widgets.values());
    List<Future<String>> removals = all.stream().map(WidgetRegistration::stop).toList();
    return Future.join(removals)
        .timeout(STOP_BOUND_MS, TimeUnit.MILLISECONDS)
        .onComplete(
            done -> {
              // the shutdown hook's lines: java.util.logging may already be closed by its own hook
              for (int i = 0; i < all.size(); i++) {
                Future<String> removal = removals.get(i);
                ServiceMain.shutdownNote(
                    removal.isComplete()
                        ? removal.result()
                        : "Widget '"
                            + all.get(i).id()
                            + "' not removed within "
                            + STOP_BOUND_MS
                            + " ms; it expires after its TTL");
              }
            })
        .otherwiseEmpty()
        .eventually(
            () -> {
              registry.close();
              return Future.succeededFuture();
            });
  }
}
