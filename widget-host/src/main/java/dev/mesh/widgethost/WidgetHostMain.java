package dev.mesh.widgethost;

import dev.mesh.common.ServiceMain;

/** The widget-host alone, as it runs in its own Kubernetes Deployment. */
public final class WidgetHostMain {

  private WidgetHostMain() {
  }

  public static void main(String[] args) {
    ServiceMain.run("widget-host", config -> WidgetHost.verticles());
  }
}
