package dev.mesh.widgethost;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.options.ReducedMotion;
import dev.mesh.common.MeshNode;
import dev.mesh.testing.Chromium;
import dev.mesh.testing.Endpoints;
import dev.mesh.testing.Http;
import dev.mesh.testing.Poll;
import dev.mesh.testing.TestCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Month;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example widgets in a real Chromium, served by a real widget-host (examples on, plus a copy of
 * docs/widget-template in its widgets folder). Each test loads the modules named by the manifests
 * the host publishes into a bare page on the host's origin, and checks what a person and the other
 * widgets see. Expected figures are computed here from the data file the table ships, never written
 * down.
 */
class ExampleWidgetsBrowserTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String TABLE = "mesh-sales-table";
  private static final String CHART = "mesh-sales-chart";
  private static final String KPIS = "mesh-sales-kpis";

  /**
   * The test page: records every mesh:publish that reaches the document, and notes the window's own
   * properties before any widget loads, so that whatever a widget leaks onto window shows up.
   */
  private static final String PAGE =
      """
    <!doctype html>
    <html lang="en"><head><meta charset="utf-8"><title>Example widgets</title>
    <script>
      window.windowBefore = null;
      window.published = [];
      document.addEventListener('mesh:publish', (e) => published.push(
        {topic: e.detail.topic, payload: e.detail.payload, target: e.target.localName, composed: e.composed}));
      window.windowBefore = Object.getOwnPropertyNames(window);
    </script>
    <style>
      body { margin: 16px; font-family: sans-serif; }
      mesh-sales-chart { display: block; width: 640px; height: 320px; }
    </style>
    %s
    </head><body>
    %s
    </body></html>
    """;

  @TempDir static Path widgetsDir;

  @RegisterExtension static final TestCluster cluster = new TestCluster();
  @RegisterExtension static final Chromium chromium = Chromium.forClass();
  private static String base;
  private static Map<String, JsonObject> manifests;
  private static JsonObject data;

  private Page page;

  @BeforeAll
  static void start() throws Exception {
    // the template, copied as the guide tells an author to: a folder named after the widget, no
    // edits
    Path hello = Files.createDirectories(widgetsDir.resolve("hello-widget"));
    try (var files = Files.list(templateFolder())) {
      for (Path file : files.toList()) {
        Files.copy(file, hello.resolve(file.getFileName().toString()));
      }
    }
    MeshNode node = cluster.start(cluster.widgetHost(widgetsDir, true), WidgetHost.verticles());
    base = "http://127.0.0.1:" + Endpoints.httpPort(node, WidgetHostVerticle.SERVICE_NAME);
    manifests =
        Poll.until(
            WAIT,
            "the examples and the template served by the widget-host",
            ExampleWidgetsBrowserTest::served,
            m ->
                m.keySet()
                    .containsAll(
                        List.of(
                            "sales-table",
                            "sales-chart",
                            "sales-kpis",
                            "site-traffic",
                            "top-pages",
                            "hello-widget")));
    try (InputStream in =
        ExampleWidgetsBrowserTest.class
            .getClassLoader()
            .getResourceAsStream("mesh-examples/sales-table/sales.json")) {
      assertThat(in).as("sales.json in the built examples").isNotNull();
      data = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void theHostServesEveryExampleWithVersionedUrlsAndOneSchemaPerTopic() throws Exception {
    JsonObject listing = getJson("/api/host/widgets");
    assertThat(listing.getJsonArray("skipped")).as("skipped folders").isEmpty();
    for (String id :
        List.of("sales-table", "sales-chart", "sales-kpis", "site-traffic", "top-pages")) {
      JsonObject manifest = manifests.get(id);
      String module = manifest.getString("module");
      assertThat(module).as(id + " module URL").matches("/w/" + id + "/[^/]+/" + id + "\\.js");
      assertThat(manifest.getString("icon"))
          .as(id + " icon URL")
          .matches("/w/" + id + "/[^/]+/icon\\.svg");
      Http.Answer js = new Http(base).get(module);
      assertThat(js.status()).isEqualTo(200);
      // browsers run a module script only when it is served as JavaScript; that the bundle imports
      // nothing it cannot resolve is shown by the tests below, which load it
      assertThat(js.header("content-type")).contains("javascript");
    }
    // the listeners declare the emitter's payload schema: a listener built against another would
    // drop events
    for (String listener : List.of("sales-chart", "sales-kpis")) {
      JsonObject listens = manifests.get(listener).getJsonArray("listens").getJsonObject(0);
      assertThat(listens.getString("topic")).isEqualTo("row-selected");
      assertThat(listens.getJsonObject("schema"))
          .as(listener + " schema")
          .isEqualTo(rowSelectedSchema());
    }
    // the analytics widgets (tested with the tracker, in its module) emit and listen to one
    // page-selected
    JsonObject pageSelected = manifests.get("top-pages").getJsonArray("emits").getJsonObject(0);
    assertThat(pageSelected.getString("topic")).isEqualTo("page-selected");
    for (String id : List.of("site-traffic", "top-pages")) {
      JsonObject manifest = manifests.get(id);
      assertThat(manifest.getString("domain")).isEqualTo("web-analytics");
      for (String side : List.of("emits", "listens")) {
        assertThat(manifest.getJsonArray(side).getJsonObject(0).getJsonObject("schema"))
            .as(id + " " + side)
            .isEqualTo(pageSelected.getJsonObject("schema"));
      }
    }
  }

  @Test
  void theTableShowsEveryRegionOfItsDataSet() {
    page = open("<mesh-sales-table locale=\"en-US\"></mesh-sales-table>", "sales-table");
    waitForAttribute(TABLE, "data-state", "ready");

    Locator rows = page.locator(TABLE + " tbody tr");
    assertThat(rows.allTextContents()).hasSize(regions().size());
    assertThat(page.locator(TABLE + " tbody tr td:first-child").allTextContents())
        .containsExactlyElementsOf(regions());
    // the full amount of each row's total, from the data file
    List<String> totals =
        page.locator(TABLE + " tbody tr td.total").all().stream()
            .map(td -> td.getAttribute("title"))
            .toList();
    assertThat(totals)
        .containsExactlyElementsOf(regions().stream().map(r -> euros(total(r))).toList());
    assertThat(page.locator(TABLE + " tbody tr[aria-selected='true']").count()).isZero();
    assertThat(page.locator(TABLE).getAttribute("data-region")).isNull();
    chromium.assertNoProblems(page);
  }

  @Test
  void clickingARowSelectsItAndPublishesTheRegionWithItsMonths() {
    page = open("<mesh-sales-table locale=\"en-US\"></mesh-sales-table>", "sales-table");
    waitForAttribute(TABLE, "data-state", "ready");
    String region = regions().get(3);

    page.locator(TABLE + " tbody tr[data-region='" + region + "']").click();

    JsonArray published = published(1);
    JsonObject event = published.getJsonObject(0);
    assertThat(event.getString("topic")).isEqualTo("row-selected");
    // composed: it left the shadow root, and reached the document retargeted to the widget element
    assertThat(event.getBoolean("composed")).isTrue();
    assertThat(event.getString("target")).isEqualTo(TABLE);
    assertThat(event.getJsonObject("payload")).isEqualTo(expectedPayload(region));
    assertConforms(event.getJsonObject("payload"));

    assertThat(page.locator(TABLE + " tbody tr[aria-selected='true']").allTextContents())
        .singleElement()
        .asString()
        .startsWith(region);
    assertThat(page.locator(TABLE).getAttribute("data-region")).isEqualTo(region);
    assertThat(page.evaluate("() => document.querySelector('" + TABLE + "').region"))
        .isEqualTo(region);
    chromium.assertNoProblems(page);
  }

  @Test
  void rowsAreReachedAndSelectedWithTheKeyboard() {
    page = open("<mesh-sales-table locale=\"en-US\"></mesh-sales-table>", "sales-table");
    waitForAttribute(TABLE, "data-state", "ready");

    page.keyboard().press("Tab");
    assertThat(focusedRow()).as("the table's one tab stop").isEqualTo(regions().get(0));
    page.keyboard().press("ArrowDown");
    page.keyboard().press("ArrowDown");
    assertThat(focusedRow()).isEqualTo(regions().get(2));
    assertThat(published(0)).as("moving the focus selects nothing").isEmpty();

    page.keyboard().press("Enter");
    assertThat(published(1).getJsonObject(0).getJsonObject("payload"))
        .isEqualTo(expectedPayload(regions().get(2)));

    page.keyboard().press("End");
    page.keyboard().press("Space");
    String last = regions().get(regions().size() - 1);
    assertThat(published(2).getJsonObject(1).getJsonObject("payload"))
        .isEqualTo(expectedPayload(last));
    assertThat(page.locator(TABLE + " tbody tr[aria-selected='true']").allTextContents())
        .singleElement()
        .asString()
        .startsWith(last);
    // Space selected and did not scroll: still one tab stop, on the selected row
    assertThat(page.locator(TABLE + " tbody tr[tabindex='0']").getAttribute("data-region"))
        .isEqualTo(last);
    chromium.assertNoProblems(page);
  }

  @Test
  void aFailedDataFetchIsExplainedInsideTheTable() {
    page = chromium.newPage(contextOptions());
    page.route(
        "**/sales.json",
        route -> route.fulfill(new Route.FulfillOptions().setStatus(503).setBody("down")));
    load(page, "<mesh-sales-table></mesh-sales-table>", "sales-table");
    waitForAttribute(TABLE, "data-state", "error");

    Locator alert = page.locator(TABLE + " [role='alert']");
    assertThat(alert.textContent()).contains("could not be loaded").contains("503");
    assertThat(alert.isVisible()).isTrue();
    assertThat(page.locator(TABLE + " table").isVisible()).isFalse();
    // the browser's own line about the 503 is the only thing in the console
    assertThat(chromium.problems(page)).singleElement().asString().contains("503");
  }

  @Test
  void theChartWaitsForASelectionThenDrawsTheRegionItIsSent() {
    page = open("<mesh-sales-chart locale=\"en-US\"></mesh-sales-chart>", "sales-chart");
    Locator empty = page.locator(CHART + " .empty");
    assertThat(empty.isVisible()).isTrue();
    assertThat(empty.textContent()).contains("Select a region in the sales table");
    assertThat(page.locator(CHART + " figure").isVisible()).isFalse();

    String first = regions().get(0);
    deliver(CHART, "row-selected", expectedPayload(first));
    waitForAttribute(CHART, "data-region", first);
    assertThat(empty.isVisible()).isFalse();
    assertThat(page.locator(CHART + " figcaption").textContent())
        .contains(first)
        .contains(euros(total(first)));
    String drawnFirst = canvasPixels();
    assertThat(drawnFirst).as("bars drawn").isNotEqualTo(blankCanvasPixels());

    String second = regions().get(4);
    deliver(CHART, "row-selected", expectedPayload(second));
    waitForAttribute(CHART, "data-region", second);
    assertThat(page.locator(CHART + " figcaption").textContent())
        .contains(second)
        .doesNotContain(first);
    String drawnSecond = canvasPixels();
    assertThat(drawnSecond).as("pixels after the second selection").isNotEqualTo(drawnFirst);
    assertThat(page.evaluate("() => document.querySelector('" + CHART + "').region"))
        .isEqualTo(second);
    chromium.assertNoProblems(page);
  }

  @Test
  void theChartIgnoresEventsThatDoNotFit() {
    page = open("<mesh-sales-chart locale=\"en-US\"></mesh-sales-chart>", "sales-chart");
    String region = regions().get(1);
    deliver(CHART, "row-selected", expectedPayload(region));
    waitForAttribute(CHART, "data-region", region);
    String drawn = canvasPixels();

    JsonObject other = expectedPayload(regions().get(2));
    deliver(CHART, "something-else", other);
    deliver(CHART, "row-selected", null);
    deliver(CHART, "row-selected", other.copy().put("region", 42));
    deliver(CHART, "row-selected", other.copy().put("sales", new JsonArray().add(1).add(2)));
    deliver(CHART, "row-selected", other.copy().put("unit", "euros"));
    page.evaluate(
        "tag => document.querySelector(tag).dispatchEvent(new CustomEvent('mesh:event'))", CHART);
    // dispatchEvent runs the listener at once, so each has been handled (and ignored) by now
    assertThat(page.locator(CHART).getAttribute("data-region")).isEqualTo(region);
    assertThat(page.locator(CHART + " figcaption").textContent()).contains(region);
    assertThat(canvasPixels()).as("pixels after the events that do not fit").isEqualTo(drawn);

    // and it still draws the next one that fits
    String next = regions().get(5);
    deliver(CHART, "row-selected", expectedPayload(next));
    waitForAttribute(CHART, "data-region", next);

    assertThat(canvasPixels()).isNotEqualTo(drawn);
    chromium.assertNoProblems(page);
  }

  @Test
  void theChartFollowsItsContainerAndLetsGoOfItsChartWhenRemoved() {
    page = open("<mesh-sales-chart locale=\"en-US\"></mesh-sales-chart>", "sales-chart");
    String region = regions().get(2);
    deliver(CHART, "row-selected", expectedPayload(region));
    waitForAttribute(CHART, "data-region", region);
    double wide = canvasWidth();
    assertThat(wide).isGreaterThan(500);

    page.evaluate("tag => { document.querySelector(tag).style.width = '320px'; }", CHART);
    Poll.until(WAIT, "the canvas to shrink with its container", this::canvasWidth, w -> w < 320);

    // removed (a frame closed): the chart is destroyed, and Chart.js gives the canvas back as it
    // found it
    page.evaluate(
        "tag => { window.keptChart = document.querySelector(tag); keptChart.remove(); }", CHART);
    assertThat(canvasState()).as("canvas after removal").isEqualTo("300x150 ''");
    // put back (a frame moved to another stack): it draws its region again
    page.evaluate("() => document.body.append(keptChart)");
    Poll.until(
        WAIT,
        "the chart put back to draw again",
        this::canvasState,
        state -> !state.equals("300x150 ''"));
    assertThat(canvasPixels()).isNotEqualTo(blankCanvasPixels());
    chromium.assertNoProblems(page);
  }

  @Test
  void theLitWidgetShowsTheKeyFiguresOfTheRegionInItsLocale() {
    page = open("<mesh-sales-kpis locale=\"en-US\"></mesh-sales-kpis>", "sales-kpis");
    assertThat(page.locator(KPIS + " .empty").textContent())
        .contains("Select a region in the sales table");

    String region = regions().get(1);
    deliver(KPIS, "row-selected", expectedPayload(region));
    waitForAttribute(KPIS, "data-region", region);
    List<Long> sales = sales(region);
    int best = bestMonth(sales);
    assertThat(kpi("total")).isEqualTo(euros(total(region)));
    assertThat(kpi("best-month"))
        .isEqualTo(Month.of(best + 1).getDisplayName(TextStyle.FULL, Locale.US));
    assertThat(page.locator(KPIS + " [data-kpi='best-month'] .note").textContent())
        .isEqualTo(euros(sales.get(best)));
    assertThat(kpi("half-year"))
        .endsWith(String.format(Locale.US, "%+.1f%%", halfYearChange(sales) * 100));

    // the manifest's `locale` attribute, changed on the live element
    page.evaluate("tag => document.querySelector(tag).setAttribute('locale', 'de-DE')", KPIS);
    String german = String.format(Locale.GERMANY, "%,d", total(region)) + "\u00a0€";
    Poll.until(WAIT, "the total in German notation", () -> kpi("total"), german::equals);
    assertThat(kpi("best-month"))
        .isEqualTo(Month.of(best + 1).getDisplayName(TextStyle.FULL, Locale.GERMAN));
    chromium.assertNoProblems(page);
  }

  @Test
  void aTableClickMovesTheChartAndTheKeyFiguresThroughTheDashboardsForwarding() {
    // what the dashboard does, in small: each mesh:publish goes, as mesh:event, to every element
    // whose
    // manifest listens to the topic (the routes come from the manifests the host serves)
    Map<String, List<String>> routes = new LinkedHashMap<>();
    for (JsonObject manifest : manifests.values()) {
      JsonArray listens = manifest.getJsonArray("listens", new JsonArray());
      for (int i = 0; i < listens.size(); i++) {
        routes
            .computeIfAbsent(listens.getJsonObject(i).getString("topic"), t -> new ArrayList<>())
            .add(manifest.getString("tag"));
      }
    }
    String forward =
        """
      <script>
        const routes = %s;
        document.addEventListener('mesh:publish', (e) => {
          const source = e.target.localName;
          for (const tag of routes[e.detail.topic] || []) {
            for (const el of document.querySelectorAll(tag)) {
              el.dispatchEvent(new CustomEvent('mesh:event', {detail: {topic: e.detail.topic, payload: e.detail.payload, source}}));
            }
          }
        });
      </script>"""
            .formatted(new JsonObject(new LinkedHashMap<>(routes)).encode());
    page =
        open(
            "<mesh-sales-table locale=\"en-US\"></mesh-sales-table><mesh-sales-chart locale=\"en-US\"></mesh-sales-chart>"
                + "<mesh-sales-kpis locale=\"en-US\"></mesh-sales-kpis>"
                + forward,
            "sales-table",
            "sales-chart",
            "sales-kpis");
    waitForAttribute(TABLE, "data-state", "ready");

    String region = regions().get(5);
    page.locator(TABLE + " tbody tr[data-region='" + region + "']").click();
    waitForAttribute(CHART, "data-region", region);
    waitForAttribute(KPIS, "data-region", region);
    assertThat(page.locator(CHART + " figcaption").textContent()).contains(region);
    assertThat(kpi("total")).isEqualTo(euros(total(region)));
    String drawn = canvasPixels();

    String next = regions().get(0);
    page.locator(TABLE + " tbody tr[data-region='" + next + "']").click();
    waitForAttribute(CHART, "data-region", next);
    waitForAttribute(KPIS, "data-region", next);
    assertThat(kpi("total")).isEqualTo(euros(total(next)));
    assertThat(canvasPixels()).isNotEqualTo(drawn);
    // for a person to look at (not compared with anything)
    page.screenshot(
        new Page.ScreenshotOptions()
            .setPath(Path.of("target", "example-widgets.png"))
            .setFullPage(true));

    // nothing of the widgets on window; Lit itself keeps its version lists there (to spot duplicate
    // copies)
    // and a WeakMap for decorator metadata, shared by every copy of Lit on the page by design
    List<?> leaked =
        (List<?>)
            page.evaluate(
                "() => Object.getOwnPropertyNames(window).filter((n) => !windowBefore.includes(n))");
    assertThat(leaked.stream().map(String::valueOf).toList())
        .as("new properties of window")
        .isSubsetOf(
            "litHtmlVersions",
            "litElementVersions",
            "reactiveElementVersions",
            "litPropertyMetadata");
    chromium.assertNoProblems(page);
  }

  @Test
  void theTemplateWorksAsCopiedIntoTheWidgetsFolder() {
    JsonObject manifest = manifests.get("hello-widget");
    assertThat(manifest.getString("module")).matches("/w/hello-widget/[^/]+/hello-widget\\.js");
    String tag = manifest.getString("tag");
    page = open("<" + tag + "></" + tag + ">", "hello-widget");
    Locator name = page.locator(tag + " strong");
    assertThat(name.textContent()).isEqualTo("world");

    page.locator(tag + " button").click();
    JsonObject event = published(1).getJsonObject(0);
    assertThat(event.getString("topic"))
        .isEqualTo(manifest.getJsonArray("emits").getJsonObject(0).getString("topic"));
    assertThat(event.getJsonObject("payload")).isEqualTo(new JsonObject().put("name", "world"));

    deliver(tag, "row-selected", expectedPayload(regions().get(3)));
    assertThat(name.textContent()).isEqualTo(regions().get(3));
    deliver(tag, "row-selected", new JsonObject().put("region", 7));
    assertThat(name.textContent()).isEqualTo(regions().get(3));
    chromium.assertNoProblems(page);
  }

  // --- the page

  private static Browser.NewContextOptions contextOptions() {
    // reduced motion: the chart draws without animation, so its pixels can be compared at once
    return new Browser.NewContextOptions()
        .setLocale("en-US")
        .setReducedMotion(ReducedMotion.REDUCE)
        .setViewportSize(1100, 800);
  }

  private Page open(String body, String... widgetIds) {
    Page p = chromium.newPage(contextOptions());
    load(p, body, widgetIds);
    return p;
  }

  /**
   * Serves the page from the widget-host's origin (as the gateway will), with the modules its
   * manifests name.
   */
  private void load(Page p, String body, String... widgetIds) {
    String modules =
        Arrays.stream(widgetIds)
            .map(
                id ->
                    "<script type=\"module\" src=\""
                        + manifests.get(id).getString("module")
                        + "\"></script>")
            .collect(Collectors.joining("\n"));
    String html = PAGE.formatted(modules, body);
    String url = base + "/test/page.html";
    p.route(
        url,
        route ->
            route.fulfill(
                new Route.FulfillOptions()
                    .setStatus(200)
                    .setContentType("text/html; charset=utf-8")
                    .setBody(html)));
    p.navigate(url);
    List<String> tags =
        Arrays.stream(widgetIds).map(id -> manifests.get(id).getString("tag")).toList();
    p.waitForFunction("tags => tags.every((t) => customElements.get(t))", tags);
  }

  private void waitForAttribute(String tag, String attribute, String value) {
    Poll.until(
        WAIT,
        tag + " " + attribute + "=" + value,
        () -> page.locator(tag).getAttribute(attribute),
        value::equals);
  }

  /** What the dashboard does for a listening widget: a mesh:event on the element. */
  private void deliver(String tag, String topic, JsonObject payload) {
    page.evaluate(
        "([tag, topic, json]) => document.querySelector(tag).dispatchEvent(new CustomEvent('mesh:event',"
            + " {detail: {topic, payload: JSON.parse(json), source: 'test'}}))",
        List.of(tag, topic, String.valueOf(payload == null ? "null" : payload.encode())));
  }

  /** The events published so far, once there are exactly {@code count}. */
  private JsonArray published(int count) {
    return Poll.until(
        WAIT,
        count + " mesh:publish events",
        () -> new JsonArray((String) page.evaluate("() => JSON.stringify(published)")),
        a -> a.size() == count);
  }

  private String focusedRow() {
    return (String)
        page.evaluate(
            "tag => document.querySelector(tag).shadowRoot.activeElement?.dataset.region ?? null",
            TABLE);
  }

  private String kpi(String name) {
    return page.locator(KPIS + " [data-kpi='" + name + "'] .value").textContent().trim();
  }

  private String canvasPixels() {
    return (String)
        page.evaluate(
            "tag => document.querySelector(tag).shadowRoot.querySelector('canvas').toDataURL()",
            CHART);
  }

  private String blankCanvasPixels() {
    return (String)
        page.evaluate(
            "tag => { const c = document.querySelector(tag).shadowRoot.querySelector('canvas');"
                + " const blank = document.createElement('canvas'); blank.width = c.width; blank.height = c.height; return blank.toDataURL(); }",
            CHART);
  }

  /** The canvas's bitmap size and inline width: HTML's defaults on a canvas no chart holds. */
  private String canvasState() {
    return (String)
        page.evaluate(
            "() => { const c = keptChart.shadowRoot.querySelector('canvas');"
                + " return c.width + 'x' + c.height + \" '\" + c.style.width + \"'\"; }");
  }

  private double canvasWidth() {
    return ((Number)
            page.evaluate(
                "tag => document.querySelector(tag).shadowRoot.querySelector('canvas').getBoundingClientRect().width",
                CHART))
        .doubleValue();
  }

  // --- expectations, from the data file

  private static List<String> regions() {
    return data.getJsonArray("regions").stream()
        .map(r -> ((JsonObject) r).getString("region"))
        .toList();
  }

  private static List<Long> sales(String region) {
    JsonObject r =
        data.getJsonArray("regions").stream()
            .map(JsonObject.class::cast)
            .filter(o -> o.getString("region").equals(region))
            .findFirst()
            .orElseThrow();
    return r.getJsonArray("sales").stream().map(v -> ((Number) v).longValue()).toList();
  }

  private static long total(String region) {
    return sales(region).stream().mapToLong(Long::longValue).sum();
  }

  private static int bestMonth(List<Long> sales) {
    return IntStream.range(0, sales.size())
        .reduce((a, b) -> sales.get(b) > sales.get(a) ? b : a)
        .orElseThrow();
  }

  private static double halfYearChange(List<Long> sales) {
    int n = sales.size();
    long recent = sales.subList(n - 6, n).stream().mapToLong(Long::longValue).sum();
    long before = sales.subList(n - 12, n - 6).stream().mapToLong(Long::longValue).sum();
    return (double) recent / before - 1;
  }

  private static String euros(long amount) {
    return "€" + String.format(Locale.US, "%,d", amount);
  }

  private static JsonObject expectedPayload(String region) {
    return new JsonObject()
        .put("region", region)
        .put("unit", data.getString("unit"))
        .put("months", data.getJsonArray("months").copy())
        .put("sales", new JsonArray(new ArrayList<>(sales(region))))
        .put("total", total(region));
  }

  private static JsonObject rowSelectedSchema() {
    return manifests
        .get("sales-table")
        .getJsonArray("emits")
        .getJsonObject(0)
        .getJsonObject("schema");
  }

  private static void assertConforms(JsonObject payload) {
    OutputUnit result =
        Validator.create(
                JsonSchema.of(rowSelectedSchema()),
                new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri("https://mesh.dev/"))
            .validate(payload);
    assertThat(result.getValid())
        .as("payload valid against the manifest's schema: " + result.getErrors())
        .isTrue();
  }

  // --- the host's HTTP API

  private static JsonObject getJson(String path) {
    return new Http(base).expect(200, "GET", path, null);
  }

  private static Map<String, JsonObject> served() {
    JsonArray widgets = getJson("/api/host/widgets").getJsonArray("widgets");
    Map<String, JsonObject> byId = new LinkedHashMap<>();
    for (int i = 0; i < widgets.size(); i++) {
      JsonObject w = widgets.getJsonObject(i);
      byId.put(w.getString("id"), w.getJsonObject("manifest"));
    }
    return byId;
  }

  /** docs/widget-template of this checkout: surefire runs in the module's folder. */
  private static Path templateFolder() {
    Path folder = Path.of("").toAbsolutePath().resolveSibling("docs").resolve("widget-template");
    assertThat(folder.resolve("manifest.json")).as("the widget template").exists();
    return folder;
  }
}
