package dev.mesh.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import dev.mesh.common.MeshConfig;
import dev.mesh.common.MeshNode;
import dev.mesh.common.Setting;
import dev.mesh.registry.Registry;
import dev.mesh.testing.Chromium;
import dev.mesh.testing.Poll;
import dev.mesh.testing.TestCluster;
import dev.mesh.widgethost.WidgetHost;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The gateway restarts under an open dashboard: events keep flowing inside the page meanwhile, and
 * afterwards the SDK has reconnected by itself with its subscriptions (the registry feed, the
 * session's topics) registered again.
 */
class DashboardReconnectBrowserTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String SERVICES = "window[Symbol.for('mesh.dashboard')]";

  @RegisterExtension static final TestCluster cluster = new TestCluster();
  @RegisterExtension static final Chromium chromium = Chromium.forClass();
  private static MeshConfig gatewayConfig;
  private static MeshNode gateway;
  private static String base;

  @BeforeAll
  static void start() throws IOException {
    cluster.start(cluster.config().with(Setting.REGISTRY_TTL_SECONDS, 900), Registry.verticles());
    Path widgets = Files.createTempDirectory("mesh-reconnect-widgets");
    DashboardWidgets.writeKit(widgets);
    cluster.start(cluster.widgetHost(widgets, true), WidgetHost.verticles());
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    // the same port after the restart: the page reconnects to the address it came from
    gatewayConfig = cluster.config().with(Setting.GATEWAY_PORT, port);
    gateway = cluster.start(gatewayConfig, Gateway.verticles());
    base = "http://127.0.0.1:" + port;
  }

  private static String bridge(Page page) {
    return page.locator("html").getAttribute("data-bridge");
  }

  private static long stat(Page page, String name) {
    return ((Number) page.evaluate(SERVICES + ".router.stats." + name)).longValue();
  }

  private static String selectRow(Page page, int row) {
    String region = page.locator("mesh-sales-table tbody tr").nth(row).getAttribute("data-region");
    page.locator("mesh-sales-table tbody tr[data-region='" + region + "']").click();
    Poll.until(
        WAIT,
        "the chart draws " + region,
        () -> page.locator("mesh-sales-chart").getAttribute("data-region"),
        region::equals);
    return region;
  }

  @Test
  void afterTheGatewayRestartsTheSdkIsBackWithItsSubscriptionsAndEventsNeverStopped() {
    Page page = chromium.newPage(Chromium.desktop());
    page.navigate(base + "/");
    Poll.until(WAIT, "the bridge is open", () -> "open".equals(bridge(page)));
    Poll.until(
        WAIT,
        "the chart is ready",
        () ->
            page.locator("section.mesh-frame[data-widget-id='sales-chart'][data-status='ready']")
                    .count()
                == 1);
    page.evaluate(
        """
      () => import('/sdk/mesh.js').then((sdk) => {
        window.__changes = [];
        sdk.watch('mesh.registry.changes', (change) => window.__changes.push(change.type + ':' + change.id));
      })
      """);
    selectRow(page, 1);
    assertThat(stat(page, "viaBridge")).isEqualTo(1);

    cluster.stop(gateway);
    Poll.until(WAIT, "the page notices", () -> !"open".equals(bridge(page)));
    assertThat(page.locator("#status").textContent()).contains("offline");
    // the widgets still talk to each other, inside the page
    selectRow(page, 2);
    assertThat(stat(page, "local")).isEqualTo(1);

    gateway = cluster.start(gatewayConfig, Gateway.verticles());
    Poll.until(WAIT, "the bridge is open again", () -> "open".equals(bridge(page)));
    assertThat(page.locator("#status").textContent()).isEqualTo("live");

    DashboardWidgets.register(
        base,
        "after-restart",
        DashboardWidgets.kitManifest("mesh-test-after-restart", "After the restart", "kit.js", ""));
    Poll.until(
        WAIT,
        "the feed reaches the SDK subscriber again",
        () -> String.valueOf(page.evaluate("window.__changes.join(',')")),
        s -> s.contains("registered:after-restart"));
    page.click("#add-window");
    Poll.until(
        WAIT,
        "the marketplace lists it",
        () -> page.locator(".market-card[data-widget-id='after-restart']").count() == 1);
    selectRow(page, 3);
    assertThat(stat(page, "viaBridge")).as("the session's topic is registered again").isEqualTo(2);
  }
}
