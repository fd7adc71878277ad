package dev.mesh.gateway.identity.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.Cookie;
import com.microsoft.playwright.options.RequestOptions;
import dev.mesh.common.MeshNode;
import dev.mesh.common.Setting;
import dev.mesh.gateway.Gateway;
import dev.mesh.gateway.GatewayVerticle;
import dev.mesh.gateway.identity.Identities;
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
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Identity mode {@code accounts} in Chromium, against the real gateway, registry, widget-host with
 * the example widgets and a real PostgreSQL: a stranger is sent to the sign-in page, a wrong
 * password is refused with the reason on the page, the first admin signs in and gets the dashboard
 * with its widgets and adds two people; each of them signs in in a browser of their own, sees their
 * own layouts and those shared with their group, never another's, and signing out ends the session
 * (the next visit is the sign-in page again) without ending anybody else's. Every page runs under
 * the gateway's strict Content-Security-Policy with no violation, console error or uncaught
 * exception.
 */
class SignInBrowserTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String ADMIN_PASSWORD = "the first admin's long password";
  private static final Pattern LAYOUT_ID = Pattern.compile("[?&]layout=([0-9a-fA-F-]{36})");

  @RegisterExtension static final TestCluster cluster = new TestCluster();
  @RegisterExtension static final Chromium chromium = Chromium.forClass();
  private static String base;

  @BeforeAll
  static void start() throws IOException {
    TestDatabase database = TestPostgres.newDatabase("sign_in");
    cluster.start(cluster.config(), Registry.verticles());
    Path widgets = Files.createTempDirectory("mesh-sign-in-widgets");
    cluster.start(cluster.widgetHost(widgets, true), WidgetHost.verticles());
    MeshNode gateway =
        cluster.start(
            cluster
                .config()
                .with(Setting.DATABASE_URL, database.url())
                .with(Setting.IDENTITY_MODE, "accounts")
                .with(Setting.ACCOUNTS_ADMIN_PASSWORD, ADMIN_PASSWORD)
                .with(Setting.ROLE_EDITORS, "editors"),
            Gateway.verticles());
    base = "http://127.0.0.1:" + Endpoints.httpPort(gateway, GatewayVerticle.SERVICE_NAME);
  }

  @Test
  void peopleSignInSeeTheirOwnAndTheirGroupsLayoutsAndSignOut() {
    // a stranger opening the dashboard is on the sign-in page, which will send them back to it
    Page admin = browser();
    admin.navigate(base + "/");
    assertThat(url(admin)).isEqualTo(base + "/sign-in.html?next=%2F");
    assertThat(admin.locator("#sign-in-message").isHidden()).as("no message yet").isTrue();

    // a wrong password: the page says why, and no session
    signIn(admin, "admin", "not the password");
    Locator message = admin.locator("#sign-in-message");
    Poll.until(WAIT, "the reason on the page", message::isVisible);
    assertThat(message.textContent()).isEqualTo("Wrong user name or password");
    assertThat(message.getAttribute("role")).isEqualTo("alert");
    assertThat(url(admin)).startsWith(base + "/sign-in.html?failed=").endsWith("&next=%2F");
    assertThat(sessionCookie(admin.context())).as("no session for a failed sign-in").isNull();

    // the right one: the dashboard with its widgets, and who is signed in
    signIn(admin, "admin", ADMIN_PASSWORD);
    awaitDashboard(admin);
    assertThat(url(admin)).isEqualTo(base + "/");
    awaitFrames(admin, "sales-table", "sales-chart");
    Poll.until(WAIT, "the sales table's rows", () -> salesRows(admin) > 0);
    assertThat(admin.locator("#user").textContent()).isEqualTo("admin · admin");
    assertThat(signOutButton(admin).isVisible()).isTrue();
    assertThat(sessionCookie(admin.context()))
        .as("the session cookie")
        .satisfies(cookie -> assertThat(cookie.httpOnly).isTrue());

    // the admin adds two people of the sales team (with the session of the admin's browser), and
    // keeps a layout of their own
    addPerson(admin, "ada", "editor");
    addPerson(admin, "ben", "viewer");
    String adminsOwn =
        created(
            call(
                admin,
                "POST",
                "/api/layouts",
                Layouts.layout("Admin's own board", Layouts.content(Layouts.row("sales-kpis")))));

    // ada, an editor, signs in in a browser of her own and saves the page as a layout
    Page ada = browser();
    ada.navigate(base + "/");
    assertThat(url(ada)).startsWith(base + "/sign-in.html");
    signIn(ada, "ada", "ada's long password");
    awaitDashboard(ada);
    assertThat(ada.locator("#user").textContent()).isEqualTo("ada · editor");
    awaitFrames(ada, "sales-table", "sales-chart");
    ada.keyboard().press("Control+s");
    dialog(ada).getByLabel("Name").fill("Sales team board");
    dialog(ada).locator("button[type=submit]").click();
    String board =
        Poll.until(WAIT, "the saved layout", () -> layoutIdIn(url(ada)), id -> id != null);
    awaitDashboard(ada);
    assertThat(openList(ada)).as("ada's layouts").containsExactly("mine: Sales team board");
    ada.keyboard().press("Escape");

    // ... and shares it with her group in the Share dialog
    menuItem(ada, "share").click();
    Locator share = dialog(ada);
    share.getByLabel("Share with a").selectOption("group");
    share.getByLabel("Name of the person or group").fill("sales");
    share.locator("button", new Locator.LocatorOptions().setHasText("Add")).click();
    share.locator("button", new Locator.LocatorOptions().setHasText("Save sharing")).click();
    Poll.until(
        WAIT,
        "shared with the group sales",
        () -> call(ada, "GET", "/api/layouts/" + board + "/shares", null).text(),
        shares -> shares.contains("\"kind\":\"group\"") && shares.contains("\"name\":\"sales\""));
    ada.keyboard().press("Escape");

    // ben, a viewer of the sales team, signs in: ada's board is there for him, the admin's not
    Page ben = browser();
    ben.navigate(base + "/");
    signIn(ben, "ben", "ben's long password");
    awaitDashboard(ben);
    assertThat(ben.locator("#user").textContent()).isEqualTo("ben · viewer");
    assertThat(openList(ben)).as("what ben may open").containsExactly("shared: Sales team board");
    dialog(ben)
        .locator(".open-entry", new Locator.LocatorOptions().setHasText("Sales team board"))
        .click();
    Poll.until(WAIT, "ada's board", () -> board.equals(layoutIdIn(url(ben))));
    awaitDashboard(ben);
    assertThat(ben.locator("html").getAttribute("data-mode")).isEqualTo("read-only");
    assertThat(ben.locator("#layout-info .layout-owner").textContent()).isEqualTo("by ada");
    awaitFrames(ben, "sales-table", "sales-chart");
    Poll.until(WAIT, "the sales table's rows for ben", () -> salesRows(ben) > 0);
    assertThat(call(ben, "GET", "/api/layouts/" + adminsOwn, null).status())
        .as("the admin's layout is not there for ben")
        .isEqualTo(404);
    assertThat(call(ben, "GET", "/api/admin/people", null).status()).isEqualTo(403);

    // ben signs out: the sign-in page says so, and the dashboard is behind it again
    signOutButton(ben).click();
    Poll.until(
        WAIT, "the sign-in page", () -> url(ben).equals(base + "/sign-in.html?signed-out=1"));
    Poll.until(WAIT, "the sign-out note", () -> ben.locator("#sign-in-message").isVisible());
    assertThat(ben.locator("#sign-in-message").textContent()).isEqualTo("You are signed out.");
    assertThat(sessionCookie(ben.context())).as("the cookie is gone").isNull();
    ben.navigate(base + "/");
    assertThat(url(ben)).isEqualTo(base + "/sign-in.html?next=%2F");
    ben.navigate(base + "/?layout=" + board);
    assertThat(url(ben)).startsWith(base + "/sign-in.html?next=");
    assertThat(call(ben, "GET", "/api/me", null).status()).isEqualTo(401);

    // ada is still signed in, and back on her board after a reload
    ada.reload();
    awaitDashboard(ada);
    assertThat(ada.locator("#user").textContent()).isEqualTo("ada · editor");
    assertThat(layoutIdIn(url(ada))).isEqualTo(board);

    for (Page page : List.of(admin, ada, ben)) {
      chromium.assertNoProblems(page);
      assertThat(violations(page)).as("CSP violations on " + url(page)).isEmpty();
    }
  }

  // ---- a browser of one's own

  /**
   * A page in a new browser context (cookies and storage of its own) that records violations of the
   * page's Content-Security-Policy.
   */
  private static Page browser() {
    Page page = chromium.newPage(Chromium.desktop());
    page.addInitScript(
        """
      window.__violations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
      """);
    return page;
  }

  @SuppressWarnings("unchecked")
  private static List<String> violations(Page page) {
    return (List<String>) page.evaluate("window.__violations");
  }

  /** Fills the sign-in page's form, found by its labels as a screen reader would, and sends it. */
  private static void signIn(Page page, String user, String password) {
    page.getByLabel("User name").fill(user);
    page.getByLabel("Password").fill(password);
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
  }

  private static Locator signOutButton(Page page) {
    return page.locator("#sign-out")
        .getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Sign out"));
  }

  private static Cookie sessionCookie(BrowserContext context) {
    return context.cookies(base).stream()
        .filter(cookie -> cookie.name.equals(Identities.SESSION_COOKIE))
        .findFirst()
        .orElse(null);
  }

  /**
   * The address of the page now (Playwright's page.url() only moves on while it is asked
   * something).
   */
  private static String url(Page page) {
    return (String) page.evaluate("location.href");
  }

  private static String layoutIdIn(String url) {
    Matcher matcher = LAYOUT_ID.matcher(url);
    return matcher.find() ? matcher.group(1) : null;
  }

  // ---- the dashboard

  private static void awaitDashboard(Page page) {
    Poll.until(
        WAIT,
        "the dashboard started",
        () -> "true".equals(page.locator("html").getAttribute("data-ready")));
  }

  private static void awaitFrames(Page page, String... widgetIds) {
    for (String id : widgetIds) {
      Poll.until(
          WAIT,
          id + " ready",
          () ->
              page.locator("section.mesh-frame[data-widget-id='" + id + "']")
                  .first()
                  .getAttribute("data-status"),
          "ready"::equals);
    }
  }

  private static int salesRows(Page page) {
    return page.locator("mesh-sales-table tbody tr").count();
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

  /**
   * The layouts the Open dialog lists, as "group: name" (mine, shared, provisioned); the dialog
   * stays open.
   */
  private static List<String> openList(Page page) {
    menuItem(page, "open").click();
    Locator groups = dialog(page).locator(".open-group");
    Poll.until(WAIT, "the layouts listed", () -> groups.count() == 3);
    return groups.all().stream()
        .flatMap(
            group ->
                group.locator(".open-entry .open-name").allTextContents().stream()
                    .map(name -> group.getAttribute("data-group") + ": " + name))
        .toList();
  }

  // ---- the API, with the session of a browser

  private static void addPerson(Page admin, String name, String role) {
    APIResponse added =
        call(
            admin,
            "POST",
            "/api/admin/people",
            new JsonObject()
                .put("name", name)
                .put("password", name + "'s long password")
                .put("role", role)
                .put("groups", new JsonArray().add("sales")));
    assertThat(added.status()).as(added.text()).isEqualTo(201);
  }

  /** A call with the cookies of {@code page}'s browser, as its scripts would make it. */
  private static APIResponse call(Page page, String method, String path, JsonObject body) {
    RequestOptions options =
        RequestOptions.create().setMethod(method).setHeader("Origin", base).setMaxRedirects(0);
    if (body != null) {
      options.setHeader("Content-Type", "application/json").setData(body.encode());
    }
    return page.context().request().fetch(base + path, options);
  }

  private static String created(APIResponse response) {
    assertThat(response.status()).as(response.text()).isEqualTo(201);
    return new JsonObject(response.text()).getString("id");
  }
}
