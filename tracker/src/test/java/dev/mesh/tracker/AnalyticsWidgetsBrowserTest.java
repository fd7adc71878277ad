package dev.mesh.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.ReducedMotion;
import dev.mesh.common.Addresses;
import dev.mesh.common.MeshNode;
import dev.mesh.common.Setting;
import dev.mesh.gateway.Gateway;
import dev.mesh.gateway.GatewayVerticle;
import dev.mesh.registry.Registry;
import dev.mesh.testing.Chromium;
import dev.mesh.testing.Closeables;
import dev.mesh.testing.Endpoints;
import dev.mesh.testing.Http;
import dev.mesh.testing.Layouts;
import dev.mesh.testing.Poll;
import dev.mesh.testing.TestCluster;
import dev.mesh.widgethost.WidgetHost;
import io.vertx.core.Deployable;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The analytics widgets (site-traffic, top-pages, served as the widget-host's examples) in a real
 * Chromium, in a dashboard layout on a real gateway, registry and widget-host, with the tracker on
 * a real Kafka broker and PostgreSQL: pixel hits sent over HTTP appear in both widgets pushed over
 * the bridge (no request to the API after the first ones), a page selected in top pages narrows the
 * traffic to that page's numbers and selecting it again widens them back, the snippet shown for a
 * site without hits counts a browser's visit, and a tracker that stops answering is said so and
 * recovered from without a reload.
 */
class AnalyticsWidgetsBrowserTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String TRAFFIC = "mesh-site-traffic";
  private static final String PAGES = "mesh-top-pages";

  private static TrackerUnderTest tracker;
  private static String queryDeployment;
  private static String base;
  @RegisterExtension static final Chromium chromium = Chromium.forClass();

  /** The tracked site's own web server: path → page. */
  private static final Map<String, String> ownersPages = new ConcurrentHashMap<>();

  private static String siteOrigin;

  private Page page;
  private final List<String> apiRequests = Collections.synchronizedList(new ArrayList<>());
  private final List<String> liveFrames = Collections.synchronizedList(new ArrayList<>());

  @BeforeAll
  static void start() {
    List<Supplier<? extends Deployable>> collecting =
        List.of(
            HitPublisherVerticle::new,
            CollectorVerticle::new,
            ProjectionVerticle::new,
            LiveFeedVerticle::new);
    tracker =
        TrackerUnderTest.start(
            config -> config.with(Setting.WIDGETS_DIR, "").with(Setting.WIDGET_EXAMPLES, true),
            collecting);
    // the query API on its own deployment, so that a test can take it away and bring it back
    queryDeployment = tracker.deploy(new TrackerQueryVerticle(), tracker.config());
    // the front: registry, widget-host (the analytics widgets are among its examples) and gateway
    // on one member
    List<Supplier<? extends Deployable>> front = new ArrayList<>(Registry.verticles());
    front.addAll(WidgetHost.verticles());
    front.addAll(Gateway.verticles());
    MeshNode gateway = tracker.member(front);
    base = "http://127.0.0.1:" + Endpoints.httpPort(gateway, GatewayVerticle.SERVICE_NAME);
    Poll.until(
        WAIT,
        "the gateway routes to the query API and the widgets are registered",
        () ->
            status("/api/tracker/projections") == 200
                && status("/api/widgets/site-traffic") == 200
                && status("/api/widgets/top-pages") == 200);
    HttpServer owners =
        tracker
            .node()
            .vertx()
            .createHttpServer()
            .requestHandler(
                request -> {
                  String html = ownersPages.get(request.path());
                  request
                      .response()
                      .setStatusCode(html == null ? 404 : 200)
                      .putHeader("Content-Type", "text/html; charset=utf-8")
                      .end(html == null ? "" : html);
                });
    siteOrigin =
        "http://localhost:" + TestCluster.await(owners.listen(0, "127.0.0.1")).actualPort();
  }

  @AfterAll
  static void stop() {
    Closeables.closeAll(tracker);
  }

  @Test
  void hitsArePushedIntoBothWidgetsAndAPageSelectedInTopPagesNarrowsTheTraffic() {
    String site = SharedInfrastructure.unique("shop");
    view(site, "/pricing", "198.51.100.1", "https://www.news.example/today");
    view(site, "/pricing", "198.51.100.2", "");
    view(site, "/pricing", "198.51.100.3", "https://search.example/q");
    view(site, "/docs", "198.51.100.1", "");
    view(site, "/docs", "198.51.100.4", "https://search.example/q");
    view(site, "/home", "198.51.100.5", "");
    tracker.awaitRecords(6);
    tracker.awaitCaughtUp();

    page = openLayout(site, "1h");
    assertThat(kpi("views")).isEqualTo("6");
    assertThat(kpi("visitors")).isEqualTo("5");
    assertThat(rows()).containsExactly("/pricing 3", "/docs 2", "/home 1");
    assertThat(sources())
        .containsExactly("Direct or unknown 3", "search.example 2", "news.example 1");
    assertThat(seriesViews()).isEqualTo(6);
    int fetched = apiRequests.size();

    // two hits while the page is open: both widgets show them, and nothing was asked of the API
    view(site, "/docs", "198.51.100.6", "https://search.example/q");
    view(site, "/pricing", "198.51.100.2", "");
    Poll.until(WAIT, "the traffic shows 8 views", () -> kpi("views"), "8"::equals);
    Poll.until(
        WAIT,
        "top pages shows the new views",
        this::rows,
        r -> r.equals(List.of("/pricing 4", "/docs 3", "/home 1")));
    assertThat(sources())
        .containsExactly("Direct or unknown 4", "search.example 3", "news.example 1");
    assertThat(seriesViews()).isEqualTo(8);
    assertThat(apiRequests)
        .as("requests to the API after the first ones: the hits were pushed, not polled")
        .hasSize(fetched);
    assertThat(liveFrames).as("live messages of the site on the bridge's socket").isNotEmpty();

    // a page selected in top pages: the traffic narrows to its numbers (3 views of /docs by 3
    // visitors),
    // asked of the API, which must have counted the pushed hits by then
    tracker.awaitCaughtUp();
    pagesRow("/docs").locator("button").click();
    Poll.until(
        WAIT,
        "the traffic narrowed to /docs",
        () -> page.locator(TRAFFIC).getAttribute("data-page"),
        "/docs"::equals);
    awaitState(TRAFFIC, "ready");
    Poll.until(WAIT, "the views of /docs", () -> kpi("views"), "3"::equals);
    assertThat(kpi("visitors")).isEqualTo("3");
    assertThat(seriesViews()).isEqualTo(3);
    assertThat(page.locator(TRAFFIC + " .narrow").textContent()).contains("/docs");
    assertThat(pagesRow("/docs").getAttribute("aria-selected")).isEqualTo("true");
    assertThat(pagesRow("/docs").locator("button").getAttribute("aria-pressed")).isEqualTo("true");
    Poll.until(
        WAIT,
        "the sources of /docs",
        this::sources,
        s -> s.equals(List.of("search.example 2", "Direct or unknown 1")));

    // narrowed, a hit of another page moves top pages but not the traffic of /docs
    fetched = apiRequests.size();
    view(site, "/pricing", "198.51.100.7", "");
    view(site, "/docs", "198.51.100.8", "");
    Poll.until(
        WAIT,
        "top pages shows both hits",
        this::rows,
        r -> r.equals(List.of("/pricing 5", "/docs 4", "/home 1")));
    // both widgets take each message from the same socket in turn, so the traffic has them too
    assertThat(kpi("views")).isEqualTo("4");
    assertThat(seriesViews()).isEqualTo(4);
    // a tie is ordered by name, and direct visits are named ""
    assertThat(sources()).containsExactly("Direct or unknown 2", "search.example 2");
    assertThat(apiRequests).hasSize(fetched);

    // selected again: all pages
    tracker.awaitCaughtUp();
    pagesRow("/docs").locator("button").click();
    Poll.until(
        WAIT,
        "the traffic widened back",
        () -> page.locator(TRAFFIC).getAttribute("data-page"),
        v -> v == null);
    awaitState(TRAFFIC, "ready");
    Poll.until(WAIT, "the views of every page", () -> kpi("views"), "10"::equals);
    assertThat(seriesViews()).isEqualTo(10);
    assertThat(pagesRow("/docs").getAttribute("aria-selected")).isEqualTo("false");
    page.screenshot(
        new Page.ScreenshotOptions().setPath(Path.of("target", "analytics-widgets.png")));

    // narrow windows (two side by side on a phone's width): nothing sticks out, top pages keeps
    // page and views
    page.setViewportSize(420, 900);
    for (String tag : List.of(TRAFFIC, PAGES)) {
      Poll.until(
          WAIT,
          tag + " within its window",
          () ->
              (Boolean)
                  page.evaluate(
                      "tag => { const e = document.querySelector(tag); return e.clientWidth < 220 && e.scrollWidth <= e.clientWidth; }",
                      tag));
    }
    assertThat(page.locator(PAGES + " th.visitors").isVisible()).isFalse();
    assertThat(pagesRow("/docs").locator("button").isVisible()).isTrue();
    page.screenshot(
        new Page.ScreenshotOptions().setPath(Path.of("target", "analytics-widgets-narrow.png")));
    chromium.assertNoProblems(page);
  }

  @Test
  void aSiteWithoutHitsShowsItsSnippetAndAVisitThroughItAppearsLive() {
    String site = SharedInfrastructure.unique("new-site");
    page = openLayout(site, "24h");
    awaitState(TRAFFIC, "empty");
    awaitState(PAGES, "empty");
    Locator pixelSnippet = page.locator(TRAFFIC + " .empty pre[data-snippet='pixel']");
    Locator scriptSnippet = page.locator(TRAFFIC + " .empty pre[data-snippet='script']");
    Poll.until(
        WAIT, "the snippet shown", () -> pixelSnippet.count() == 1 && scriptSnippet.count() == 1);
    String pixel = pixelSnippet.textContent();
    String script = scriptSnippet.textContent();
    assertThat(pixel)
        .startsWith(
            "<img src=\""
                + base
                + tracker.config().string(Setting.TRACKER_PIXEL_PATH)
                + "?s="
                + site
                + "\"");
    assertThat(script)
        .isEqualTo(
            "<script defer src=\""
                + base
                + tracker.config().string(Setting.TRACKER_SCRIPT_PATH)
                + "\" data-site=\""
                + site
                + "\"></script>");
    int fetched = apiRequests.size();

    // the site owner pastes them: one page with the script, one with the image; a visitor opens
    // both
    Page visitor =
        chromium.newPage(new Browser.NewContextOptions().setUserAgent(TrackerUnderTest.BROWSER));
    try {
      siteOwnersPage(visitor, "/with-script", script);
      siteOwnersPage(visitor, "/without-script", pixel);
      Poll.until(WAIT, "the two visits shown", () -> kpi("views"), "2"::equals);
    } finally {
      visitor.context().close();
    }
    awaitState(TRAFFIC, "ready");
    Poll.until(
        WAIT,
        "both pages in top pages",
        this::rows,
        r -> r.size() == 2 && r.containsAll(List.of("/with-script 1", "/without-script 1")));
    assertThat(seriesViews()).isEqualTo(2);
    assertThat(apiRequests).as("no request to the API: the visits were pushed").hasSize(fetched);
    chromium.assertNoProblems(page);
  }

  @Test
  void whileTheTrackerDoesNotAnswerTheWidgetSaysSoAndRecoversByItself() {
    String site = SharedInfrastructure.unique("outage");
    view(site, "/", "198.51.100.20", "");
    tracker.awaitRecords(1);
    tracker.awaitCaughtUp();
    page = openLayout(site, "1h");
    assertThat(kpi("views")).isEqualTo("1");

    tracker.undeploy(queryDeployment);
    queryDeployment = null;
    try {
      Poll.until(
          WAIT, "the gateway without a query API", () -> status("/api/tracker/projections") == 503);
      // a new range is a new question, which the tracker cannot answer now
      page.locator(TRAFFIC + " .bar select").selectOption("6h");
      awaitState(TRAFFIC, "unavailable");
      assertThat(page.locator(TRAFFIC + " .status").textContent())
          .contains("Analytics unavailable");
      assertThat(page.locator(TRAFFIC + " .status[role='alert'] button").textContent())
          .isEqualTo("Try again");
      assertThat(page.locator(TRAFFIC + " .content").isVisible()).isFalse();
    } finally {
      queryDeployment = tracker.deploy(new TrackerQueryVerticle(), tracker.config());
    }
    awaitState(TRAFFIC, "ready");
    assertThat(kpi("views")).isEqualTo("1");
    assertThat(page.locator(TRAFFIC + " .status").isVisible()).isFalse();
    // what the console holds are the browser's lines about the 503s, nothing the widget threw
    assertThat(chromium.problems(page)).allMatch(p -> p.contains("503"));
  }

  // --- the page

  /** A saved layout with both widgets for the site, opened as its view link opens it. */
  private Page openLayout(String site, String range) {
    JsonObject attributes =
        new JsonObject().put("site", site).put("range", range).put("locale", "en-US");
    JsonObject config =
        Layouts.row(
            new JsonArray()
                .add(Layouts.window("f-traffic", "site-traffic", attributes))
                .add(Layouts.window("f-pages", "top-pages", attributes)));
    String id =
        post("/api/layouts", Layouts.layout("Analytics of " + site, Layouts.content(config)))
            .getString("id");

    Page opened =
        chromium.newPage(
            Chromium.desktop().setLocale("en-US").setReducedMotion(ReducedMotion.REDUCE));
    opened.onRequest(
        request -> {
          if (request.url().contains("/api/tracker/")) {
            apiRequests.add(request.url());
          }
        });
    opened.onWebSocket(
        socket ->
            socket.onFrameReceived(
                frame -> {
                  String text = frame.text();
                  if (text != null
                      && text.contains(Addresses.TRACKER_LIVE)
                      && text.contains(site)) {
                    liveFrames.add(text);
                  }
                }));
    opened.navigate(base + "/?layout=" + id + "&mode=view");
    page = opened;
    for (String widget : List.of("site-traffic", "top-pages")) {
      Poll.until(
          WAIT,
          widget + " placed",
          () ->
              opened
                  .locator("section.mesh-frame[data-widget-id='" + widget + "']")
                  .getAttribute("data-status"),
          "ready"::equals);
    }
    for (String tag : List.of(TRAFFIC, PAGES)) {
      Poll.until(
          WAIT,
          tag + " loaded",
          () -> opened.locator(tag).getAttribute("data-state"),
          s -> "ready".equals(s) || "empty".equals(s));
      Poll.until(
          WAIT,
          tag + " on the live feed",
          () -> opened.locator(tag).getAttribute("data-live"),
          "open"::equals);
    }
    return opened;
  }

  /**
   * A page of the tracked site holding a snippet as pasted, served from an origin of its own. A
   * real server on loopback: Chromium refuses requests from a page it takes for public (a routed
   * made-up host) to the loopback gateway (Private Network Access), which real sites never meet.
   */
  private static void siteOwnersPage(Page visitor, String path, String snippet) {
    ownersPages.put(
        path,
        "<!doctype html><html><head><title>A tracked page</title>"
            + snippet
            + "</head><body>Hello</body></html>");
    visitor.navigate(siteOrigin + path);
    visitor.waitForLoadState();
  }

  private void awaitState(String tag, String state) {
    Poll.until(
        WAIT, tag + " " + state, () -> page.locator(tag).getAttribute("data-state"), state::equals);
  }

  /** A headline number as shown. */
  private String kpi(String name) {
    return page.locator(TRAFFIC + " [data-kpi='" + name + "'] .value").textContent().trim();
  }

  /** The sum of the chart's views: all of them, or the narrowed page's. */
  private long seriesViews() {
    return ((Number)
            page.evaluate(
                "tag => document.querySelector(tag).series.reduce((s, p) => s + p.views, 0)",
                TRAFFIC))
        .longValue();
  }

  /** Top pages as shown, "page views". */
  private List<String> rows() {
    return page.locator(PAGES + " table.pages tbody tr").all().stream()
        .map(
            tr ->
                tr.locator("th").textContent().trim()
                    + " "
                    + tr.locator("td").first().textContent().trim())
        .toList();
  }

  private List<String> sources() {
    return page.locator(PAGES + " table.sources tbody tr").all().stream()
        .map(
            tr ->
                tr.locator("th").textContent().trim()
                    + " "
                    + tr.locator("td").first().textContent().trim())
        .toList();
  }

  private Locator pagesRow(String path) {
    return page.locator(PAGES + " table.pages tbody tr[data-page='" + path + "']");
  }

  // --- HTTP, as a visitor's browser and as the layouts API's user

  private static void view(String site, String path, String ip, String referrer) {
    String query = "s=" + site + "&p=" + path + (referrer.isEmpty() ? "" : "&r=" + referrer);
    assertThat(tracker.pixel(query, ip).statusCode()).isEqualTo(200);
  }

  private static int status(String path) {
    return new Http(base).status(path);
  }

  private static JsonObject post(String path, JsonObject body) {
    return new Http(base).expect(201, "POST", path, body);
  }
}
