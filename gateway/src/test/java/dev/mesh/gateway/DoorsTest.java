package dev.mesh.gateway;

import static dev.mesh.gateway.doors.AccessRule.ADMIN;
import static dev.mesh.gateway.doors.AccessRule.EDITOR;
import static dev.mesh.gateway.doors.AccessRule.PUBLIC;
import static dev.mesh.gateway.doors.AccessRule.SERVICE;
import static dev.mesh.gateway.doors.AccessRule.SIGNED_IN;
import static dev.mesh.testing.TestCluster.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.common.MeshConfig;
import dev.mesh.common.MeshNode;
import dev.mesh.common.Setting;
import dev.mesh.gateway.doors.AccessRule;
import dev.mesh.gateway.doors.Door;
import dev.mesh.gateway.doors.Doors;
import dev.mesh.gateway.identity.Identities;
import dev.mesh.registry.Registry;
import dev.mesh.testing.Http;
import dev.mesh.testing.Poll;
import dev.mesh.testing.Ports;
import dev.mesh.testing.TestCluster;
import dev.mesh.testing.TestPostgres;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every door of the gateway is a row of its route table, and every row is checked, in both identity
 * modes (docs/identity.md): a stranger is refused (401, or the service's own 401) at every door
 * that is not public, before any body is read, and in mode accounts a stranger asking for a
 * dashboard page is sent to sign in, never shown it; a viewer is refused (403) at the doors for
 * editors and admins; public doors answer strangers. In mode accounts the identity headers of a
 * proxy are forged on every request of a stranger and a viewer, and change nothing.
 *
 * <p>Two gateways run as a deployment would: one in mode local behind an authenticating proxy (no
 * local user, so a request without the identity header is nobody), one in mode accounts that would
 * even believe every identity header if its mode asked them ({@code MESH_IDENTITY_TRUST=always}).
 * The registry runs beside them with a token, so the doors it checks itself are checked for real;
 * the tracker and the widget-hosts do not run (their doors are asked who is calling before anything
 * is forwarded, or are public).
 *
 * <p>{@link #expected} is the table as this test expects it: changing who may use a door, or adding
 * one, is a change here too.
 */
class DoorsTest {

  private static final String TOKEN = "doors-test-token";

  /** Mode local: people in the headers; editors are the group editors, admins the group admins. */
  private static final String[] VIEWER = {"X-Forwarded-User", "vic", "X-Forwarded-Groups", "staff"};

  private static final String[] EDITOR_HEADERS = {
    "X-Forwarded-User", "erin", "X-Forwarded-Groups", "staff,editors"
  };

  private static final String[] ADMIN_HEADERS = {
    "X-Forwarded-User", "ada", "X-Forwarded-Groups", "admins"
  };

  /** Mode accounts: what a proxy would send for an admin, sent by anybody. */
  private static final String[] FORGED = {
    "X-Forwarded-User", "admin", "X-Forwarded-Groups", "admins,editors"
  };

  private static final String ADMIN_PASSWORD = "the doors test's admin password";
  private static final String LAYOUT_ID = "00000000-0000-4000-8000-000000000000";

  /** Larger than any body limit of the gateway (layouts 256 KiB, the bridge 128 KiB). */
  private static final int OVERSIZED = 1024 * 1024;

  /** The identity mode of a gateway under test. */
  enum Mode {
    LOCAL,
    ACCOUNTS
  }

  /** One expected row: methods ({@code any}, or names separated by spaces), path, rule, concern. */
  private record Row(String methods, String path, AccessRule access, String concern) {

    @Override
    public String toString() {
      return methods + " " + path + " " + access + " (" + concern + ")";
    }
  }

  private static Row row(String methods, String path, AccessRule access, String concern) {
    return new Row(methods, path, access, concern);
  }

  private static final List<Row> OPERATIONS =
      List.of(
          row("GET", "/health/live", PUBLIC, "operations"),
          row("GET", "/health/ready", PUBLIC, "operations"),
          row("GET", "/metrics", PUBLIC, "operations"));

  private static final List<Row> LOCAL_IDENTITY =
      List.of(row("GET", "/api/me", SIGNED_IN, "identity"));

  /**
   * Mode accounts: the sessions (and the check of cross-site requests) in front of everything, the
   * dashboard's pages for signed-in people only, signing in and out, the admin's API.
   */
  private static final List<Row> ACCOUNTS_IDENTITY =
      List.of(
          row("any", "/*", PUBLIC, "identity"),
          row("GET", "/", SIGNED_IN, "identity"),
          row("GET", "/index.html", SIGNED_IN, "identity"),
          row("GET", "/catalog.html", SIGNED_IN, "identity"),
          row("GET", "/preview.html", SIGNED_IN, "identity"),
          row("GET", "/api/me", SIGNED_IN, "identity"),
          row("POST", "/auth/sign-in", PUBLIC, "accounts"),
          row("POST", "/auth/sign-out", PUBLIC, "accounts"),
          row("PUT", "/api/me/password", SIGNED_IN, "accounts"),
          row("GET", "/api/admin/people", ADMIN, "accounts"),
          row("POST", "/api/admin/people", ADMIN, "accounts"),
          row("GET", "/api/admin/people/:name", ADMIN, "accounts"),
          row("PUT", "/api/admin/people/:name", ADMIN, "accounts"),
          row("DELETE", "/api/admin/people/:name", ADMIN, "accounts"),
          row("PUT", "/api/admin/people/:name/password", ADMIN, "accounts"));

  /** Both gateways have a database, so both keep teams' registration tokens (admins only). */
  private static final List<Row> TEAM_TOKENS =
      List.of(
          row("GET", "/api/admin/team-tokens", ADMIN, "team-tokens"),
          row("POST", "/api/admin/team-tokens", ADMIN, "team-tokens"),
          row("DELETE", "/api/admin/team-tokens/:id", ADMIN, "team-tokens"));

  /** The same in both modes. */
  private static final List<Row> SERVICES_LAYOUTS_BRIDGE_PAGES =
      List.of(
          row("GET", "/api/widgets", SIGNED_IN, "services"),
          row("GET", "/api/widgets/:id", SIGNED_IN, "services"),
          row("PUT DELETE", "/api/widgets/:id", SERVICE, "services"),
          row("POST", "/api/widgets/:id/heartbeat", SERVICE, "services"),
          row("GET", "/api/v1/registry", SIGNED_IN, "services"),
          row("GET", "/api/v1/registry/:id", SIGNED_IN, "services"),
          row("POST", "/api/v1/registry/:id", SERVICE, "services"),
          row("OPTIONS", "/api/v1/registry", PUBLIC, "services"),
          row("OPTIONS", "/api/v1/registry/:id", PUBLIC, "services"),
          row("GET", "/api/schemas/*", SIGNED_IN, "services"),
          row("any", "/m/s.gif", PUBLIC, "services"),
          row("any", "/m/e", PUBLIC, "services"),
          row("any", "/m/s.js", PUBLIC, "services"),
          row("any", "/api/tracker/*", SIGNED_IN, "services"),
          row("any", "/w/*", PUBLIC, "services"),
          row("GET", "/api/layouts", SIGNED_IN, "layouts"),
          row("POST", "/api/layouts", EDITOR, "layouts"),
          row("POST", "/api/layouts/import", EDITOR, "layouts"),
          row("GET", "/api/layouts/:id", SIGNED_IN, "layouts"),
          row("PUT", "/api/layouts/:id", SIGNED_IN, "layouts"),
          row("DELETE", "/api/layouts/:id", SIGNED_IN, "layouts"),
          row("POST", "/api/layouts/:id/clone", SIGNED_IN, "layouts"),
          row("GET", "/api/layouts/:id/revisions", SIGNED_IN, "layouts"),
          row("GET", "/api/layouts/:id/revisions/:n", SIGNED_IN, "layouts"),
          row("POST", "/api/layouts/:id/revisions/:n/restore", SIGNED_IN, "layouts"),
          row("GET", "/api/layouts/:id/upstream", SIGNED_IN, "layouts"),
          row("POST", "/api/layouts/:id/pull", SIGNED_IN, "layouts"),
          row("GET", "/api/layouts/:id/shares", SIGNED_IN, "layouts"),
          row("PUT", "/api/layouts/:id/shares", SIGNED_IN, "layouts"),
          row("GET", "/api/layouts/:id/export", SIGNED_IN, "layouts"),
          row("POST", "/eventbus/*", SIGNED_IN, "bridge"),
          row("any", "/eventbus/*", SIGNED_IN, "bridge"),
          row("any", "/*", PUBLIC, "pages"));

  /** The route table of a gateway in {@code mode}, in the order its doors are tried. */
  private static List<Row> expected(Mode mode) {
    List<Row> rows = new ArrayList<>(OPERATIONS);
    rows.addAll(mode == Mode.LOCAL ? LOCAL_IDENTITY : ACCOUNTS_IDENTITY);
    rows.addAll(TEAM_TOKENS);
    rows.addAll(SERVICES_LAYOUTS_BRIDGE_PAGES);
    return rows;
  }

  /**
   * A gateway under test, and the headers each caller sends it: strangers and viewers in several
   * guises (in mode accounts: as they are, and with forged identity headers).
   */
  private record Under(
      GatewayVerticle gateway,
      Http http,
      List<String[]> strangers,
      List<String[]> viewers,
      String[] editor,
      String[] admin) {}

  @RegisterExtension static final TestCluster cluster = new TestCluster();
  private static MeshNode node;
  private static final Map<Mode, Under> gateways = new EnumMap<>(Mode.class);

  @BeforeAll
  static void start() {
    int port = Ports.free();
    MeshConfig config =
        cluster
            .config()
            .with(Setting.GATEWAY_PORT, port)
            .with(Setting.DATABASE_URL, TestPostgres.newDatabase("doors").url())
            .with(Setting.IDENTITY_LOCAL_USER, "")
            .with(Setting.IDENTITY_TRUST, "loopback")
            .with(Setting.ROLE_EDITORS, "editors")
            .with(Setting.ROLE_ADMINS, "admins")
            .with(Setting.REGISTRY_TOKEN, TOKEN);
    node = cluster.start(config, Registry.verticles());
    Http local = Http.onPort(port);
    gateways.put(
        Mode.LOCAL,
        new Under(
            deploy(node, config),
            local,
            List.<String[]>of(new String[0]),
            List.<String[]>of(VIEWER),
            EDITOR_HEADERS,
            ADMIN_HEADERS));
    awaitServing(local, VIEWER);

    int accountsPort = Ports.free();
    MeshConfig accountsConfig =
        config
            .with(Setting.GATEWAY_PORT, accountsPort)
            .with(Setting.DATABASE_URL, TestPostgres.newDatabase("doors_accounts").url())
            .with(Setting.IDENTITY_MODE, "accounts")
            .with(Setting.ACCOUNTS_ADMIN_PASSWORD, ADMIN_PASSWORD)
            // the mode ignores the headers even where another mode would believe them all
            .with(Setting.IDENTITY_TRUST, "always");
    GatewayVerticle accountsGateway = deploy(cluster.start(cluster.config()), accountsConfig);
    Http accounts = Http.onPort(accountsPort);
    String admin =
        Poll.until(
            Duration.ofSeconds(30),
            "the first admin signs in",
            () -> signIn(accounts, "admin", ADMIN_PASSWORD),
            cookie -> cookie != null);
    addPerson(accounts, admin, "vic", "viewer", "staff");
    addPerson(accounts, admin, "erin", "editor", "staff");
    String vic = signIn(accounts, "vic", "vic's long password");
    String erin = signIn(accounts, "erin", "erin's long password");
    String[] viewer = {"Cookie", vic};
    gateways.put(
        Mode.ACCOUNTS,
        new Under(
            accountsGateway,
            accounts,
            List.of(new String[0], FORGED),
            List.of(viewer, concat(viewer, FORGED)),
            new String[] {"Cookie", erin},
            new String[] {"Cookie", admin}));
    awaitServing(accounts, viewer);
  }

  private static GatewayVerticle deploy(MeshNode member, MeshConfig config) {
    GatewayVerticle gateway = new GatewayVerticle();
    await(
        member.vertx().deployVerticle(gateway, new DeploymentOptions().setConfig(config.toJson())));
    return gateway;
  }

  /** Until the layouts' schema is prepared and the gateway found the registry. */
  private static void awaitServing(Http http, String[] viewer) {
    Poll.until(
        Duration.ofSeconds(30),
        "the layouts' database is ready",
        () -> http.get("/api/layouts", viewer).status() == 200);
    Poll.until(
        Duration.ofSeconds(30),
        "the gateway routes to the registry",
        () -> http.get("/api/widgets", viewer).status() == 200);
  }

  /** Signs in with JSON: the session cookie ({@code mesh.session=...}), or null when refused. */
  private static String signIn(Http http, String user, String password) {
    Http.Answer answer =
        http.sendJson(
            "POST", "/auth/sign-in", new JsonObject().put("user", user).put("password", password));
    return answer.status() == 200 ? sessionCookie(answer) : null;
  }

  private static void addPerson(Http http, String admin, String name, String role, String group) {
    Http.Answer added =
        http.sendJson(
            "POST",
            "/api/admin/people",
            new JsonObject()
                .put("name", name)
                .put("password", name + "'s long password")
                .put("role", role)
                .put("groups", new JsonArray().add(group)),
            "Cookie",
            admin);
    assertThat(added.status()).as(added.toString()).isEqualTo(201);
  }

  /** The answer's Set-Cookie headers of the session cookie. */
  private static Stream<String> setCookies(Http.Answer answer) {
    return answer.headers().entrySet().stream()
        .filter(header -> header.getKey().equalsIgnoreCase("Set-Cookie"))
        .flatMap(header -> header.getValue().stream())
        .filter(cookie -> cookie.startsWith(Identities.SESSION_COOKIE + "="));
  }

  /** The session cookie an answer sets, as a Cookie header's value; null when it sets none. */
  private static String sessionCookie(Http.Answer answer) {
    return setCookies(answer)
        .map(
            cookie ->
                cookie.substring(
                    0, cookie.indexOf(';') < 0 ? cookie.length() : cookie.indexOf(';')))
        .findFirst()
        .orElse(null);
  }

  /** Whether an answer sets a session cookie (one that is not the expiry of an ended session). */
  private static boolean givesASession(Http.Answer answer) {
    String cookie = sessionCookie(answer);
    return cookie != null
        && !cookie.equals(Identities.SESSION_COOKIE + "=")
        && !setCookies(answer).anyMatch(set -> set.contains("Max-Age=0"));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void everyRouteOfTheRouterIsARowOfTheTable(Mode mode) {
    GatewayVerticle gateway = gateways.get(mode).gateway();
    Doors doors = gateway.doors();
    List<String> strays = strays(gateway.router(), doors);
    assertThat(strays)
        .withFailMessage(
            "The gateway's router has routes that are no row of its route table (a door is added"
                + " to its concern's doors(), never mounted by hand):%n  %s",
            String.join("\n  ", strays))
        .isEmpty();
    List<String> unmounted =
        doors.rows().stream()
            .filter(
                row -> gateway.router().getRoutes().stream().noneMatch(r -> takes(r, row.door())))
            .map(Doors.Row::toString)
            .toList();
    assertThat(unmounted).as("rows of the table that no route of the router takes").isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void theTableIsTheOneThisTestExpects(Mode mode) {
    List<String> actual =
        gateways.get(mode).gateway().doors().rows().stream()
            .map(
                r ->
                    new Row(r.door().methodNames(), r.door().path(), r.door().access(), r.concern())
                        .toString())
            .toList();
    assertThat(actual)
        .as("the gateway's doors, in the order they are tried, and who may use each")
        .containsExactlyElementsOf(expected(mode).stream().map(Row::toString).toList());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aStrangerIsRefusedAtEveryDoorThatIsNotPublicBeforeABodyIsRead(Mode mode) {
    Under under = gateways.get(mode);
    List<String> wrong = new ArrayList<>();
    for (String[] stranger : under.strangers()) {
      for (Row row : expected(mode)) {
        if (row.access() == PUBLIC) {
          continue;
        }
        for (String method : methodsToTry(row)) {
          // a body over every limit: a stranger must get 401, not 413, so the body was not read
          Http.Answer answer =
              send(under, method, row, row.access() == SERVICE ? "{}" : oversized(), stranger);
          String request = request(method, row) + as(stranger);
          if (givesASession(answer)) {
            wrong.add(request + ": a stranger was given a session: " + answer.headers());
          }
          if (mode == Mode.ACCOUNTS && isPage(method, row)) {
            String signIn =
                "/sign-in.html?next="
                    + URLEncoder.encode(samplePath(row.path()), StandardCharsets.UTF_8);
            if (answer.status() != 302
                || !signIn.equals(answer.header("Location"))
                || !answer.body().isEmpty()) {
              wrong.add(request + ": not sent to " + signIn + " without the page: " + answer);
            }
          } else if (answer.status() != 401 && answer.status() != 403) {
            wrong.add(request + ": " + answer);
          } else if (answer.message() == null
              || !answer.json().fieldNames().equals(Set.of("status", "message"))) {
            wrong.add(request + ": no JSON error with a message alone: " + answer);
          } else if (row.access() != SERVICE && !answer.message().startsWith("Sign in")) {
            wrong.add(request + ": not the gateway's sign-in refusal: " + answer);
          }
        }
      }
    }
    assertThat(wrong)
        .withFailMessage(
            "Doors that let a stranger in or answered otherwise than 401/403:%n  %s",
            String.join("\n  ", wrong))
        .isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aViewerIsRefusedAtTheDoorsForEditorsAndAdminsAndLetInAtTheOthers(Mode mode) {
    Under under = gateways.get(mode);
    List<String> wrong = new ArrayList<>();
    for (String[] viewer : under.viewers()) {
      for (Row row : expected(mode)) {
        if (row.access() == PUBLIC || row.access() == SERVICE) {
          continue;
        }
        for (String method : methodsToTry(row)) {
          Http.Answer answer = send(under, method, row, "{}", viewer);
          boolean refused = answer.status() == 401 || answer.status() == 403;
          String request = request(method, row) + as(viewer);
          if (row.access() == SIGNED_IN && (refused || answer.status() == 302)) {
            wrong.add(request + ": a signed-in viewer was refused: " + answer);
          } else if (row.access() != SIGNED_IN
              && (answer.status() != 403
                  || answer.message() == null
                  || !answer.message().contains("have the viewer role"))) {
            wrong.add(request + ": a viewer was not refused with 403: " + answer);
          }
        }
      }
    }
    assertThat(wrong).withFailMessage(String.join("\n", wrong)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void editorsAndAdminsAreLetInAtTheirDoors(Mode mode) {
    Under under = gateways.get(mode);
    for (Row row : expected(mode)) {
      String[] caller =
          switch (row.access()) {
            case EDITOR -> under.editor();
            case ADMIN -> under.admin();
            default -> null;
          };
      if (caller != null) {
        for (String method : methodsToTry(row)) {
          Http.Answer answer = send(under, method, row, "{}", caller);
          assertThat(answer.status()).as(request(method, row) + ": " + answer).isNotIn(401, 403);
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void publicDoorsAnswerStrangers(Mode mode) {
    Under under = gateways.get(mode);
    for (Row row : expected(mode)) {
      if (row.access() == PUBLIC) {
        for (String method : methodsToTry(row)) {
          Http.Answer answer = send(under, method, row, null, new String[0]);
          assertThat(answer.status()).as(request(method, row) + ": " + answer).isNotIn(401, 403);
        }
      }
    }
    if (mode == Mode.LOCAL) {
      assertThat(under.http().get("/").status()).as("the dashboard page").isEqualTo(200);
    } else {
      assertThat(under.http().get("/").status()).as("the dashboard page").isEqualTo(302);
      Http.Answer signIn = under.http().get("/sign-in.html");
      assertThat(signIn.status()).as("the sign-in page").isEqualTo(200);
      assertThat(signIn.body()).contains("action=\"/auth/sign-in\"");
    }
  }

  /** Mode accounts: only the session says who is calling, and /api/me says where to sign out. */
  @Test
  void inModeAccountsTheSessionAloneSaysWhoIsCalling() {
    Under accounts = gateways.get(Mode.ACCOUNTS);
    Http.Answer forged = accounts.http().get("/api/me", FORGED);
    assertThat(forged.status()).as(forged.toString()).isEqualTo(401);
    assertThat(forged.body()).doesNotContain("\"user\"");

    JsonObject vic = accounts.http().get("/api/me", accounts.viewers().get(1)).json();
    assertThat(vic.getString("user")).isEqualTo("vic");
    assertThat(vic.getString("role")).isEqualTo("viewer");
    assertThat(vic.getJsonArray("groups")).containsExactly("staff");
    assertThat(vic.getString("signOut")).isEqualTo("/auth/sign-out");

    // the cookie of a session that ended (as after the timeout): a stranger's answer, no new
    // session, and the browser is told to forget the cookie, which it would otherwise send with
    // every request (each then waits 5 s: the clustered store looks for an unknown session that
    // long, in case it is still on its way from another member)
    String ended = signIn(accounts.http(), "vic", "vic's long password");
    assertThat(accounts.http().send("POST", "/auth/sign-out", null, "Cookie", ended).status())
        .isEqualTo(204);
    for (String path : List.of("/", "/api/me")) {
      Http.Answer answer = accounts.http().get(path, "Cookie", ended);
      assertThat(answer.status()).as(path + ": " + answer).isEqualTo(path.equals("/") ? 302 : 401);
      assertThat(givesASession(answer)).as(path + ": " + answer.headers()).isFalse();
      assertThat(setCookies(answer).toList())
          .as(path + ": the ended session's cookie is expired")
          .singleElement()
          .satisfies(cookie -> assertThat(cookie).contains("Max-Age=0").contains("Path=/"));
    }

    JsonObject local = gateways.get(Mode.LOCAL).http().get("/api/me", VIEWER).json();
    assertThat(local.getString("user")).isEqualTo("vic");
    assertThat(local.containsKey("signOut")).as("mode local has nothing to sign out of").isFalse();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void theServiceDecidesAtItsDoors(Mode mode) {
    Http.Answer withToken =
        gateways
            .get(mode)
            .http()
            .send(
                "DELETE",
                "/api/widgets/not-registered",
                (byte[]) null,
                "Authorization",
                "Bearer " + TOKEN);
    assertThat(withToken.status()).as(withToken.toString()).isNotIn(401, 403);
  }

  /** The check itself: a route mounted around the table is named. */
  @Test
  void aRouteMountedAroundTheTableIsNamed() {
    Router router = Router.router(node.vertx());
    router.get("/api/me").handler(ctx -> ctx.end());
    router.route("/api/secrets/*").handler(ctx -> ctx.end());
    router.route("/api/layouts/:id").method(HttpMethod.PATCH).handler(ctx -> ctx.end());

    assertThat(strays(router, gateways.get(Mode.LOCAL).gateway().doors()))
        .containsExactly("any /api/secrets/*", "PATCH /api/layouts/:id");
  }

  // ---- reading the router

  /** The routes of {@code router} that take requests no row of {@code doors} describes. */
  private static List<String> strays(Router router, Doors doors) {
    return router.getRoutes().stream()
        .filter(route -> doors.rows().stream().noneMatch(row -> takes(route, row.door())))
        .map(DoorsTest::describe)
        .toList();
  }

  /** Whether {@code route} takes exactly the methods and path of {@code door}. */
  private static boolean takes(Route route, Door door) {
    return path(route).equals(door.path())
        && methods(route)
            .equals(door.methods().stream().map(HttpMethod::name).collect(Collectors.toSet()));
  }

  /** The route's path as it was written: Vert.x keeps a wildcard route's path without its *. */
  private static String path(Route route) {
    if (route.getPath() == null) {
      return route.isRegexPath() ? "regex" : "(every path)";
    }
    return route.isExactPath() ? route.getPath() : route.getPath() + "*";
  }

  private static Set<String> methods(Route route) {
    return route.methods() == null
        ? Set.of()
        : route.methods().stream().map(HttpMethod::name).collect(Collectors.toSet());
  }

  private static String describe(Route route) {
    Set<String> methods = methods(route);
    return (methods.isEmpty() ? "any" : String.join(" ", new TreeSet<>(methods)))
        + " "
        + path(route);
  }

  // ---- requests

  /** The row's methods; for a door of any method, a read and a write. */
  private static List<String> methodsToTry(Row row) {
    return row.methods().equals("any") ? List.of("GET", "POST") : List.of(row.methods().split(" "));
  }

  /**
   * Whether a stranger's {@code method} at {@code row} asks for a page (mode accounts: sign in).
   */
  private static boolean isPage(String method, Row row) {
    String path = samplePath(row.path());
    return method.equals("GET") && (path.endsWith("/") || path.endsWith(".html"));
  }

  private static Http.Answer send(
      Under under, String method, Row row, String body, String[] headers) {
    boolean withBody = body != null && Set.of("POST", "PUT", "PATCH").contains(method);
    String[] all = withBody ? concat(headers, "Content-Type", "application/json") : headers;
    return under
        .http()
        .send(
            method,
            samplePath(row.path()),
            withBody ? body.getBytes(StandardCharsets.UTF_8) : null,
            all);
  }

  private static String[] concat(String[] first, String... more) {
    String[] all = Arrays.copyOf(first, first.length + more.length);
    System.arraycopy(more, 0, all, first.length, more.length);
    return all;
  }

  /** {@code GET /api/tracker/info at the door any /api/tracker/* SIGNED_IN (services)}. */
  private static String request(String method, Row row) {
    return method + " " + samplePath(row.path()) + " at the door " + row;
  }

  /** Who sent a request, by the names of its headers and the forged user. */
  private static String as(String[] headers) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i + 1 < headers.length; i += 2) {
      names.add(
          headers[i].equals("X-Forwarded-User")
              ? "X-Forwarded-User: " + headers[i + 1]
              : headers[i]);
    }
    return names.isEmpty() ? " (no credentials)" : " (with " + String.join(", ", names) + ")";
  }

  /** A path the door takes: its parameters and wildcard filled in. */
  private static String samplePath(String pattern) {
    if (pattern.equals("/*")) {
      return "/";
    }
    String path =
        pattern.replace(":id", LAYOUT_ID).replace(":n", "1").replace(":name", "nobody-here");
    return path.endsWith("*") ? path.substring(0, path.length() - 1) + "info" : path;
  }

  private static String oversized() {
    return new JsonObject().put("padding", "x".repeat(OVERSIZED)).encode();
  }
}
