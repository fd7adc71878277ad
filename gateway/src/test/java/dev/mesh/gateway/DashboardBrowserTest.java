package dev.mesh.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.options.BoundingBox;
import dev.mesh.common.MeshConfig;
import dev.mesh.common.MeshNode;
import dev.mesh.common.Setting;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The dashboard at {@code /} in Chromium, with a real registry, widget-hosts and gateway (the
 * SockJS bridge included): the default layout, the marketplace, cross-widget events over the bridge
 * and their isolation between sessions, frames that lose and regain their widget, broken widgets,
 * schema warnings, pop-out windows and the page's Content-Security-Policy needs.
 */
class DashboardBrowserTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String SERVICES = "window[Symbol.for('mesh.dashboard')]";

  @RegisterExtension static final TestCluster cluster = new TestCluster();
  @RegisterExtension static final Chromium chromium = Chromium.forClass();
  private static String base;
  private static Path extraWidgets;
  private static MeshNode extraHost;

  @BeforeAll
  static void start() throws IOException {
    // REST registrations of the test kit must outlive the class
    cluster.start(cluster.config().with(Setting.REGISTRY_TTL_SECONDS, 900), Registry.verticles());
    Path widgets = Files.createTempDirectory("mesh-dashboard-widgets");
    DashboardWidgets.writeKit(widgets);
    cluster.start(
        cluster.widgetHost(widgets, true).with(Setting.WIDGETS_SCAN_MILLIS, 200),
        WidgetHost.verticles());
    // a second widget-host, serving only what a test drops into its folder; stopped and started
    // again
    extraWidgets = Files.createTempDirectory("mesh-dashboard-extra");
    extraHost = cluster.start(extraHostConfig(), WidgetHost.verticles());
    MeshNode gateway = cluster.start(cluster.config(), Gateway.verticles());
    // a page service on its own member, for the SDK's request/reply
    QuoteService.register(cluster.start().vertx());
    base = "http://127.0.0.1:" + Endpoints.httpPort(gateway, GatewayVerticle.SERVICE_NAME);
  }

  private static MeshConfig extraHostConfig() {
    return cluster.widgetHost(extraWidgets, false).with(Setting.WIDGETS_SCAN_MILLIS, 200);
  }

  private static Page open() {
    Page page = chromium.newPage(Chromium.desktop());
    page.navigate(base + "/");
    Poll.until(
        WAIT,
        "the dashboard started",
        () -> "true".equals(page.locator("html").getAttribute("data-ready")));
    return page;
  }

  private static Locator frame(Page page, String widgetId) {
    return page.locator("section.mesh-frame[data-widget-id='" + widgetId + "']");
  }

  private static void awaitStatus(Locator frame, String status) {
    Poll.until(WAIT, frame + " " + status, () -> frame.getAttribute("data-status"), status::equals);
  }

  private static void addFromMarketplace(Page page, String search, String widgetId) {
    if (page.locator("#marketplace").isHidden()) {
      page.click("#add-window");
    }
    page.fill(".market-search", search);
    page.locator(".market-card[data-widget-id='" + widgetId + "'] .market-add").click();
  }

  private static String regionOf(Locator element) {
    return element.getAttribute("data-region");
  }

  @Test
  void theDefaultLayoutShowsTheSalesWidgetsAndARowSelectionReachesEveryListenerOfThisSessionOnly() {
    Page page = open();
    assertThat(page.locator("html").getAttribute("data-layout")).isEqualTo("default");
    for (String id : List.of("sales-table", "sales-chart", "sales-kpis")) {
      awaitStatus(frame(page, id), "ready");
    }
    BoundingBox table = frame(page, "sales-table").boundingBox();
    BoundingBox chart = frame(page, "sales-chart").boundingBox();
    assertThat(chart.x)
        .as("the chart is beside the table")
        .isGreaterThan(table.x + table.width - 1);
    assertThat(Math.abs(chart.y - table.y)).isLessThan(2);
    Poll.until(
        WAIT,
        "the bridge is open",
        () -> "open".equals(page.locator("html").getAttribute("data-bridge")));

    addFromMarketplace(page, "kpi", "sales-kpis");
    Poll.until(
        WAIT,
        "two KPI windows",
        () ->
            page.locator("section.mesh-frame[data-widget-id='sales-kpis'][data-status='ready']")
                    .count()
                == 2);
    assertThat(page.locator(".market-card[data-widget-id='sales-kpis'] .badge").allTextContents())
        .contains("on the dashboard ×2");

    Page other = open();
    awaitStatus(frame(other, "sales-chart"), "ready");
    Poll.until(
        WAIT,
        "the other session's bridge is open",
        () -> "open".equals(other.locator("html").getAttribute("data-bridge")));
    Poll.until(WAIT, "table rows", () -> page.locator("mesh-sales-table tbody tr").count() > 2);

    String region = page.locator("mesh-sales-table tbody tr").nth(1).getAttribute("data-region");
    page.locator("mesh-sales-table tbody tr[data-region='" + region + "']").click();
    Poll.until(
        WAIT,
        "the chart draws " + region,
        () -> regionOf(page.locator("mesh-sales-chart")),
        region::equals);
    assertThat(page.locator("mesh-sales-chart figcaption").textContent()).contains(region);
    Poll.until(
        WAIT,
        "both KPI windows show " + region,
        () ->
            page.locator("mesh-sales-kpis").all().stream()
                .allMatch(k -> region.equals(regionOf(k))));
    Number viaBridge = (Number) page.evaluate(SERVICES + ".router.stats.viaBridge");
    assertThat(viaBridge.intValue())
        .as("the event came back over the bridge")
        .isGreaterThanOrEqualTo(1);

    // the other session selects a region of its own; neither sees the other's
    String otherRegion =
        other.locator("mesh-sales-table tbody tr").nth(3).getAttribute("data-region");
    other.locator("mesh-sales-table tbody tr[data-region='" + otherRegion + "']").click();
    Poll.until(
        WAIT,
        "the other chart draws " + otherRegion,
        () -> regionOf(other.locator("mesh-sales-chart")),
        otherRegion::equals);
    page.waitForTimeout(300);
    assertThat(regionOf(page.locator("mesh-sales-chart"))).isEqualTo(region);
    assertThat(regionOf(other.locator("mesh-sales-kpis"))).isEqualTo(otherRegion);
    assertThat(page.locator(".notice.schema-warning").count())
        .as("the sales widgets' schemas fit")
        .isZero();
    chromium.assertNoProblems(page);
    chromium.assertNoProblems(other);
  }

  @Test
  void
      aWidgetRegisteredWhileThePageIsOpenAppearsAndAfterItsHostStopsAndStartsItComesBackWithItsState() {
    Page page = open();
    page.evaluate("window.__notReloaded = true");
    page.click("#add-window");
    assertThat(page.locator(".market-card[data-widget-id='greeter']").count()).isZero();

    DashboardWidgets.writeGreeter(extraWidgets);
    Locator card = page.locator(".market-card[data-widget-id='greeter']");
    Poll.until(WAIT, "the greeter in the marketplace", () -> card.count() == 1);
    assertThat(page.evaluate("window.__notReloaded")).isEqualTo(true);
    assertThat(
            page.locator(
                    ".market-domain[data-domain='testing'] .market-card[data-widget-id='greeter']")
                .count())
        .isEqualTo(1);
    assertThat(card.locator(".market-label").textContent()).isEqualTo("Greeter");
    assertThat(card.locator(".market-meta").textContent()).contains("1.0.0").contains("qa");
    assertThat(card.locator(".market-description").textContent()).contains("Greets");
    page.fill(".market-search", "greets the region");
    Poll.until(WAIT, "only the greeter matches", () -> page.locator(".market-card").count() == 1);

    card.locator(".market-add").click();
    Locator greeter = frame(page, "greeter");
    awaitStatus(greeter, "ready");
    assertThat(page.locator("mesh-test-greeter").textContent()).isEqualTo("Hello, world!");
    // its settings: the manifest's attribute, saved with the frame
    greeter.hover();
    greeter.locator(".mesh-frame-settings-button").click();
    greeter.locator(".mesh-frame-settings input[name='greeting']").fill("Bonjour");
    greeter.locator(".mesh-frame-settings button[type='submit']").click();
    Poll.until(
        WAIT,
        "the new greeting",
        () -> page.locator("mesh-test-greeter").textContent(),
        "Bonjour, world!"::equals);
    String frameId = greeter.getAttribute("data-frame-id");
    BoundingBox place = greeter.boundingBox();

    cluster.stop(extraHost);
    awaitStatus(greeter, "unavailable");
    assertThat(greeter.locator(".mesh-frame-message").textContent())
        .contains("Greeter is unavailable");
    assertThat(greeter.getAttribute("data-frame-id")).isEqualTo(frameId);
    assertThat(greeter.boundingBox()).usingRecursiveComparison().isEqualTo(place);
    assertThat(page.locator("mesh-test-greeter").count()).isZero();
    page.fill(".market-search", "");
    Poll.until(
        WAIT,
        "the greeter greyed out in the marketplace",
        () -> "false".equals(card.getAttribute("data-available")));
    assertThat(card.getAttribute("class")).contains("unavailable");
    assertThat(card.locator(".market-add").isDisabled()).isTrue();

    extraHost = cluster.start(extraHostConfig(), WidgetHost.verticles());
    awaitStatus(greeter, "ready");
    assertThat(greeter.getAttribute("data-frame-id")).isEqualTo(frameId);
    assertThat(page.locator("mesh-test-greeter").getAttribute("greeting")).isEqualTo("Bonjour");
    Poll.until(
        WAIT,
        "the greeter available again",
        () -> "true".equals(card.getAttribute("data-available")));

    // it listens to the table like the others, and the whole layout survives a reload
    page.locator("mesh-sales-table tbody tr").nth(2).click();
    String region = page.locator("mesh-sales-table tbody tr").nth(2).getAttribute("data-region");
    Poll.until(
        WAIT,
        "the greeter greets " + region,
        () -> page.locator("mesh-test-greeter").textContent(),
        ("Bonjour, " + region + "!")::equals);
    page.reload();
    Poll.until(
        WAIT,
        "the dashboard started again",
        () -> "true".equals(page.locator("html").getAttribute("data-ready")));
    assertThat(page.locator("html").getAttribute("data-layout")).isEqualTo("saved");
    awaitStatus(frame(page, "greeter"), "ready");
    assertThat(frame(page, "greeter").getAttribute("data-frame-id")).isEqualTo(frameId);
    assertThat(page.locator("mesh-test-greeter").getAttribute("greeting")).isEqualTo("Bonjour");
    chromium.assertNoProblems(page);
  }

  @Test
  void aBrokenWidgetShowsItsProblemInItsFrameAndTheRestOfThePageWorks() {
    Map<String, String> broken = new HashMap<>();
    broken.put(
        "broken-missing",
        DashboardWidgets.kitManifest("mesh-test-missing", "Missing module", "no-such-file.js", ""));
    broken.put(
        "broken-load",
        DashboardWidgets.kitManifest(
            "mesh-test-throws-on-load", "Throws on load", "throws-on-load.js", ""));
    broken.put(
        "broken-ctor",
        DashboardWidgets.kitManifest(
            "mesh-test-ctor-throws", "Throws when created", "ctor-throws.js", ""));
    broken.put(
        "broken-connected",
        DashboardWidgets.kitManifest(
            "mesh-test-connected-throws", "Throws when connected", "connected-throws.js", ""));
    broken.put(
        "broken-later",
        DashboardWidgets.kitManifest(
            "mesh-test-later-throws", "Throws later", "later-throws.js", ""));
    broken.forEach((id, manifest) -> DashboardWidgets.register(base, id, manifest));

    Page page = open();
    for (String id :
        List.of(
            "broken-missing", "broken-load", "broken-ctor", "broken-connected", "broken-later")) {
      addFromMarketplace(page, "broken", id);
    }
    Map<String, String> expected =
        Map.of(
            "broken-missing", "/w/test-kit/no-such-file.js did not load",
            "broken-load", "this module fails on purpose",
            "broken-ctor", "threw while being created: the constructor fails on purpose",
            "broken-connected", "threw while starting: connectedCallback fails on purpose");
    expected.forEach(
        (id, text) -> {
          awaitStatus(frame(page, id), "error");
          assertThat(frame(page, id).locator(".mesh-frame-message").textContent()).contains(text);
        });
    awaitStatus(frame(page, "broken-later"), "ready");
    page.locator("mesh-test-later-throws button").click();
    Poll.until(
        WAIT,
        "the frame shows the later error",
        () -> frame(page, "broken-later").locator(".mesh-frame-alert").textContent(),
        t -> t.contains("the click handler fails on purpose"));

    // the rest of the page works
    awaitStatus(frame(page, "sales-chart"), "ready");
    String region = page.locator("mesh-sales-table tbody tr").nth(4).getAttribute("data-region");
    page.locator("mesh-sales-table tbody tr[data-region='" + region + "']").click();
    Poll.until(
        WAIT,
        "the chart draws " + region,
        () -> regionOf(page.locator("mesh-sales-chart")),
        region::equals);
    // nothing escaped the frames: the only complaint is the browser's own line about the missing
    // file
    assertThat(chromium.problems(page))
        .allMatch(p -> p.contains("404"), "only the missing module's 404")
        .hasSize(1);
  }

  @Test
  void markupInAWidgetsLabelAndDescriptionIsShownAsTextAndNeverRuns() {
    String label = "<img src=x onerror=window.__xss=1>Evil widget";
    String description =
        "<script>window.__xss=2</script> & <b>bold</b> <a href=javascript:window.__xss=3>link</a>";
    DashboardWidgets.register(
        base,
        "markup-label",
        DashboardWidgets.kitManifest(
            "mesh-test-greeter-markup",
            label,
            "no-such-file.js",
            "\"description\": \"" + description + "\""));
    Page page = open();
    page.click("#add-window");
    page.fill(".market-search", "evil widget");
    Locator card = page.locator(".market-card[data-widget-id='markup-label']");
    Poll.until(WAIT, "the card in the marketplace", () -> card.count() == 1);
    assertThat(card.locator(".market-label").textContent()).isEqualTo(label);
    assertThat(card.locator(".market-description").textContent()).isEqualTo(description);
    assertThat(card.locator("img, script, b, a").count())
        .as("no element made from the manifest's text")
        .isZero();

    card.locator(".market-add").click();
    Locator frame = frame(page, "markup-label");
    Poll.until(WAIT, "the frame placed", () -> frame.count() == 1);
    Locator tab = page.locator(".lm_tab:has-text('Evil widget')");
    Poll.until(WAIT, "the window's tab", () -> tab.count() == 1);
    assertThat(tab.locator(".lm_title").textContent()).isEqualTo(label);
    assertThat(page.locator(".lm_tab img, .lm_tab script").count()).isZero();
    assertThat(page.evaluate("typeof window.__xss"))
        .as("nothing from the manifest ran")
        .isEqualTo("undefined");
    page.close();
  }

  @Test
  void emittersAndListenersWhosePayloadSchemasDoNotFitAreWarnedAbout() {
    DashboardWidgets.register(
        base,
        "price-ticker",
        DashboardWidgets.kitManifest(
            "mesh-test-price-ticker",
            "Price ticker",
            "price-ticker.js",
            DashboardWidgets.TICKER_EMITS));
    DashboardWidgets.register(
        base,
        "price-board",
        DashboardWidgets.kitManifest(
            "mesh-test-price-board",
            "Price board",
            "price-board.js",
            DashboardWidgets.BOARD_LISTENS));
    Page page = open();
    awaitStatus(frame(page, "sales-chart"), "ready");
    addFromMarketplace(page, "price", "price-ticker");
    awaitStatus(frame(page, "price-ticker"), "ready");
    assertThat(page.locator(".notice.schema-warning").count()).isZero();

    addFromMarketplace(page, "price", "price-board");
    Locator warning = page.locator(".notice.schema-warning[data-topic='price-changed']");
    Poll.until(WAIT, "a warning about price-changed", () -> warning.count() == 1);
    assertThat(warning.getAttribute("data-emitter")).isEqualTo("price-ticker");
    assertThat(warning.getAttribute("data-listener")).isEqualTo("price-board");
    assertThat(warning.textContent())
        .contains("Price ticker")
        .contains("Price board")
        .contains("“price” is string, the listener takes number")
        .contains("“currency”");
    // it is a notice, not a dialog: the page goes on
    assertThat(frame(page, "price-board").getAttribute("data-status")).isEqualTo("ready");
    warning.locator(".notice-close").click();
    assertThat(warning.count()).isZero();
    chromium.assertNoProblems(page);
  }

  /**
   * Presses the mouse at the middle of {@code from}, moves in steps to ({@code x}, {@code y}) and
   * releases.
   */
  private static void drag(Page page, BoundingBox from, double x, double y) {
    double startX = from.x + Math.min(20, from.width / 2);
    double startY = from.y + from.height / 2;
    page.mouse().move(startX, startY);
    page.mouse().down();
    for (int i = 1; i <= 15; i++) {
      page.mouse().move(startX + (x - startX) * i / 15, startY + (y - startY) * i / 15);
    }
    page.mouse().up();
  }

  private static Locator tab(Page page, String title) {
    return page.locator(".lm_tab", new Page.LocatorOptions().setHasText(title));
  }

  private static Locator stackOf(Page page, String title) {
    return page.locator(".lm_stack").filter(new Locator.FilterOptions().setHas(tab(page, title)));
  }

  @Test
  void windowsResizeMaximiseStackAndSplitWithoutRestartingTheirWidgets() {
    Page page = open();
    awaitStatus(frame(page, "sales-chart"), "ready");
    awaitStatus(frame(page, "sales-kpis"), "ready");
    page.evaluate("document.querySelector('mesh-sales-chart').__same = true");
    Locator chart = frame(page, "sales-chart");
    Locator kpis = frame(page, "sales-kpis");

    // resize: the border between the top row and the KPIs, 120 px up
    double kpisHeight = kpis.boundingBox().height;
    BoundingBox splitter = page.locator(".lm_splitter.lm_vertical").first().boundingBox();
    drag(page, splitter, splitter.x + splitter.width / 2, splitter.y - 120);
    Poll.until(WAIT, "the KPIs taller", () -> kpis.boundingBox().height, h -> h > kpisHeight + 100);

    // maximise and back
    BoundingBox before = chart.boundingBox();
    stackOf(page, "Monthly sales chart").locator(".lm_maximise").click();
    BoundingBox layout = page.locator("#layout").boundingBox();
    Poll.until(
        WAIT,
        "the chart fills the dashboard",
        () -> chart.boundingBox().width,
        w -> w > layout.width - 20);
    BoundingBox table = frame(page, "sales-table").boundingBox();
    assertThat(
            page.evaluate(
                "([x, y]) => document.elementFromPoint(x, y).closest('section.mesh-frame').dataset.widgetId",
                List.of(table.x + table.width / 2, table.y + table.height / 2)))
        .as("the table is under the maximised chart")
        .isEqualTo("sales-chart");
    stackOf(page, "Monthly sales chart").locator(".lm_maximise").click();
    Poll.until(
        WAIT,
        "the chart back in its place",
        () -> Math.round(chart.boundingBox().width),
        w -> w == Math.round(before.width));

    // stack: the chart's tab dropped on the table's tab row
    BoundingBox tableTab = tab(page, "Sales by region").boundingBox();
    drag(
        page,
        tab(page, "Monthly sales chart").boundingBox(),
        tableTab.x + tableTab.width + 30,
        tableTab.y + tableTab.height / 2);
    Poll.until(
        WAIT,
        "table and chart in one stack",
        () -> stackOf(page, "Sales by region").locator(".lm_tab").count() == 2);
    Poll.until(
        WAIT,
        "only the active window shows",
        () -> frame(page, "sales-table").isVisible() != chart.isVisible());

    // the keyboard reaches the tabs: Enter shows the stack's other window, the arrows move along
    // the row
    boolean chartShown = chart.isVisible();
    String other = chartShown ? "Sales by region" : "Monthly sales chart";
    tab(page, other).focus();
    page.keyboard().press("Enter");
    Poll.until(WAIT, "the other window shows", () -> chart.isVisible() != chartShown);
    page.keyboard().press("ArrowRight");
    assertThat(
            page.evaluate(
                "document.activeElement.classList.contains('lm_tab') ? document.activeElement.textContent.trim() : ''"))
        .as("the focus moved to the next tab")
        .isNotEqualTo("")
        .isNotEqualTo(other);

    // split: the chart's tab dropped on the right half of the KPIs
    BoundingBox under = kpis.boundingBox();
    drag(
        page,
        tab(page, "Monthly sales chart").boundingBox(),
        under.x + under.width * 0.85,
        under.y + under.height / 2);
    Poll.until(
        WAIT,
        "the chart beside the KPIs",
        () -> chart.boundingBox(),
        box -> Math.abs(box.y - kpis.boundingBox().y) < 2 && box.x > kpis.boundingBox().x + 10);
    assertThat(frame(page, "sales-table").isVisible()).isTrue();

    assertThat(page.evaluate("document.querySelector('mesh-sales-chart').__same === true"))
        .as("the chart element was never re-created")
        .isEqualTo(true);
    String region = page.locator("mesh-sales-table tbody tr").nth(1).getAttribute("data-region");
    page.locator("mesh-sales-table tbody tr[data-region='" + region + "']").click();
    Poll.until(
        WAIT,
        "the chart draws " + region,
        () -> regionOf(page.locator("mesh-sales-chart")),
        region::equals);
    chromium.assertNoProblems(page);
  }

  @Test
  void aPoppedOutWindowKeepsReceivingEventsAndComesBackWhenClosed() {
    Page page = open();
    awaitStatus(frame(page, "sales-chart"), "ready");
    awaitStatus(frame(page, "sales-table"), "ready");
    Locator stack =
        page.locator(".lm_stack")
            .filter(
                new Locator.FilterOptions()
                    .setHas(
                        page.locator(
                            ".lm_tab",
                            new Page.LocatorOptions().setHasText("Monthly sales chart"))));
    Page popup = page.waitForPopup(() -> stack.locator(".lm_popout").click());
    Poll.until(
        WAIT,
        "the chart in the new window",
        () ->
            popup
                    .locator(
                        "section.mesh-frame[data-widget-id='sales-chart'][data-status='ready']")
                    .count()
                == 1);
    Poll.until(
        WAIT, "the chart left the dashboard", () -> page.locator("mesh-sales-chart").count() == 0);

    String region = page.locator("mesh-sales-table tbody tr").nth(5).getAttribute("data-region");
    page.locator("mesh-sales-table tbody tr[data-region='" + region + "']").click();
    Poll.until(
        WAIT,
        "the popped-out chart draws " + region,
        () -> regionOf(popup.locator("mesh-sales-chart")),
        region::equals);

    popup.close(new Page.CloseOptions().setRunBeforeUnload(true));
    Poll.until(
        WAIT,
        "the chart back in the dashboard",
        () ->
            page.locator("section.mesh-frame[data-widget-id='sales-chart'][data-status='ready']")
                    .count()
                == 1);
    chromium.assertNoProblems(page);
  }

  @Test
  void theSdkPublishesSubscribesCallsServicesAndFollowsTheRegistryFeed() {
    Page page = open();
    Object result =
        page.evaluate(
            """
      async () => {
        const sdk = await import('/sdk/mesh.js');
        await sdk.connect({ timeout: 10000 });
        const seen = [];
        const off = sdk.subscribe('sdk-check', (payload, event) => seen.push({ payload, source: event.source }));
        sdk.publish('sdk-check', { n: 1 }, { source: 'a-test' });
        const deadline = Date.now() + 10000;
        while (seen.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        off();
        let refused = null;
        try { sdk.publish('Not A Topic', {}); } catch (e) { refused = e.name; }
        let unanswered = null;
        try { await sdk.request('session.nobody-answers', { q: 1 }, { timeout: 3000 }); } catch (e) { unanswered = e.message; }
        const quote = await sdk.request('mesh.api.test.quote', { quantity: 14 });
        let failure = null;
        try { await sdk.request('mesh.api.test.quote', { quantity: 0 }); } catch (e) { failure = e.failureCode + ' ' + e.message; }
        return { seen, refused, unanswered: unanswered !== null, price: quote.price, failure,
          shared: sdk.bus() === window[Symbol.for('mesh.sdk.bus')] };
      }
      """);
    assertThat(result)
        .asString()
        .contains("payload={n=1}")
        .contains("source=a-test")
        .contains("refused=TypeError")
        .contains("unanswered=true")
        .contains("price=42")
        .contains("failure=400 quantity must be a positive integer")
        .contains("shared=true");

    page.evaluate(
        """
      () => import('/sdk/mesh.js').then((sdk) => {
        window.__changes = [];
        sdk.watch('mesh.registry.changes', (change) => window.__changes.push(change.type + ':' + change.id));
      })
      """);
    page.waitForTimeout(500);
    DashboardWidgets.register(
        base,
        "sdk-feed-check",
        DashboardWidgets.kitManifest("mesh-test-feed-check", "Feed check", "kit.js", ""));
    Poll.until(
        WAIT,
        "the change in the page",
        () -> String.valueOf(page.evaluate("window.__changes.join(',')")),
        s -> s.contains("registered:sdk-feed-check"));
  }

  @Test
  void thePageRunsUnderAStrictContentSecurityPolicy() {
    String policy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
            + "font-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'";
    Page page = chromium.newPage(Chromium.desktop());
    page.route(base + "/", route -> withPolicy(route, policy));
    page.addInitScript(
        """
      window.__violations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
      """);
    page.navigate(base + "/");
    Poll.until(
        WAIT,
        "the dashboard started",
        () -> "true".equals(page.locator("html").getAttribute("data-ready")));
    awaitStatus(frame(page, "sales-table"), "ready");
    awaitStatus(frame(page, "sales-chart"), "ready");
    page.click("#add-window");
    Poll.until(
        WAIT,
        "the marketplace lists the examples",
        () -> page.locator(".market-card").count() >= 3);
    String region = page.locator("mesh-sales-table tbody tr").nth(1).getAttribute("data-region");
    page.locator("mesh-sales-table tbody tr[data-region='" + region + "']").click();
    Poll.until(
        WAIT,
        "the chart draws " + region,
        () -> regionOf(page.locator("mesh-sales-chart")),
        region::equals);
    @SuppressWarnings("unchecked")
    List<String> violations = (List<String>) page.evaluate("window.__violations");
    // neither the page nor the example widgets (constructed stylesheets in their shadow roots) need
    // inline code
    assertThat(violations).isEmpty();
  }

  @Test
  void theGatewaySendsAStrictPolicyWithTheDashboard() {
    Page page = chromium.newPage(new Browser.NewContextOptions());
    String sent = page.navigate(base + "/").headerValue("content-security-policy");
    assertThat(sent)
        .contains("script-src 'self';")
        .contains("style-src 'self';")
        .contains("object-src 'none'")
        .contains("frame-ancestors 'none'")
        .doesNotContain("unsafe");
    page.context().close();
  }

  private static void withPolicy(Route route, String policy) {
    var response = route.fetch();
    Map<String, String> headers = new HashMap<>(response.headers());
    headers.put("content-security-policy", policy);
    route.fulfill(new Route.FulfillOptions().setResponse(response).setHeaders(headers));
  }
}
