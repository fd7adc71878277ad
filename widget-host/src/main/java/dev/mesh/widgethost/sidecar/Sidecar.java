package dev.mesh.widgethost.sidecar;

import dev.mesh.common.MeshConfig;
import dev.mesh.common.ServiceMain;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The widget-host process in sidecar mode: a plain (non-clustered) Vert.x running {@link
 * SidecarVerticle}.
 */
public final class Sidecar {

  private static final System.Logger LOG = System.getLogger(Sidecar.class.getName());
  private static final String NAME = "widget-host sidecar";

  private Sidecar() {}

  /**
   * Starts the sidecar and, on SIGTERM, stops it (removing its widgets from the registry). A bad
   * configuration exits 1 with one log line naming the setting or file.
   */
  public static void run(MeshConfig config) {
    long started = System.nanoTime();
    Vertx vertx = Vertx.vertx();
    SidecarVerticle sidecar = new SidecarVerticle();
    try {
      ServiceMain.await(
          vertx
              .deployVerticle(sidecar, new DeploymentOptions().setConfig(config.toJson()))
              .toCompletionStage(),
          30,
          "the sidecar");
    } catch (Exception e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      if (cause instanceof IllegalArgumentException) {
        // the operator's mistake: the message says what to fix, a stack trace would only bury it
        LOG.log(System.Logger.Level.ERROR, NAME + " failed to start: " + cause.getMessage());
      } else {
        LOG.log(System.Logger.Level.ERROR, NAME + " failed to start: " + cause.getMessage(), cause);
      }
      vertx.close();
      System.exit(1);
      return;
    }
    // registered after a successful start, so a failed one exits with its single line and no stop
    // notes
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(vertx), "sidecar-shutdown"));
    LOG.log(
        System.Logger.Level.INFO,
        "{0} ready in {1} ms",
        NAME,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  private static void stop(Vertx vertx) {
    ServiceMain.shutdownNote(NAME + " stopping");
    try {
      // undeploying the verticle removes the widgets, itself bounded to a few seconds
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      ServiceMain.shutdownNote(NAME + " stopped");
    } catch (Exception e) {
      ServiceMain.shutdownNote(NAME + " did not stop cleanly: " + e.getMessage());
    }
  }
}
