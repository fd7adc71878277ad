package dev.mesh.gateway.identity.accounts;

import static dev.mesh.testing.TestCluster.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.common.MeshConfig;
import dev.mesh.common.MeshNode;
import dev.mesh.common.Setting;
import dev.mesh.gateway.GatewayVerticle;
import dev.mesh.testing.Layouts;
import dev.mesh.testing.Ports;
import dev.mesh.testing.TestCluster;
import dev.mesh.testing.TestDatabase;
import dev.mesh.testing.TestPostgres;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Identity mode {@code accounts} through two gateway members of one cluster on one database, as two
 * replicas on Kubernetes: the first admin, people added by the admin, sign-in with a bounded number
 * of tries, sessions every member knows, sign-out everywhere, forged headers and cross-site
 * requests refused.
 */
class AccountsTest {

  private static final String ADMIN_PASSWORD = "the first admin's password";
  private static final int MAX_FAILED = 4;

  @RegisterExtension static final TestCluster cluster = new TestCluster();

  private static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static TestDatabase database;
  private static int portA;
  private static int portB;

  @BeforeAll
  static void start() {
    database = TestPostgres.newDatabase("accounts");
    portA = gateway();
    portB = gateway();
  }

  /** One more member of the cluster with a gateway in mode accounts; its port. */
  private static int gateway() {
    int port = Ports.free();
    MeshConfig config =
        cluster
            .config()
            .with(Setting.GATEWAY_PORT, port)
            .with(Setting.DATABASE_URL, database.url())
            .with(Setting.IDENTITY_MODE, "accounts")
            .with(Setting.ACCOUNTS_ADMIN_PASSWORD, ADMIN_PASSWORD)
            .with(Setting.ACCOUNTS_MAX_FAILED_SIGN_INS, MAX_FAILED)
            // "*" names nobody in mode accounts: a viewer stays a viewer
            .with(Setting.ROLE_EDITORS, "editors,*");
    MeshNode node = cluster.start(cluster.config());
    await(
        node.vertx()
            .deployVerticle(
                new GatewayVerticle(), new DeploymentOptions().setConfig(config.toJson())));
    return port;
  }

  @Test
  void theFirstAdminSignsInAndAddsAPersonWhoThenSignsIn() throws Exception {
    String admin = signIn(portA, "admin", ADMIN_PASSWORD);
    JsonObject me = json(send(portA, "GET", "/api/me", admin, null));
    assertThat(me.getString("user")).isEqualTo("admin");
    assertThat(me.getString("role")).isEqualTo("admin");

    HttpResponse<String> added =
        send(
            portA,
            "POST",
            "/api/admin/people",
            admin,
            new JsonObject()
                .put("name", "ada")
                .put("password", "ada's long password")
                .put("role", "viewer")
                .put("groups", new JsonArray().add("sales").add("editors")));
    assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
    assertThat(added.body()).doesNotContain("argon2").doesNotContain("ada's long password");

    String ada = signIn(portB, "ada", "ada's long password");
    JsonObject adaMe = json(send(portB, "GET", "/api/me", ada, null));
    assertThat(adaMe.getString("user")).isEqualTo("ada");
    assertThat(adaMe.getJsonArray("groups")).containsExactly("sales", "editors");
    assertThat(adaMe.getString("role"))
        .as("her own role is viewer, her group 'editors' is configured as editors")
        .isEqualTo("editor");

    // an editor creates layouts, but people are the admin's business
    HttpResponse<String> layout = send(portB, "POST", "/api/layouts", ada, layout("Ada's first"));
    assertThat(layout.statusCode()).as(layout.body()).isEqualTo(201);
    HttpResponse<String> refused = send(portB, "GET", "/api/admin/people", ada, null);
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(json(refused).getString("message")).contains("admin role");
  }

  @Test
  void aStrangerAndForgedIdentityHeadersGetNothing() throws Exception {
    for (String path : List.of("/api/me", "/api/layouts", "/api/admin/people")) {
      HttpResponse<String> stranger = send(portA, "GET", path, null, null);
      assertThat(stranger.statusCode()).as(path).isEqualTo(401);
      HttpResponse<String> forged =
          http.send(
              request(portA, "GET", path, null, null)
                  .header("X-Forwarded-User", "admin")
                  .header("X-Forwarded-Groups", "admins")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(forged.statusCode()).as("forged headers on " + path).isEqualTo(401);
      assertThat(forged.body()).doesNotContain("\"user\"");
    }
    HttpResponse<String> page = send(portA, "GET", "/?layout=x", null, null);
    assertThat(page.statusCode()).as("the dashboard sends a stranger to sign in").isEqualTo(302);
    assertThat(page.headers().firstValue("Location"))
        .hasValue("/sign-in.html?next=" + URLEncoder.encode("/?layout=x", StandardCharsets.UTF_8));
    assertThat(send(portA, "GET", "/sign-in.html", null, null).statusCode()).isEqualTo(200);
  }

  @Test
  void aSessionIsKnownToEveryMemberAndSigningOutEndsItEverywhere() throws Exception {
    addPerson("bea", "bea's long password", "editor");
    String bea = signIn(portA, "bea", "bea's long password");
    assertThat(send(portB, "GET", "/api/me", bea, null).statusCode()).isEqualTo(200);

    HttpResponse<String> out = send(portB, "POST", "/auth/sign-out", bea, null);
    assertThat(out.statusCode()).isEqualTo(204);
    assertThat(send(portA, "GET", "/api/me", bea, null).statusCode()).isEqualTo(401);
    assertThat(send(portB, "GET", "/api/me", bea, null).statusCode()).isEqualTo(401);
  }

  @Test
  void wrongPasswordsLockTheAccountUntilAnAdminResetsIt() throws Exception {
    addPerson("cyd", "cyd's long password", "viewer");
    for (int i = 1; i < MAX_FAILED; i++) {
      HttpResponse<String> wrong = signInResponse(portA, "cyd", "not it " + i);
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(json(wrong).getString("message")).isEqualTo("Wrong user name or password");
    }
    HttpResponse<String> locked = signInResponse(portB, "cyd", "not it either");
    assertThat(locked.statusCode()).isEqualTo(429);
    assertThat(locked.headers().firstValue("Retry-After")).isPresent();
    assertThat(json(locked).getString("message")).contains("Too many failed sign-ins");
    assertThat(signInResponse(portA, "cyd", "cyd's long password").statusCode())
        .as("locked: even the right password waits")
        .isEqualTo(429);

    String admin = signIn(portA, "admin", ADMIN_PASSWORD);
    HttpResponse<String> reset =
        send(
            portA,
            "PUT",
            "/api/admin/people/cyd/password",
            admin,
            new JsonObject().put("password", "cyd's second password"));
    assertThat(reset.statusCode()).as(reset.body()).isEqualTo(200);
    assertThat(signInResponse(portA, "cyd", "cyd's long password").statusCode()).isEqualTo(401);
    String cyd = signIn(portB, "cyd", "cyd's second password");
    HttpResponse<String> viewer = send(portB, "POST", "/api/layouts", cyd, layout("Not mine"));
    assertThat(viewer.statusCode()).as("a viewer, whatever '*' says").isEqualTo(403);

    // and cyd changes it again, knowing the current one
    HttpResponse<String> own =
        send(
            portB,
            "PUT",
            "/api/me/password",
            cyd,
            new JsonObject().put("current", "wrong").put("password", "cyd's third password"));
    assertThat(own.statusCode()).isEqualTo(403);
    own =
        send(
            portB,
            "PUT",
            "/api/me/password",
            cyd,
            new JsonObject()
                .put("current", "cyd's second password")
                .put("password", "cyd's third password"));
    assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
    signIn(portA, "cyd", "cyd's third password");
  }

  @Test
  void aCrossSiteRequestWithTheSessionCookieIsRefused() throws Exception {
    addPerson("dot", "dot's long password", "editor");
    String dot = signIn(portA, "dot", "dot's long password");
    long before = database.number("SELECT count(*) FROM layouts.layouts");
    HttpResponse<String> forged =
        http.send(
            request(portA, "POST", "/api/layouts", dot, layout("Planted"))
                .header("Origin", "https://evil.example")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(json(forged).getString("message")).contains("another site");
    assertThat(database.number("SELECT count(*) FROM layouts.layouts")).isEqualTo(before);

    HttpResponse<String> own =
        http.send(
            request(portA, "POST", "/api/layouts", dot, layout("Mine"))
                .header("Origin", "http://127.0.0.1:" + portA)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(own.statusCode()).as(own.body()).isEqualTo(201);
  }

  @Test
  void theSignInFormSendsThePersonOnOrBackWithTheReason() throws Exception {
    addPerson("eve", "eve's long password", "viewer");
    HttpResponse<String> ok =
        form(portA, Map.of("user", "eve", "password", "eve's long password", "next", "/?x=1"));
    assertThat(ok.statusCode()).isEqualTo(303);
    assertThat(ok.headers().firstValue("Location")).hasValue("/?x=1");
    assertThat(ok.headers().firstValue("Set-Cookie"))
        .hasValueSatisfying(
            cookie ->
                assertThat(cookie)
                    .contains("mesh.session=")
                    .containsIgnoringCase("HttpOnly")
                    .contains("SameSite=Lax"));

    HttpResponse<String> elsewhere =
        form(
            portA,
            Map.of("user", "eve", "password", "eve's long password", "next", "//evil.example/"));
    assertThat(elsewhere.headers().firstValue("Location"))
        .as("never sent to another site")
        .hasValue("/");

    HttpResponse<String> wrong =
        form(portA, Map.of("user", "eve", "password", "nope", "next", "/"));
    assertThat(wrong.statusCode()).isEqualTo(303);
    assertThat(wrong.headers().firstValue("Location").orElseThrow())
        .startsWith("/sign-in.html?failed=Wrong+user+name+or+password");
    assertThat(wrong.headers().firstValue("Set-Cookie").orElse(""))
        .as("no session for a failed sign-in")
        .doesNotContain("mesh.session=");
  }

  @Test
  void badRequestsToTheAdminApiNameTheProblemAndChangeNothing() throws Exception {
    String admin = signIn(portA, "admin", ADMIN_PASSWORD);
    long people = database.number("SELECT count(*) FROM identity.people");
    HttpResponse<String> shortPassword =
        send(
            portA,
            "POST",
            "/api/admin/people",
            admin,
            new JsonObject().put("name", "fay").put("password", "short"));
    assertThat(shortPassword.statusCode()).isEqualTo(400);
    assertThat(json(shortPassword).getString("message")).contains("/password");
    HttpResponse<String> badRole =
        send(
            portA,
            "POST",
            "/api/admin/people",
            admin,
            new JsonObject()
                .put("name", "fay")
                .put("password", "fay's long password")
                .put("role", "owner"));
    assertThat(badRole.statusCode()).isEqualTo(400);
    assertThat(json(badRole).getString("message")).contains("/role");
    HttpResponse<String> lastAdmin = send(portA, "DELETE", "/api/admin/people/admin", admin, null);
    assertThat(lastAdmin.statusCode()).isEqualTo(409);
    assertThat(json(lastAdmin).getString("message")).contains("only admin");
    assertThat(database.number("SELECT count(*) FROM identity.people")).isEqualTo(people);
  }

  // ---- helpers

  private static void addPerson(String name, String password, String role) throws Exception {
    String admin = signIn(portA, "admin", ADMIN_PASSWORD);
    HttpResponse<String> added =
        send(
            portA,
            "POST",
            "/api/admin/people",
            admin,
            new JsonObject().put("name", name).put("password", password).put("role", role));
    assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
  }

  /** Signs in with JSON; the session cookie to send with later requests. */
  private static String signIn(int port, String user, String password) throws Exception {
    HttpResponse<String> response = signInResponse(port, user, password);
    assertThat(response.statusCode()).as(user + ": " + response.body()).isEqualTo(200);
    return cookie(response);
  }

  private static HttpResponse<String> signInResponse(int port, String user, String password)
      throws IOException, InterruptedException {
    return send(
        port,
        "POST",
        "/auth/sign-in",
        null,
        new JsonObject().put("user", user).put("password", password));
  }

  private static HttpResponse<String> form(int port, Map<String, String> fields)
      throws IOException, InterruptedException {
    List<String> pairs = new ArrayList<>();
    fields.forEach(
        (k, v) ->
            pairs.add(
                URLEncoder.encode(k, StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/auth/sign-in"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Origin", "http://127.0.0.1:" + port)
            .POST(HttpRequest.BodyPublishers.ofString(String.join("&", pairs)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String cookie(HttpResponse<String> response) {
    String set =
        response.headers().allValues("Set-Cookie").stream()
            .filter(c -> c.startsWith("mesh.session="))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no session cookie in " + response.headers()));
    return set.substring(0, set.indexOf(';'));
  }

  private static HttpResponse<String> send(
      int port, String method, String path, String cookie, JsonObject body)
      throws IOException, InterruptedException {
    return http.send(
        request(port, method, path, cookie, body).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest.Builder request(
      int port, String method, String path, String cookie, JsonObject body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body.encode()));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    return request;
  }

  private static JsonObject json(HttpResponse<String> response) {
    return new JsonObject(response.body());
  }

  private static JsonObject layout(String name) {
    return Layouts.layout(name, Layouts.content(Layouts.row("sales-table")));
  }
}
