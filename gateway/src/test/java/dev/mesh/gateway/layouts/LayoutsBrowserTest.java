package dev.mesh.gateway.layouts;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Download;
import com.microsoft.playwright.FileChooser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import dev.mesh.common.MeshNode;
import dev.mesh.common.Setting;
import dev.mesh.gateway.Gateway;
import dev.mesh.gateway.GatewayVerticle;
import dev.mesh.registry.Registry;
import dev.mesh.testing.Chromium;
import dev.mesh.testing.Endpoints;
import dev.mesh.testing.Layouts;
import dev.mesh.testing.Poll;
import dev.mesh.testing.TestCluster;
import dev.mesh.testing.TestDatabase;
import dev.mesh.testing.TestPostgres;
import dev.mesh.widgethost.WidgetHost;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's layout menus in Chromium, against the real gateway, registry, widget-host and a
 * real PostgreSQL (a database of its own on the layouts tests' server): saving and sharing, the
 * view link of a casual user, cloning and pulling, two tabs saving one layout, history and restore,
 * unknown widgets, export and import. People are told apart by the trusted identity headers
 * (honoured from loopback), one browser context each: alice and bob are editors (group {@code
 * editors}), carl is a viewer.
 */
class LayoutsBrowserTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Pattern LAYOUT_ID = Pattern.compile("[?&]layout=([0-9a-fA-F-]{36})");

  @RegisterExtension static final TestCluster cluster = new TestCluster();
  @RegisterExtension static final Chromium chromium = Chromium.forClass();
  private static String base;

  @BeforeAll
  static void start() throws IOException {
    TestDatabase database = TestPostgres.newDatabase("layouts");
    cluster.start(cluster.config(), Registry.verticles());
    Path widgets = Files.createTempDirectory("mesh-layouts-widgets");
    cluster.start(cluster.widgetHost(widgets, true), WidgetHost.verticles());
    MeshNode gateway =
        cluster.start(
            cluster
                .config()
                .with(Setting.DATABASE_URL, database.url())
                .with(Setting.ROLE_EDITORS, "editors"),
            Gateway.verticles());
    base = "http://127.0.0.1:" + Endpoints.httpPort(gateway, GatewayVerticle.SERVICE_NAME);
  }

  // ---- people ----

  private static LayoutsHttp api(String user, String groups) {
    return new LayoutsHttp(base, user, groups);
  }

  private static LayoutsHttp alice() {
    return api("alice", "editors,sales");
  }

  private static LayoutsHttp bob() {
    return api("bob", "editors");
  }

  /** A page in a browser context of its own, signed in as {@code user}. */
  private static Page as(String user, String groups) {
    Map<String, String> headers =
        groups.isEmpty()
            ? Map.of("X-Forwarded-User", user)
            : Map.of("X-Forwarded-User", user, "X-Forwarded-Groups", groups);
    return chromium.newPage(Chromium.desktop().setExtraHTTPHeaders(headers));
  }

  private static Page open(Page page, String path) {
    page.navigate(base + path);
    awaitStarted(page);
    return page;
  }

  private static void awaitStarted(Page page) {
    Poll.until(
        WAIT,
        "the dashboard started",
        () -> "true".equals(page.locator("html").getAttribute("data-ready")));
  }

  /**
   * The address of the page now (Playwright's page.url() only moves on while it is asked
   * something).
   */
  private static String url(Page page) {
    return (String) page.evaluate("location.href");
  }

  /**
   * Waits until the page is at a layout other than {@code previous}, and started; answers its id.
   */
  private static String awaitOtherLayout(Page page, String previous) {
    String id =
        Poll.until(
            WAIT,
            "another layout than " + previous,
            () -> layoutIdIn(url(page)),
            found -> found != null && !found.equals(previous));
    awaitStarted(page);
    return id;
  }

  private static String layoutIdIn(String url) {
    Matcher matcher = LAYOUT_ID.matcher(url);
    return matcher.find() ? matcher.group(1) : null;
  }

  private static String layoutIdOf(Page page) {
    String id = layoutIdIn(url(page));
    assertThat(id).as("a layout in " + page.url()).isNotNull();
    return id;
  }

  // ---- what a person sees ----

  private static Locator frame(Page page, String widgetId) {
    return page.locator("section.mesh-frame[data-widget-id='" + widgetId + "']");
  }

  private static void awaitFrames(Page page, String status, String... widgetIds) {
    for (String id : widgetIds) {
      Poll.until(
          WAIT,
          id + " " + status,
          () -> frame(page, id).first().getAttribute("data-status"),
          status::equals);
    }
  }

  private static String state(Page page) {
    return page.locator("#layout-info").getAttribute("data-state");
  }

  private static void awaitState(Page page, String state) {
    Poll.until(WAIT, "the layout " + state, () -> state(page), state::equals);
  }

  private static String version(Page page) {
    return page.locator("#layout-info .layout-version").textContent();
  }

  private static Locator dialog(Page page) {
    return page.locator("dialog[open]");
  }

  private static Locator menuItem(Page page, String command) {
    if (!page.locator("#layouts-menu").isVisible()) {
      page.click("#layouts-menu-button");
    }
    return page.locator("#layouts-menu [role=menuitem][data-command='" + command + "']");
  }

  private static void run(Page page, String command) {
    Locator item = menuItem(page, command);
    assertThat(item.getAttribute("aria-disabled")).as(command + " is enabled").isNull();
    item.click();
  }

  private static void addFromMarketplace(Page page, String search, String widgetId) {
    if (page.locator("#marketplace").isHidden()) {
      page.click("#add-window");
    }
    page.fill(".market-search", search);
    page.locator(".market-card[data-widget-id='" + widgetId + "'] .market-add").click();
    page.click("#add-window"); // closes the marketplace again
  }

  private static Locator stackOf(Page page, String title) {
    return page.locator(".lm_stack")
        .filter(
            new Locator.FilterOptions()
                .setHas(page.locator(".lm_tab", new Page.LocatorOptions().setHasText(title))));
  }

  /**
   * No header, tab, button or panel to change the arrangement with: what a casual user must not
   * see.
   */
  private static void assertNoEditChrome(Page page) {
    assertThat(page.locator(".lm_header:visible").count()).as("golden-layout headers").isZero();
    assertThat(page.locator(".lm_tab:visible").count()).as("tabs").isZero();
    assertThat(
            page.locator(
                    ".lm_close:visible, .lm_popout:visible, .lm_maximise:visible, .lm_close_tab:visible")
                .count())
        .as("window buttons")
        .isZero();
    assertThat(page.locator("#add-window, #reset-layout, #marketplace, #empty-add").count())
        .as("add and reset, marketplace")
        .isZero();
    assertThat(page.locator(".mesh-frame-settings-button:visible").count())
        .as("widget settings")
        .isZero();
  }

  private static final String STRICT_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
          + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'";

  private static void withPolicy(Route route, String policy) {
    var response = route.fetch();
    Map<String, String> headers = new HashMap<>(response.headers());
    headers.put("content-security-policy", policy);
    route.fulfill(new Route.FulfillOptions().setResponse(response).setHeaders(headers));
  }

  // ---- the scenarios ----

  @Test
  void aPowerUserSavesAndSharesAndACasualUserOpensTheViewLinkWithoutEditChromeAndCannotChangeIt() {
    Page page = open(as("alice", "editors,sales"), "/");
    assertThat(page.locator("html").getAttribute("data-layout")).isEqualTo("default");
    assertThat(state(page)).isEqualTo("scratch");
    awaitFrames(page, "ready", "sales-table", "sales-chart", "sales-kpis");

    // the scratch layout saved under a name that looks like markup: shown as text, never parsed
    String name = "Sales <b>overview</b> & <img src=x>";
    page.keyboard().press("Control+s");
    assertThat(dialog(page).locator("h2").textContent()).isEqualTo("Save as a layout");
    dialog(page).getByLabel("Name").fill(name);
    dialog(page)
        .getByLabel("Description")
        .fill("Regions, months and KPIs for the <i>sales</i> team");
    dialog(page).locator("button[type=submit]").click();
    String id = awaitOtherLayout(page, null);
    assertThat(page.locator("#layout-info .layout-name").textContent()).isEqualTo(name);
    assertThat(page.locator("#layout-info b, #layout-info img").count()).isZero();
    assertThat(page.locator("#layout-info").textContent())
        .doesNotContain("null")
        .doesNotContain("undefined");
    assertThat(state(page)).isEqualTo("saved");
    assertThat(version(page)).isEqualTo("v1");
    assertThat(page.locator("#layout-info .layout-owner").textContent()).isEqualTo("yours");
    awaitFrames(page, "ready", "sales-table", "sales-chart", "sales-kpis");

    // an edit is kept over a reload, then saved as version 2
    addFromMarketplace(page, "kpi", "sales-kpis");
    Poll.until(WAIT, "two KPI windows", () -> frame(page, "sales-kpis").count() == 2);
    awaitState(page, "unsaved");
    page.reload();
    awaitStarted(page);
    assertThat(state(page)).isEqualTo("unsaved");
    Poll.until(
        WAIT, "two KPI windows after the reload", () -> frame(page, "sales-kpis").count() == 2);
    page.keyboard().press("Control+s");
    awaitState(page, "saved");
    assertThat(version(page)).isEqualTo("v2");
    JsonObject saved = alice().get(id);
    assertThat(saved.getInteger("version")).isEqualTo(2);
    assertThat(saved.getString("name")).isEqualTo(name);
    assertThat(saved.getJsonArray("widgets").stream())
        .containsExactlyInAnyOrder("sales-table", "sales-chart", "sales-kpis");

    // shared with bob as a viewer, and with anyone who has the link
    run(page, "share");
    Locator share = dialog(page);
    share.getByLabel("Name of the person or group").fill("bob");
    share.locator("button", new Locator.LocatorOptions().setHasText("Add")).click();
    share.locator("#share-link-on").check();
    share.locator("button", new Locator.LocatorOptions().setHasText("Save sharing")).click();
    Locator viewLink = share.locator("input[data-link='view']");
    Poll.until(WAIT, "the view link", () -> viewLink.count() == 1);
    String link = viewLink.inputValue();
    assertThat(link).startsWith(base + "/?layout=" + id + "&mode=view&link=");
    assertThat(share.locator("input[data-link='edit']").count())
        .as("no edit link for a view-only link")
        .isZero();
    page.keyboard().press("Escape");
    assertThat(dialog(page).count()).isZero();
    assertThat(page.evaluate("document.activeElement.id"))
        .as("the focus is back where it was")
        .isEqualTo("layouts-menu-button");
    JsonObject sharing = alice().expect(200, "GET", "/api/layouts/" + id + "/shares", null, null);
    assertThat(sharing.getJsonArray("shares").getJsonObject(0).getMap())
        .containsEntry("name", "bob")
        .containsEntry("role", "viewer");
    assertThat(sharing.getJsonObject("link").getString("role")).isEqualTo("viewer");
    String token = link.substring(link.indexOf("link=") + 5);

    // a new tab of alice's browser at / opens the layout she used last
    Page again = page.context().newPage();
    again.navigate(base + "/");
    Poll.until(WAIT, "the last layout", () -> url(again).contains("layout=" + id));
    awaitStarted(again);
    assertThat(again.locator("#layout-info .layout-name").textContent()).isEqualTo(name);
    again.close();

    // carl, a viewer, opens the view link: the live dashboard and nothing to change it with, under
    // the
    // strictest policy (no inline style either: only the example widgets' own <style> elements need
    // it)
    Page carl = as("carl", "");
    carl.route(u -> u.startsWith(base + "/?"), route -> withPolicy(route, STRICT_POLICY));
    carl.addInitScript(
        """
      window.__violations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
      """);
    open(carl, link.substring(base.length()));
    assertThat(carl.locator("html").getAttribute("data-mode")).isEqualTo("view");
    awaitFrames(carl, "ready", "sales-table", "sales-chart");
    Poll.until(
        WAIT,
        "both KPI windows",
        () ->
            carl.locator("section.mesh-frame[data-widget-id='sales-kpis'][data-status='ready']")
                    .count()
                == 2);
    assertNoEditChrome(carl);
    assertThat(carl.locator("#layouts-menu-button, #clone-to-edit").count())
        .as("no menu, no clone for a viewer")
        .isZero();
    assertThat(carl.locator("#layout-info .layout-name").textContent()).isEqualTo(name);
    assertThat(carl.locator("header").textContent())
        .doesNotContain("null")
        .doesNotContain("undefined");
    carl.keyboard().press("/");
    assertThat(carl.locator(".market-search").count()).isZero();
    Poll.until(WAIT, "table rows", () -> carl.locator("mesh-sales-table tbody tr").count() > 2);
    String region = carl.locator("mesh-sales-table tbody tr").nth(2).getAttribute("data-region");
    carl.locator("mesh-sales-table tbody tr[data-region='" + region + "']").click();
    Poll.until(
        WAIT,
        "the chart draws " + region,
        () -> carl.locator("mesh-sales-chart").getAttribute("data-region"),
        region::equals);
    @SuppressWarnings("unchecked")
    List<String> violations = (List<String>) carl.evaluate("window.__violations");
    assertThat(violations)
        .allMatch(v -> v.startsWith("style-src-elem inline"), "only the widgets' <style> elements");
    // besides those, Chromium only complains that the page the test served may not open a WebSocket
    // (SockJS falls back to XHR): nothing went wrong in the page itself
    assertThat(chromium.problems(carl))
        .allMatch(
            p -> p.contains("Applying inline style") || p.contains("LOCAL_NETWORK_ACCESS"),
            "only the widgets' styles and the test's own page");

    // and the API refuses him too: 403 with the link, 404 without
    LayoutsHttp asCarl = api("carl", "");
    JsonObject change = new JsonObject().put("name", "carl was here");
    assertThat(asCarl.call("PUT", "/api/layouts/" + id + "?link=" + token, change, 2).status())
        .isEqualTo(403);
    assertThat(asCarl.call("PUT", "/api/layouts/" + id, change, 2).status()).isEqualTo(404);
    assertThat(alice().get(id).getInteger("version")).isEqualTo(2);
    chromium.assertNoProblems(page);
  }

  @Test
  void aSecondUserClonesAndTweaksTheOriginalStaysAsItWasAndTheClonePullsTheOriginalsLaterChange() {
    JsonObject original =
        alice().create("Head of sales", Layouts.row("sales-table", "sales-chart"));
    String id = original.getString("id");
    alice().share(id, new JsonArray().add(Layouts.share("user", "bob", "viewer")), null);

    // bob may only view it: read only, and why
    Page bob = open(as("bob", "editors"), "/?layout=" + id);
    assertThat(bob.locator("html").getAttribute("data-mode")).isEqualTo("read-only");
    awaitFrames(bob, "ready", "sales-table", "sales-chart");
    assertNoEditChrome(bob);
    assertThat(bob.locator("#banner").textContent())
        .contains("alice shared this layout with you as a viewer");
    Locator save = menuItem(bob, "save");
    assertThat(save.getAttribute("aria-disabled")).isEqualTo("true");
    assertThat(save.locator(".menu-why").textContent()).contains("clone it to change it");
    bob.keyboard().press("Escape");

    // clone, tweak, save
    bob.locator("#banner button", new Page.LocatorOptions().setHasText("Clone to edit")).click();
    assertThat(dialog(bob).getByLabel("Name").inputValue()).isEqualTo("Copy of Head of sales");
    dialog(bob).getByLabel("Name").fill("My sales");
    dialog(bob).locator("button[type=submit]").click();
    String cloneId = awaitOtherLayout(bob, id);
    assertThat(bob.locator("html").getAttribute("data-mode")).isEqualTo("edit");
    assertThat(bob.locator("#layout-info .layout-name").textContent()).isEqualTo("My sales");
    assertThat(state(bob)).isEqualTo("saved");
    awaitFrames(bob, "ready", "sales-table", "sales-chart");
    addFromMarketplace(bob, "kpi", "sales-kpis");
    awaitFrames(bob, "ready", "sales-kpis");
    awaitState(bob, "unsaved");
    bob.keyboard().press("Control+s");
    awaitState(bob, "saved");
    assertThat(version(bob)).isEqualTo("v2");

    // the original is unchanged, for alice and in the database
    JsonObject after = alice().get(id);
    assertThat(after.getInteger("version")).isEqualTo(1);
    assertThat(after.getJsonArray("widgets").stream())
        .containsExactly("sales-table", "sales-chart");
    Page alice = open(as("alice", "editors,sales"), "/?layout=" + id);
    awaitFrames(alice, "ready", "sales-table", "sales-chart");
    assertThat(frame(alice, "sales-kpis").count()).isZero();
    assertThat(state(alice)).isEqualTo("saved");

    // alice closes the chart's window and saves: version 2 of the original
    stackOf(alice, "Monthly sales chart").locator(".lm_close").click();
    Poll.until(WAIT, "the chart closed", () -> frame(alice, "sales-chart").count() == 0);
    awaitState(alice, "unsaved");
    alice.keyboard().press("Control+s");
    awaitState(alice, "saved");
    assertThat(version(alice)).isEqualTo("v2");

    // bob's clone sees the change and pulls it
    run(bob, "upstream");
    Locator status = dialog(bob).locator(".upstream-status");
    Poll.until(WAIT, "the upstream answer", () -> status.count() == 1);
    assertThat(status.getAttribute("data-behind")).isEqualTo("1");
    assertThat(dialog(bob).locator(".upstream-removed").textContent()).contains("sales-chart");
    dialog(bob)
        .locator("button", new Locator.LocatorOptions().setHasText("Pull the original"))
        .click();
    Poll.until(WAIT, "the clone at version 3", () -> version(bob), "v3"::equals);
    assertThat(state(bob)).isEqualTo("saved");
    Poll.until(
        WAIT,
        "only the table left",
        () -> frame(bob, "sales-chart").count() == 0 && frame(bob, "sales-kpis").count() == 0);
    awaitFrames(bob, "ready", "sales-table");
    JsonObject clone = bob().get(cloneId);
    assertThat(clone.getJsonObject("forkedFrom").getInteger("revision")).isEqualTo(2);
    assertThat(clone.getJsonArray("widgets").stream()).containsExactly("sales-table");
    run(bob, "upstream");
    Poll.until(
        WAIT,
        "up to date",
        () -> dialog(bob).locator(".upstream-status").textContent(),
        t -> t.startsWith("Up to date"));
    chromium.assertNoProblems(bob);
    chromium.assertNoProblems(alice);
  }

  @Test
  void twoTabsEditOneLayoutAndTheSecondSaveGetsTheConflictDialogWithNothingLost() {
    String id =
        alice().create("Ops board", Layouts.row("sales-table", "sales-chart")).getString("id");
    Page first = open(as("alice", "editors,sales"), "/?layout=" + id);
    Page second = first.context().newPage();
    open(second, "/?layout=" + id);
    awaitFrames(first, "ready", "sales-table", "sales-chart");
    awaitFrames(second, "ready", "sales-table", "sales-chart");

    addFromMarketplace(first, "kpi", "sales-kpis");
    awaitState(first, "unsaved");
    stackOf(second, "Monthly sales chart").locator(".lm_close").click();
    awaitState(second, "unsaved");
    // each tab keeps its own unsaved changes, over a reload too
    first.reload();
    awaitStarted(first);
    assertThat(state(first)).isEqualTo("unsaved");
    awaitFrames(first, "ready", "sales-table", "sales-chart", "sales-kpis");

    first.keyboard().press("Control+s");
    awaitState(first, "saved");
    assertThat(version(first)).isEqualTo("v2");

    second.keyboard().press("Control+s");
    Locator conflict = dialog(second);
    Poll.until(WAIT, "the conflict dialog", () -> conflict.count() == 1);
    assertThat(conflict.locator("h2").textContent()).isEqualTo("Someone saved this layout first");
    assertThat(conflict.locator(".conflict-what").textContent())
        .contains("alice saved version 2")
        .contains("start from version 1");
    assertThat(state(second)).as("still unsaved behind the dialog").isEqualTo("unsaved");
    conflict.locator("button[data-choice='copy']").click();
    assertThat(dialog(second).getByLabel("Name").inputValue()).isEqualTo("Ops board (my copy)");
    dialog(second).locator("button[type=submit]").click();
    String copyId = awaitOtherLayout(second, id);
    assertThat(second.locator("#layout-info .layout-name").textContent())
        .isEqualTo("Ops board (my copy)");
    assertThat(state(second)).isEqualTo("saved");
    awaitFrames(second, "ready", "sales-table");
    assertThat(frame(second, "sales-chart").count()).isZero();

    // both edits are on the server: the first tab's in the layout, the second's in the copy
    assertThat(alice().get(id).getJsonArray("widgets").stream())
        .containsExactlyInAnyOrder("sales-table", "sales-chart", "sales-kpis");
    assertThat(alice().get(copyId).getJsonArray("widgets").stream()).containsExactly("sales-table");

    // another conflict, settled by reloading theirs: the first tab's change is dropped only when
    // confirmed
    JsonObject theirs = alice().get(id);
    alice()
        .update(
            id,
            theirs.getInteger("version"),
            new JsonObject()
                .put("content", new JsonObject().put("config", Layouts.row("sales-chart"))));
    stackOf(first, "Sales by region").locator(".lm_close").click();
    awaitState(first, "unsaved");
    first.keyboard().press("Control+s");
    Poll.until(WAIT, "the conflict dialog", () -> dialog(first).count() == 1);
    dialog(first).locator("button[data-choice='theirs']").click();
    Poll.until(
        WAIT,
        "the confirmation",
        () -> dialog(first).locator("h2").textContent(),
        "Discard your changes?"::equals);
    dialog(first)
        .locator("button", new Locator.LocatorOptions().setHasText("Discard mine and reload"))
        .click();
    Poll.until(WAIT, "theirs shown", () -> version(first), "v3"::equals);
    assertThat(state(first)).isEqualTo("saved");
    Poll.until(
        WAIT,
        "only their chart",
        () -> frame(first, "sales-table").count() == 0 && frame(first, "sales-kpis").count() == 0);
    awaitFrames(first, "ready", "sales-chart");
  }

  @Test
  void anOldRevisionIsShownReadOnlyAndRestored() {
    JsonObject created = alice().create("Regions", Layouts.row("sales-table", "sales-chart"));
    String id = created.getString("id");
    alice()
        .update(
            id,
            1,
            new JsonObject()
                .put("name", "Regions, table only")
                .put("content", new JsonObject().put("config", Layouts.row("sales-table"))));

    Page page = open(as("alice", "editors,sales"), "/?layout=" + id);
    awaitFrames(page, "ready", "sales-table");
    assertThat(frame(page, "sales-chart").count()).isZero();
    run(page, "history");
    Locator entries = dialog(page).locator(".history-entry");
    Poll.until(WAIT, "two versions", () -> entries.count() == 2);
    assertThat(entries.nth(0).getAttribute("data-revision")).isEqualTo("2");
    assertThat(entries.nth(0).textContent()).contains("current").contains("alice");
    entries.nth(1).locator("button", new Locator.LocatorOptions().setHasText("View v1")).click();

    Poll.until(WAIT, "version 1 shown", () -> url(page).contains("revision=1"));
    awaitStarted(page);
    assertThat(page.locator("html").getAttribute("data-mode")).isEqualTo("revision");
    assertThat(page.locator("#banner").textContent())
        .contains("Version 1 of")
        .contains("read only");
    awaitFrames(page, "ready", "sales-table", "sales-chart");
    assertNoEditChrome(page);

    page.locator("#banner button", new Page.LocatorOptions().setHasText("Restore version 1"))
        .click();
    dialog(page)
        .locator("button", new Locator.LocatorOptions().setHasText("Restore version 1"))
        .click();
    Poll.until(WAIT, "the current version again", () -> !url(page).contains("revision="));
    awaitStarted(page);
    assertThat(version(page)).isEqualTo("v3");
    assertThat(state(page)).isEqualTo("saved");
    assertThat(page.locator("#layout-info .layout-name").textContent()).isEqualTo("Regions");
    awaitFrames(page, "ready", "sales-table", "sales-chart");
    JsonObject restored = alice().get(id);
    assertThat(restored.getInteger("version")).isEqualTo(3);
    assertThat(restored.getJsonArray("widgets").stream())
        .containsExactly("sales-table", "sales-chart");
    chromium.assertNoProblems(page);
  }

  @Test
  void aLayoutWithAnUnknownWidgetOpensWithThatFrameUnavailable() {
    String id =
        alice()
            .create("With a ghost", Layouts.row("sales-table", "no-such-widget"))
            .getString("id");
    for (String path : List.of("/?layout=" + id, "/?layout=" + id + "&mode=view")) {
      Page page = open(as("alice", "editors,sales"), path);
      awaitFrames(page, "ready", "sales-table");
      awaitFrames(page, "unavailable", "no-such-widget");
      assertThat(frame(page, "no-such-widget").locator(".mesh-frame-message").textContent())
          .contains("no-such-widget is unavailable");
      assertThat(state(page)).as(path).isIn("saved", "view");
      assertThat(page.locator(".fatal").count()).isZero();
      chromium.assertNoProblems(page);
    }
    assertThat(alice().get(id).getJsonArray("widgets").stream())
        .containsExactly("sales-table", "no-such-widget");
  }

  @Test
  void aViewerIsOfferedNothingToCreateAndALayoutThatIsNotSharedCannotBeOpened() {
    String id = alice().create("Private", Layouts.row("sales-table")).getString("id");
    Page carl = open(as("carl", ""), "/");
    assertThat(carl.locator("#user").textContent()).isEqualTo("carl · viewer");
    carl.click("#layouts-menu-button");
    List<String> commands =
        carl.locator("#layouts-menu [role=menuitem]").all().stream()
            .map(i -> i.getAttribute("data-command"))
            .toList();
    assertThat(commands)
        .contains("open")
        .doesNotContain("new", "save", "import", "clone", "save-copy");
    carl.keyboard().press("Escape");
    assertThat(carl.locator("#layouts-menu").isHidden()).isTrue();
    assertThat(carl.evaluate("document.activeElement.id"))
        .as("the focus is back on the menu button")
        .isEqualTo("layouts-menu-button");

    open(carl, "/?layout=" + id);
    assertThat(carl.locator(".open-error").textContent()).contains("This layout cannot be opened");
    assertThat(carl.locator("section.mesh-frame").count()).isZero();
  }

  @Test
  void aLayoutIsExportedAndImportedAsANewLayout(@TempDir Path folder) {
    String id =
        alice().create("To export", Layouts.row("sales-chart", "sales-kpis")).getString("id");
    Page page = open(as("alice", "editors,sales"), "/?layout=" + id);
    awaitFrames(page, "ready", "sales-chart", "sales-kpis");
    Download download = page.waitForDownload(() -> run(page, "export"));
    Path file = folder.resolve("exported.json");
    download.saveAs(file);
    JsonObject exported;
    try {
      exported = new JsonObject(Files.readString(file));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    assertThat(exported.getString("format")).isEqualTo("mesh-layout");
    assertThat(exported.getString("name")).isEqualTo("To export");

    FileChooser chooser = page.waitForFileChooser(() -> run(page, "import"));
    chooser.setFiles(file);
    String imported = awaitOtherLayout(page, id);
    assertThat(page.locator("#layout-info .layout-name").textContent()).isEqualTo("To export");
    awaitFrames(page, "ready", "sales-chart", "sales-kpis");
    assertThat(alice().get(imported).getString("owner")).isEqualTo("alice");
    chromium.assertNoProblems(page);

    // the copy is deleted again: after a confirmation, back to the scratch layout
    run(page, "delete");
    assertThat(dialog(page).locator("h2").textContent()).isEqualTo("Delete “To export”?");
    dialog(page).locator("button", new Locator.LocatorOptions().setHasText("Delete")).click();
    Poll.until(WAIT, "the scratch layout", () -> layoutIdIn(url(page)) == null);
    awaitStarted(page);
    assertThat(state(page)).isEqualTo("scratch");
    assertThat(alice().call("GET", "/api/layouts/" + imported, null, null).status()).isEqualTo(404);
    assertThat(alice().get(id).getInteger("version")).as("the original stays").isEqualTo(1);
  }
}
