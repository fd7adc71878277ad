package dev.mesh.widgethost;

import dev.mesh.common.MeshVerticle;
import dev.mesh.common.Setting;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.List;

/**
 * Keeps the {@link WidgetCatalog} in line with the built-in examples and the widgets folder: looks
 * at the folder every {@code MESH_WIDGETS_SCAN_MILLIS} (a poll rather than file-system events,
 * which are recursive only on some systems and lost on some mounts, e.g. Kubernetes ConfigMaps).
 */
public final class WidgetWatchVerticle extends MeshVerticle {

  private WidgetCatalog catalog;
  private WidgetScan scan;
  private long period;
  private volatile boolean stopped;

  @Override
  protected Future<?> startService() {
    catalog = WidgetCatalog.of(vertx);
    period = settings.millis(Setting.WIDGETS_SCAN_MILLIS).toMillis();
    boolean examples = settings.flag(Setting.WIDGET_EXAMPLES);
    String folder = settings.string(Setting.WIDGETS_DIR);
    String publicUrl = settings.string(Setting.WIDGETS_PUBLIC_URL);
    return vertx
        .executeBlocking(
            () -> {
              List<HostedWidget> fixed = examples ? Examples.read(publicUrl) : List.of();
              scan = new WidgetScan(fixed, folder.isEmpty() ? null : Path.of(folder), publicUrl);
              return scan.scan(true);
            })
        .onSuccess(this::publish)
        .onSuccess(found -> scheduleNextScan());
  }

  private void scheduleNextScan() {
    if (!stopped) {
      vertx.setTimer(
          period,
          id ->
              vertx
                  .executeBlocking(() -> scan.scan(false))
                  .onSuccess(this::publish)
                  .onComplete(done -> scheduleNextScan()));
    }
  }

  private void publish(WidgetScan.Found found) {
    if (found != null) {
      catalog.replace(vertx, found.widgets(), found.skipped());
    }
  }

  @Override
  protected Future<?> stopService() {
    stopped = true;
    return Future.succeededFuture();
  }
}
