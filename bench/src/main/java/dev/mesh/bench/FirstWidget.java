package dev.mesh.bench;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.mesh.testing.Chromium;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Time to first widget rendered in Chromium (headless, Debian's /usr/bin/chromium driven by
 * Playwright): from navigation start (the page's performance time origin) to the first animation
 * frame in which a widget element is in the page with content (its shadow root's or its own) and a
 * size, so at most one frame late. Every navigation is in a new browser context: an empty cache, as
 * on a first visit. The reference, same run and browser: RefDIR served by a plain Vert.x static
 * server (gzip), golden-layout with two plain custom elements (bench/src/main/reference).
 *
 * <pre>
 * java -cp ... dev.mesh.bench.FirstWidget --url http://127.0.0.1:8080/ --selector 'mesh-sales-table,mesh-sales-chart'
 *   --reference DIR [--runs 20] [--chromium /usr/bin/chromium]</pre>
 */
public final class FirstWidget {

  // runs before the page's scripts: watches every frame until a widget element has rendered
  private static final String PROBE =
      """
    (() => {
      const selector = %s;
      const rendered = (el) => {
        const root = el.shadowRoot || el;
        const r = el.getBoundingClientRect();
        return root.childElementCount > 0 && r.width > 0 && r.height > 0;
      };
      const frame = () => {
        const found = [...document.querySelectorAll(selector)].find(rendered);
        if (found) {
          window.__firstWidget = { at: performance.now(), tag: found.localName };
        } else {
          requestAnimationFrame(frame);
        }
      };
      requestAnimationFrame(frame);
    })();
    """;

  public static void main(String[] argv) throws Exception {
    Args args = new Args(argv);
    String url = args.string("url", "http://127.0.0.1:8080/");
    String selector = args.string("selector", "mesh-sales-table,mesh-sales-chart");
    Path reference = Path.of(args.string("reference", null));
    int runs = args.integer("runs", 20);
    String chromium = args.string("chromium", "/usr/bin/chromium");

    Vertx vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    router
        .route()
        .handler(
            StaticHandler.create(
                    io.vertx.ext.web.handler.FileSystemAccess.ROOT,
                    reference.toAbsolutePath().toString())
                .setCachingEnabled(false));
    int port =
        vertx
            .createHttpServer(new HttpServerOptions().setCompressionSupported(true))
            .requestHandler(router)
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS)
            .actualPort();
    String referenceUrl = "http://127.0.0.1:" + port + "/index.html";

    try (Chromium launched = Chromium.launch(Path.of(chromium))) {
      Browser browser = launched.browser();
      // one navigation each first, not counted: Chromium's own start and the servers' JIT
      measure(browser, url, selector);
      measure(browser, referenceUrl, "x-widget-a,x-widget-b");
      List<double[]> dashboard = new ArrayList<>();
      List<double[]> bare = new ArrayList<>();
      for (int i = 0; i < runs; i++) { // alternated, so both see the same machine
        dashboard.add(measure(browser, url, selector));
        bare.add(measure(browser, referenceUrl, "x-widget-a,x-widget-b"));
      }
      System.out.printf(
          Locale.ROOT,
          "time to first widget rendered, %d navigations each (new context each), Chromium %s headless%n",
          runs,
          browser.version());
      System.out.println(
          "| page | n | first contentful paint, median | first widget, median | p90 | max |");
      System.out.println("|---|---|---|---|---|---|");
      row("dashboard " + url, dashboard);
      row("reference: golden-layout + two custom elements", bare);
    }
    Runtime.getRuntime().halt(0);
  }

  /** {first widget ms, first contentful paint ms} */
  private static double[] measure(Browser browser, String url, String selector) {
    try (BrowserContext context = browser.newContext(Chromium.desktop())) {
      context.addInitScript(String.format(Locale.ROOT, PROBE, "'" + selector + "'"));
      Page page = context.newPage();
      page.navigate(url);
      page.waitForFunction(
          "() => window.__firstWidget", null, new Page.WaitForFunctionOptions().setTimeout(30_000));
      double first = ((Number) page.evaluate("() => window.__firstWidget.at")).doubleValue();
      Object fcp =
          page.evaluate(
              "() => (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || -1");
      return new double[] {first, ((Number) fcp).doubleValue()};
    }
  }

  private static void row(String what, List<double[]> samples) {
    List<Double> first = new ArrayList<>();
    List<Double> fcp = new ArrayList<>();
    samples.forEach(
        s -> {
          first.add(s[0]);
          fcp.add(s[1]);
        });
    Collections.sort(first);
    Collections.sort(fcp);
    int n = first.size();
    System.out.printf(
        Locale.ROOT,
        "| %s | %d | %.0f ms | %.0f ms | %.0f ms | %.0f ms |%n",
        what,
        n,
        fcp.get((n - 1) / 2),
        first.get((n - 1) / 2),
        first.get((int) Math.ceil(n * 0.9) - 1),
        first.get(n - 1));
  }
}
