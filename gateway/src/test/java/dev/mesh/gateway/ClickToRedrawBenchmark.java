package dev.mesh.gateway;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.ReducedMotion;
import dev.mesh.common.MeshNode;
import dev.mesh.registry.Registry;
import dev.mesh.testing.Chromium;
import dev.mesh.testing.Endpoints;
import dev.mesh.testing.Poll;
import dev.mesh.testing.TestCluster;
import dev.mesh.widgethost.WidgetHost;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Click-to-redraw latency across two widgets in Chromium: from the click on a table row (the
 * event's time in the page) to the chart having drawn the region (its {@code data-region} set after
 * the draw), and to the next animation frame after that. The dashboard carries the event over the
 * SockJS bridge and back; the reference, in the same run, is the preview page, which hands the
 * event over inside the page. A benchmark, not a test (surefire does not pick it up by its name):
 *
 * <pre>
 * mvn -B -o verify -pl gateway -Dtest=ClickToRedrawBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class ClickToRedrawBenchmark {

  private static final int CLICKS = Integer.getInteger("clicks", 200);
  private static final int WARM_UP = 20;
  private static final Duration WAIT = Duration.ofSeconds(20);

  // the click's time, then the chart's draw (attribute set) and the following frame
  private static final String PROBE =
      """
    () => {
      window.__latency = [];
      let clicked = null;
      document.addEventListener('click', (e) => { clicked = e.timeStamp; }, true);
      const chart = document.querySelector('mesh-sales-chart');
      new MutationObserver(() => {
        if (clicked === null) return;
        const start = clicked;
        clicked = null;
        const drawn = performance.now() - start;
        requestAnimationFrame(() => window.__latency.push([drawn, performance.now() - start]));
      }).observe(chart, { attributes: true, attributeFilter: ['data-region'] });
    }
    """;

  @Test
  void clickToRedraw() throws Exception {
    try (TestCluster cluster = new TestCluster()) {
      cluster.start(cluster.config(), Registry.verticles());
      cluster.start(cluster.widgetHost(null, true), WidgetHost.verticles());
      MeshNode gateway = cluster.start(cluster.config(), Gateway.verticles());
      String base = "http://127.0.0.1:" + Endpoints.httpPort(gateway, GatewayVerticle.SERVICE_NAME);
      try (Chromium chromium = Chromium.launch()) {
        Browser.NewContextOptions options =
            Chromium.desktop().setReducedMotion(ReducedMotion.REDUCE);
        List<double[]> reference =
            measure(
                chromium.newPage(options),
                base + "/preview.html?widget=sales-table&widget=sales-chart",
                null);
        List<double[]> dashboard = measure(chromium.newPage(options), base + "/", "open");
        System.out.printf(
            Locale.ROOT,
            "%nclick-to-redraw, %d clicks each (after %d warm-up), Chromium headless, %d cores%n",
            CLICKS,
            WARM_UP,
            Runtime.getRuntime().availableProcessors());
        report("dashboard, over the bridge", dashboard);
        report("reference: preview page, in the page", reference);
      }
    }
  }

  private static List<double[]> measure(Page page, String url, String bridge) {
    page.navigate(url);
    Poll.until(
        WAIT,
        "the chart and the table",
        () ->
            page.locator("mesh-sales-chart").count() == 1
                && page.locator("mesh-sales-table tbody tr").count() > 2);
    if (bridge != null) {
      Poll.until(
          WAIT,
          "the bridge",
          () -> bridge.equals(page.locator("html").getAttribute("data-bridge")));
      Poll.until(
          WAIT,
          "the chart ready",
          () ->
              page.locator("section.mesh-frame[data-widget-id='sales-chart'][data-status='ready']")
                      .count()
                  == 1);
    }
    page.evaluate(PROBE);
    List<double[]> samples = new ArrayList<>();
    for (int i = 0; i < WARM_UP + CLICKS; i++) {
      int expected = i + 1;
      page.locator("mesh-sales-table tbody tr").nth(1 + i % 2).click();
      page.waitForFunction("n => window.__latency.length >= n", expected);
      if (i >= WARM_UP) {
        @SuppressWarnings("unchecked")
        List<Number> sample =
            (List<Number>) page.evaluate("window.__latency[window.__latency.length - 1]");
        samples.add(new double[] {sample.get(0).doubleValue(), sample.get(1).doubleValue()});
      }
    }
    return samples;
  }

  private static void report(String what, List<double[]> samples) {
    System.out.printf(
        Locale.ROOT,
        "%-40s drawn: median %6.1f ms, p99 %6.1f ms   next frame: median %6.1f ms, p99 %6.1f ms%n",
        what,
        percentile(samples, 0, 50),
        percentile(samples, 0, 99),
        percentile(samples, 1, 50),
        percentile(samples, 1, 99));
  }

  private static double percentile(List<double[]> samples, int column, int p) {
    double[] values = samples.stream().mapToDouble(s -> s[column]).sorted().toArray();
    int index = (int) Math.ceil(p / 100.0 * values.length) - 1;
    return values[Math.max(0, Math.min(values.length - 1, index))];
  }
}
