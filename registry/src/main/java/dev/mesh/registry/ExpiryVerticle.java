package dev.mesh.registry;

import dev.mesh.common.MeshVerticle;
import dev.mesh.common.Setting;
import io.vertx.core.Future;
import java.util.HashSet;
import java.util.Set;

/**
 * Keeps the registry honest: every sweep interval it drops REST registrations whose heartbeats
 * stopped and the records of members that left or died (service discovery itself never does this).
 * Several registry instances may sweep at once; the store's locks make that harmless.
 */
public final class ExpiryVerticle extends MeshVerticle {

  private static final System.Logger LOG = System.getLogger(ExpiryVerticle.class.getName());

  private final Set<String> suspects = new HashSet<>();
  private boolean sweeping;

  @Override
  protected Future<?> startService() {
    WidgetStore store = new WidgetStore(vertx, discovery);
    long interval = settings.millis(Setting.REGISTRY_SWEEP_MILLIS).toMillis();
    vertx.setPeriodic(
        interval,
        interval,
        id -> {
          if (sweeping) {
            return; // a slow sweep is never overlapped by the next
          }
          sweeping = true;
          store
              .sweep(new HashSet<>(node.members()), suspects)
              .onSuccess(
                  removed -> {
                    if (removed > 0) {
                      LOG.log(System.Logger.Level.INFO, "Expired {0} registration(s)", removed);
                    }
                  })
              .onFailure(
                  e -> LOG.log(System.Logger.Level.WARNING, "Sweep failed: " + e.getMessage()))
              .onComplete(done -> sweeping = false);
        });
    return Future.succeededFuture();
  }
}
