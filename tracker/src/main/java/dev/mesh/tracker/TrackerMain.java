package dev.mesh.tracker;

import dev.mesh.common.ServiceMain;

/** The tracker alone, as it runs in its own Kubernetes Deployment. */
public final class TrackerMain {

  private TrackerMain() {
  }

  public static void main(String[] args) {
    ServiceMain.run("tracker", config -> Tracker.verticles());
  }
}
