package dev.mesh.gateway;

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
import dev.mesh.registry.Registry;
import dev.mesh.testing.Http;
import dev.mesh.testing.Poll;
import dev.mesh.testing.Ports;
import dev.mesh.testing.TestCluster;
import dev.mesh.testing.TestPostgres;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every door of the gateway is a row of its route table, and every row is checked: a stranger is
 * refused (401, or the service's own 401) at every door that is not public, before any body is
 * read; a viewer is refused (403) at the doors for editors; public doors answer strangers.
 *
 * <p>The gateway runs as a deployment behind an authenticating proxy would: no local user, so a
 * request without the identity header is nobody. The registry runs beside it with a token, so the
 * doors it checks itself are checked for real; the tracker and the widget-hosts do not run (their
 * doors are asked who is calling before anything is forwarded, or are public).
 *
 * <p>{@link #EXPECTED} is the table as this test expects it: changing who may use a door, or adding
 * one, is a change here too.
 */
class DoorsTest {

  private static final String TOKEN = "doors-test-token";

  /** A signed-in viewer: editors are the group {@code editors}, admins the group {@code admins}. */
  private static final String[] VIEWER = {"X-Forwarded-User", "vic", "X-Forwarded-Groups", "staff"};

  private static final String[] EDITOR_HEADERS = {
    "X-Forwarded-User", "erin", "X-Forwarded-Groups", "staff,editors"
  };

  private static final String LAYOUT_ID = "00000000-0000-4000-8000-000000000000";

  /** Larger than any body limit of the gateway (layouts 256 KiB, the bridge 128 KiB). */
  private static final int OVERSIZED = 1024 * 1024;

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

  private static final List<Row> EXPECTED =
      List.of(
          row("GET", "/health/live", PUBLIC, "operations"),
          row("GET", "/health/ready", PUBLIC, "operations"),
          row("GET", "/metrics", PUBLIC, "operations"),
          row("GET", "/api/me", SIGNED_IN, "identity"),
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

  @RegisterExtension static final TestCluster cluster = new TestCluster();
  private static MeshNode node;
  private static GatewayVerticle gateway;
  private static Http http;

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
    gateway = new GatewayVerticle();
    await(node.vertx().deployVerticle(gateway, new DeploymentOptions().setConfig(config.toJson())));
    http = Http.onPort(port);
    // the layouts' schema is prepared, and the gateway found the registry
    Poll.until(
        Duration.ofSeconds(30),
        "the layouts' database is ready",
        () -> http.get("/api/layouts", VIEWER).status() == 200);
    Poll.until(
        Duration.ofSeconds(30),
        "the gateway routes to the registry",
        () -> http.get("/api/widgets", VIEWER).status() == 200);
  }

  @Test
  void everyRouteOfTheRouterIsARowOfTheTable() {
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

  @Test
  void theTableIsTheOneThisTestExpects() {
    List<String> actual =
        gateway.doors().rows().stream()
            .map(
                r ->
                    new Row(r.door().methodNames(), r.door().path(), r.door().access(), r.concern())
                        .toString())
            .toList();
    assertThat(actual)
        .as("the gateway's doors, in the order they are tried, and who may use each")
        .containsExactlyElementsOf(EXPECTED.stream().map(Row::toString).toList());
  }

  @Test
  void aStrangerIsRefusedAtEveryDoorThatIsNotPublicBeforeABodyIsRead() {
    List<String> wrong = new ArrayList<>();
    for (Row row : EXPECTED) {
      if (row.access() == PUBLIC) {
        continue;
      }
      for (String method : methodsToTry(row)) {
        // a body over every limit: a stranger must get 401, not 413, so the body was not read
        Http.Answer answer =
            send(method, row, row.access() == SERVICE ? "{}" : oversized(), new String[0]);
        if (answer.status() != 401 && answer.status() != 403) {
          wrong.add(request(method, row) + ": " + answer);
        } else if (answer.message() == null
            || !answer.json().fieldNames().equals(Set.of("status", "message"))) {
          wrong.add(request(method, row) + ": no JSON error with a message alone: " + answer);
        } else if (row.access() != SERVICE && !answer.message().startsWith("Sign in")) {
          wrong.add(request(method, row) + ": not the gateway's sign-in refusal: " + answer);
        }
      }
    }
    assertThat(wrong)
        .withFailMessage(
            "Doors that let a stranger in or answered otherwise than 401/403:%n  %s",
            String.join("\n  ", wrong))
        .isEmpty();
  }

  @Test
  void aViewerIsRefusedAtTheDoorsForEditorsAndLetInAtTheOthers() {
    List<String> wrong = new ArrayList<>();
    for (Row row : EXPECTED) {
      if (row.access() == PUBLIC || row.access() == SERVICE) {
        continue;
      }
      for (String method : methodsToTry(row)) {
        Http.Answer answer = send(method, row, "{}", VIEWER);
        boolean refused = answer.status() == 401 || answer.status() == 403;
        if (row.access() == SIGNED_IN && refused) {
          wrong.add(request(method, row) + ": a signed-in viewer was refused: " + answer);
        } else if (row.access() != SIGNED_IN
            && (answer.status() != 403
                || answer.message() == null
                || !answer.message().contains("have the viewer role"))) {
          wrong.add(request(method, row) + ": a viewer was not refused with 403: " + answer);
        }
      }
    }
    assertThat(wrong).withFailMessage(String.join("\n", wrong)).isEmpty();
  }

  @Test
  void anEditorIsLetInAtTheDoorsForEditors() {
    for (Row row : EXPECTED) {
      if (row.access() == EDITOR) {
        for (String method : methodsToTry(row)) {
          Http.Answer answer = send(method, row, "{}", EDITOR_HEADERS);
          assertThat(answer.status()).as(request(method, row) + ": " + answer).isNotIn(401, 403);
        }
      }
    }
  }

  @Test
  void publicDoorsAnswerStrangers() {
    for (Row row : EXPECTED) {
      if (row.access() == PUBLIC) {
        for (String method : methodsToTry(row)) {
          Http.Answer answer = send(method, row, null, new String[0]);
          assertThat(answer.status()).as(request(method, row) + ": " + answer).isNotIn(401, 403);
        }
      }
    }
    assertThat(http.get("/").status()).as("the dashboard page").isEqualTo(200);
  }

  @Test
  void theServiceDecidesAtItsDoors() {
    Http.Answer withToken =
        http.send(
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

    assertThat(strays(router, gateway.doors()))
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

  private static Http.Answer send(String method, Row row, String body, String[] headers) {
    boolean withBody = body != null && Set.of("POST", "PUT", "PATCH").contains(method);
    String[] all = headers;
    if (withBody) {
      all = new String[headers.length + 2];
      System.arraycopy(headers, 0, all, 0, headers.length);
      all[headers.length] = "Content-Type";
      all[headers.length + 1] = "application/json";
    }
    return http.send(
        method,
        samplePath(row.path()),
        withBody ? body.getBytes(StandardCharsets.UTF_8) : null,
        all);
  }

  /** {@code GET /api/tracker/info at the door any /api/tracker/* SIGNED_IN (services)}. */
  private static String request(String method, Row row) {
    return method + " " + samplePath(row.path()) + " at the door " + row;
  }

  /** A path the door takes: its parameters and wildcard filled in. */
  private static String samplePath(String pattern) {
    if (pattern.equals("/*")) {
      return "/";
    }
    String path = pattern.replace(":id", LAYOUT_ID).replace(":n", "1");
    return path.endsWith("*") ? path.substring(0, path.length() - 1) + "info" : path;
  }

  private static String oversized() {
    return new JsonObject().put("padding", "x".repeat(OVERSIZED)).encode();
  }
}
