package dev.mesh.tracker;

import dev.mesh.common.MeshConfig;
import dev.mesh.common.ServiceMain;

/**
 * The tracker alone, as it runs in its own Kubernetes Deployment; with the argument {@code
 * pinot-setup}, the one-off command that creates the Pinot schema and table ({@link PinotSetup})
 * and exits.
 */
public final class TrackerMain {

  static final String PINOT_SETUP = "pinot-setup";

  private TrackerMain() {}

  public static void main(String[] args) {
    if (args.length == 0) {
      ServiceMain.run("tracker", config -> Tracker.verticles());
    } else if (args.length == 1 && PINOT_SETUP.equals(args[0])) {
      ServiceMain.configureLogging();
      MeshConfig config;
      try {
        config = MeshConfig.load();
      } catch (RuntimeException e) {
        System.out.println("pinot-setup: bad setting: " + e.getMessage());
        System.exit(2);
        return;
      }
      System.exit(PinotSetup.run(config, System.out));
    } else {
      System.err.println(
          "Unknown arguments "
              + String.join(" ", args)
              + ": the tracker takes none (run the service) or "
              + PINOT_SETUP
              + " (create the Pinot schema and table, then exit)");
      System.exit(2);
    }
  }
}
