package dev.mesh.registry;

import dev.mesh.common.ServiceMain;

/** The registry alone, as it runs in its own Kubernetes Deployment. */
public final class RegistryMain {

  private RegistryMain() {}

  public static void main(String[] args) {
    ServiceMain.run("registry", config -> Registry.verticles());
  }
}
