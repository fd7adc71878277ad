package dev.mesh.gateway;

import dev.mesh.common.ServiceMain;

/** The gateway alone, as it runs in its own Kubernetes Deployment. */
public final class GatewayMain {

  private GatewayMain() {}

  public static void main(String[] args) {
    ServiceMain.run("gateway", config -> Gateway.verticles());
  }
}
