package dev.mesh.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import dev.mesh.common.MeshNode;
import dev.mesh.registry.Registry;
import dev.mesh.testing.Chromium;
import dev.mesh.testing.Endpoints;
import dev.mesh.testing.Poll;
import dev.mesh.testing.TestCluster;
import dev.mesh.widgethost.WidgetHost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a widget author sees in Chromium through the gateway: the catalog page lists the example
 * widgets by domain with preview links, and the preview page loads them from {@code /w/} and passes
 * a table row selection on to the chart and the KPI cards, as their manifests ask.
 */
class PreviewPageBrowserTest {

  private static final Duration WAIT = Duration.ofSeconds(15);

  @RegisterExtension static final TestCluster cluster = new TestCluster();
  @RegisterExtension static final Chromium chromium = Chromium.forClass();
  private static String base;

  @BeforeAll
  static void start() throws IOException {
    Path widgets = Files.createTempDirectory("mesh-preview-widgets");
    cluster.start(cluster.config(), Registry.verticles());
    cluster.start(cluster.widgetHost(widgets, true), WidgetHost.verticles());
    MeshNode gateway = cluster.start(cluster.config(), Gateway.verticles());
    base = "http://127.0.0.1:" + Endpoints.httpPort(gateway, GatewayVerticle.SERVICE_NAME);
  }

  @Test
  void theCatalogListsTheExamplesWithPreviewLinks() {
    Page page = chromium.newPage();
    page.navigate(base + "/catalog.html");
    Poll.until(WAIT, "three sales widgets listed", () -> page.locator("#catalog li").count() >= 3);
    assertThat(page.locator("#catalog h3").allTextContents()).anyMatch(h -> h.startsWith("sales"));
    assertThat(page.locator("#catalog li .label a").first().getAttribute("href"))
        .startsWith("preview.html?widget=");
    chromium.assertNoProblems(page);
  }

  @Test
  void aRowSelectedInThePreviewReachesTheChartAndTheKpis() {
    Page page = chromium.newPage(new Browser.NewContextOptions().setViewportSize(1400, 1000));
    page.navigate(base + "/preview.html?widget=sales-table&widget=sales-chart&widget=sales-kpis");
    Poll.until(
        WAIT, "all three loaded", () -> page.locator("#status").textContent().startsWith("3 of 3"));
    Poll.until(WAIT, "table rows", () -> page.locator("mesh-sales-table tbody tr").count() > 1);

    String region = page.locator("mesh-sales-table tbody tr").nth(1).getAttribute("data-region");
    page.locator("mesh-sales-table tbody tr[data-region='" + region + "']").click();

    Poll.until(
        WAIT,
        "chart shows " + region,
        () -> region.equals(page.locator("mesh-sales-chart").getAttribute("data-region")));
    Poll.until(
        WAIT,
        "KPIs show " + region,
        () -> region.equals(page.locator("mesh-sales-kpis").getAttribute("data-region")));
    assertThat(page.locator("mesh-sales-chart figcaption").textContent()).contains(region);
    assertThat(page.locator("#events li").first().textContent())
        .contains("row-selected")
        .contains("from sales-table")
        .contains("sales-chart")
        .contains("sales-kpis");
    chromium.assertNoProblems(page);
  }

  @Test
  void anUnknownWidgetIsNamedInItsFrameAndTheOthersStillLoad() {
    Page page = chromium.newPage();
    page.navigate(base + "/preview.html?widget=no-such-widget&widget=sales-table");
    Poll.until(
        WAIT,
        "one of two loaded",
        () -> page.locator("#status").textContent().startsWith("1 of 2"));
    assertThat(page.locator(".frame .error").textContent()).contains("no-such-widget");
    assertThat(page.locator("mesh-sales-table").count()).isEqualTo(1);
  }
}
