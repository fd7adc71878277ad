package dev.mesh.reliability;

import dev.mesh.common.ServiceMain;
import dev.mesh.tracker.ProjectionVerticle;
import java.util.List;

/** The tracker's projection alone in a JVM of its own, for FaultsTest to kill while it projects. */
final class ProjectionMain {

  private ProjectionMain() {}

  public static void main(String[] args) {
    ServiceMain.run("projection", config -> List.of(ProjectionVerticle::new));
  }
}
