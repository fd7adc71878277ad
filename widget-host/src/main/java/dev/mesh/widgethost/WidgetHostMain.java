package dev.mesh.widgethost;

import dev.mesh.common.MeshConfig;
import dev.mesh.common.ServiceMain;
import dev.mesh.common.Setting;
import dev.mesh.widgethost.sidecar.Sidecar;

/**
 * The widget-host alone, as it runs in its own Kubernetes Deployment ({@code serve}: a cluster
 * member serving widget folders) or beside a team's own widget server ({@code sidecar}: registers
 * that server's widgets over REST, outside the cluster).
 */
public final class WidgetHostMain {

  private static final System.Logger LOG = System.getLogger(WidgetHostMain.class.getName());

  enum Mode {
    SERVE,
    SIDECAR
  }

  private WidgetHostMain() {}

  public static void main(String[] args) {
    ServiceMain.configureLogging();
    MeshConfig config;
    Mode mode;
    try {
      config = MeshConfig.load();
      mode = config.choice(Setting.WIDGET_HOST_MODE, Mode.class);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "widget-host failed to start: " + e.getMessage());
      System.exit(1);
      return;
    }
    if (mode == Mode.SIDECAR) {
      Sidecar.run(config);
    } else {
      ServiceMain.run("widget-host", settings -> WidgetHost.verticles());
    }
  }
}
