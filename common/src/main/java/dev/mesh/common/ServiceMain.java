package dev.mesh.common;

import io.vertx.core.Deployable;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.LogManager;

/**
 * What every service's {@code main} does: read the configuration, join the cluster, deploy the
 * verticles, and on SIGTERM undeploy them (un-publishing their records) before leaving the cluster.
 */
public final class ServiceMain {

  private static final System.Logger LOG = System.getLogger(ServiceMain.class.getName());

  /**
   * How long a stopping service may take to leave; the chart's terminationGracePeriodSeconds
   * exceeds it.
   */
  public static final int STOP_SECONDS = 20;

  private ServiceMain() {}

  public static void run(
      String service, Function<MeshConfig, List<Supplier<? extends Deployable>>> verticles) {
    configureLogging();
    long started = System.nanoTime();
    try {
      MeshConfig config = MeshConfig.load();
      MeshNode node = await(MeshNode.start(config).toCompletionStage(), 60, "the cluster member");
      closeOnShutdown(node, service);
      await(node.deploy(verticles.apply(config)).toCompletionStage(), 60, "the verticles");
      LOG.log(
          System.Logger.Level.INFO,
          "{0} ready in {1} ms (member {2})",
          service,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
          node.nodeId());
    } catch (Exception e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      LOG.log(
          System.Logger.Level.ERROR, service + " failed to start: " + cause.getMessage(), cause);
      System.exit(1);
    }
  }

  /** Waits for a start-up step; a time-out says which step did not finish. */
  public static <T> T await(CompletionStage<T> step, int seconds, String what) throws Exception {
    try {
      return step.toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException(what + " did not start within " + seconds + " s", e);
    }
  }

  public static void closeOnShutdown(MeshNode node, String service) {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  shutdownNote(service + " stopping");
                  try {
                    node.close()
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(STOP_SECONDS, TimeUnit.SECONDS);
                    shutdownNote(service + " stopped");
                  } catch (Exception e) {
                    shutdownNote(service + " did not stop cleanly: " + e.getMessage());
                  }
                },
                service + "-shutdown"));
  }

  /**
   * A log line written during shutdown. java.util.logging closes its handlers in a shutdown hook of
   * its own, racing ours, so these lines go straight to standard error in the same format.
   */
  public static void shutdownNote(String message) {
    System.err.printf("%1$tF %1$tT.%1$tL INFO    %2$s%n", System.currentTimeMillis(), message);
  }

  /** One-line log records unless the operator brought a logging configuration of their own. */
  public static void configureLogging() {
    if (System.getProperty("java.util.logging.config.file") != null) {
      return;
    }
    try (InputStream in = ServiceMain.class.getResourceAsStream("/mesh-logging.properties")) {
      if (in != null) {
        LogManager.getLogManager().readConfiguration(in);
      }
    } catch (IOException e) {
      System.err.println("Cannot read mesh-logging.properties: " + e.getMessage());
    }
  }
}
