package dev.mesh.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.reliability.Mutations.Fuzzed;
import dev.mesh.testing.Http;
import dev.mesh.testing.Layouts;
import dev.mesh.testing.TestCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Every public HTTP endpoint, reached through the gateway as a browser or script would, fed with
 * thousands of generated and mutated requests (seeds fixed: a failure is reproduced by running
 * again). For every answer: never a 5xx; a 4xx carries a JSON message naming the problem; a refused
 * request changed nothing stored (the registry's list, the layouts, the tracker's accepted hits).
 * Afterwards the process is still live.
 */
class EndpointFuzzTest {

  private static final String[] TOKEN = {"Authorization", "Bearer " + Mesh.TOKEN};
  private static final String[] JSON = {"Content-Type", "application/json"};
  private static final String BROWSER =
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";

  /**
   * Netty's default limit of a request line (HttpServerOptions.DEFAULT_MAX_INITIAL_LINE_LENGTH).
   */
  private static final int MAX_REQUEST_LINE =
      io.vertx.core.http.HttpServerOptions.DEFAULT_MAX_INITIAL_LINE_LENGTH;

  private static Mesh mesh;
  private static Http http;
  private static String layout;
  private static JsonObject layoutSeed;
  private static JsonObject sharesSeed;
  private static JsonObject exportSeed;
  private static List<Operation> queryOperations;

  @BeforeContainer
  static void start() {
    mesh = Mesh.shared();
    http = mesh.http();
    JsonObject created =
        json(
            as(
                "alice",
                "POST",
                "/api/layouts",
                new JsonObject()
                    .put("name", "Fuzzed")
                    .put("description", "the layout the fuzzer edits")
                    .put("content", content("sales-table"))
                    .encode()),
            201);
    layout = created.getString("id");
    layoutSeed =
        new JsonObject()
            .put("name", created.getString("name"))
            .put("description", created.getString("description"))
            .put("content", created.getJsonObject("content"));
    sharesSeed =
        Layouts.shares(
            new JsonObject().put("role", "viewer"),
            Layouts.share("user", "bob", "viewer"),
            Layouts.share("group", "sales", "editor"));
    json(as("alice", "PUT", "/api/layouts/" + layout + "/shares", sharesSeed.encode()), 200);
    exportSeed =
        new JsonObject(as("alice", "GET", "/api/layouts/" + layout + "/export", null).body());
    queryOperations =
        TestCluster.await(OpenAPIContract.from(mesh.node.vertx(), "openapi/tracker.yaml"))
            .operations()
            .stream()
            .filter(o -> o.getOpenAPIPath().startsWith("/api/tracker/sites/"))
            .toList();
  }

  @AfterContainer
  static void stillLive() {
    assertThat(http.get("/health/live").status())
        .as("the gateway's process is live after the fuzzing")
        .isEqualTo(200);
    assertThat(http.get("/api/widgets").status()).isEqualTo(200);
    assertThat(http.get("/api/layouts").status()).isEqualTo(200);
  }

  // ---- registry, both API shapes

  @Property(tries = 1000, seed = "1001")
  void registryManifests(@ForAll("manifests") Fuzzed body, @ForAll("widgetIds") String id) {
    registration("PUT", "/api/widgets/" + id, body, "/api/widgets/" + id);
  }

  @Property(tries = 1000, seed = "1002")
  void registryOriginalApi(@ForAll("v1Registrations") Fuzzed body, @ForAll("widgetIds") String id) {
    registration("POST", "/api/v1/registry/" + id, body, "/api/widgets/" + id);
  }

  private static void registration(String method, String path, Fuzzed body, String cleanUp) {
    String before = registry();
    Http.Answer answer = http.send(method, path, body.body(), concat(TOKEN, JSON));
    checked(answer, method + " " + path + " " + body);
    if (answer.status() >= 400) {
      assertThat(registry())
          .as("a refused registration changed the registry: " + body)
          .isEqualTo(before);
    } else {
      http.send("DELETE", cleanUp, null, TOKEN);
    }
  }

  @Provide
  Arbitrary<Fuzzed> manifests() {
    return Mutations.of(
        new JsonObject()
            .put("id", "fuzz-widget")
            .put("tag", "fuzz-widget")
            .put("label", "Fuzz")
            .put("description", "a widget of the fuzzer")
            .put("module", "https://widgets.example.com/fuzz/index.js")
            .put("css", "https://widgets.example.com/fuzz/index.css")
            .put("version", "1.0.0")
            .put("owner", "team-fuzz")
            .put("domain", "testing")
            .put("domainKind", "source-aligned")
            .put("tags", new JsonObject().put("env", "test"))
            .put(
                "attributes",
                JsonArray.of(new JsonObject().put("name", "region").put("type", "string")))
            .put(
                "emits",
                JsonArray.of(
                    new JsonObject()
                        .put("topic", "row-selected")
                        .put("schema", new JsonObject().put("type", "object")))));
  }

  @Provide
  Arbitrary<Fuzzed> v1Registrations() {
    return Mutations.of(
        new JsonObject()
            .put(
                "webComponent",
                new JsonObject()
                    .put("jsUrl", "http://sidecar.example.com/fuzz/bundle.js")
                    .put("cssUrl", "http://sidecar.example.com/fuzz/bundle.css")
                    .put("componentId", "v1-fuzz"))
            .put("label", "V1 fuzz")
            .put("tags", new JsonObject().put("team", "legacy")));
  }

  @Provide
  Arbitrary<String> widgetIds() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(8, Arbitraries.just("fuzz-widget")),
        net.jqwik.api.Tuple.of(
            2,
            Arbitraries.randomValue(
                random -> encode(Mutations.randomText(random, random.nextInt(300))))));
  }

  // ---- layouts: create, update with If-Match, clone, shares, import, revisions

  @Property(tries = 1000, seed = "2001")
  void layoutCreation(@ForAll("layoutBodies") Fuzzed body) {
    layoutCall("POST", "/api/layouts", body, null);
  }

  @Property(tries = 1000, seed = "2002")
  void layoutUpdates(@ForAll("layoutBodies") Fuzzed body, @ForAll("ifMatches") String ifMatch) {
    layoutCall("PUT", "/api/layouts/" + layout, body, ifMatch);
  }

  @Property(tries = 1000, seed = "2003")
  void layoutClones(@ForAll("cloneBodies") Fuzzed body) {
    layoutCall("POST", "/api/layouts/" + layout + "/clone", body, null);
  }

  @Property(tries = 1000, seed = "2004")
  void layoutShares(@ForAll("shareBodies") Fuzzed body) {
    layoutCall("PUT", "/api/layouts/" + layout + "/shares", body, null);
  }

  @Property(tries = 1000, seed = "2005")
  void layoutImports(@ForAll("exportBodies") Fuzzed body) {
    layoutCall("POST", "/api/layouts/import", body, null);
  }

  @Property(tries = 1000, seed = "2006")
  void layoutRevisions(@ForAll("revisionCalls") String[] call) {
    layoutCall(
        call[0],
        call[1],
        call[2] == null ? null : new Fuzzed(call[2].getBytes(StandardCharsets.UTF_8), call[2]),
        null);
  }

  private static void layoutCall(String method, String path, Fuzzed body, String ifMatch) {
    String before = layouts();
    List<String> headers = new ArrayList<>(List.of(JSON));
    if (ifMatch != null) {
      headers.addAll(List.of("If-Match", ifMatch));
    }
    Http.Answer answer =
        as(
            "alice",
            method,
            path,
            body == null ? null : body.body(),
            headers.toArray(String[]::new));
    checked(answer, method + " " + path + " If-Match " + ifMatch + " " + body);
    if (answer.status() >= 400) {
      assertThat(layouts())
          .as("a refused request changed the layouts: " + method + " " + path + " " + body)
          .isEqualTo(before);
    }
  }

  @Provide
  Arbitrary<Fuzzed> layoutBodies() {
    return Mutations.of(layoutSeed);
  }

  @Provide
  Arbitrary<Fuzzed> cloneBodies() {
    return Mutations.of(
        new JsonObject().put("name", "A copy").put("description", "cloned by the fuzzer"));
  }

  @Provide
  Arbitrary<Fuzzed> shareBodies() {
    return Mutations.of(sharesSeed);
  }

  @Provide
  Arbitrary<Fuzzed> exportBodies() {
    return Mutations.of(exportSeed);
  }

  @Provide
  Arbitrary<String> ifMatches() {
    return Arbitraries.randomValue(
        random ->
            switch (random.nextInt(6)) {
              case 0 -> null;
              case 1 -> "\"" + currentVersion() + "\"";
              case 2 -> "\"" + (currentVersion() - 1) + "\"";
              case 3 -> "*";
              case 4 -> "\"" + random.nextLong() + "\"";
              default -> Mutations.randomText(random, random.nextInt(20)).replaceAll("[^ -~]", "x");
            });
  }

  @Provide
  Arbitrary<String[]> revisionCalls() {
    return Arbitraries.randomValue(
        random -> {
          String n =
              switch (random.nextInt(5)) {
                case 0 -> String.valueOf(random.nextInt(5));
                case 1 -> String.valueOf(random.nextLong());
                case 2 -> "-1";
                case 3 -> "99999999999999999999";
                default -> encode(Mutations.randomText(random, 1 + random.nextInt(10)));
              };
          String base =
              "/api/layouts/"
                  + (random.nextInt(4) == 0 ? encode(Mutations.randomText(random, 8)) : layout)
                  + "/revisions";
          return switch (random.nextInt(3)) {
            case 0 -> new String[] {"GET", base, null};
            case 1 -> new String[] {"GET", base + "/" + n, null};
            default ->
                new String[] {
                  "POST",
                  base + "/" + n + "/restore",
                  new String(
                      Mutations.mutate(new JsonObject().put("version", currentVersion()), random)
                          .body(),
                      StandardCharsets.UTF_8)
                };
          };
        });
  }

  // ---- tracker: pixel, beacon, query API

  @Property(tries = 2000, seed = "3001")
  void pixel(
      @ForAll("pixelQueries") String query,
      @ForAll("userAgents") String userAgent,
      @ForAll("forwardedFor") String forwarded) {
    Http.Answer answer =
        http.send(
            "GET",
            "/m/s.gif?" + query,
            null,
            "User-Agent",
            userAgent,
            "X-Forwarded-For",
            forwarded,
            "Referer",
            "https://news.example/" + query.hashCode());
    if (("GET /m/s.gif?" + query + " HTTP/1.1").length() > MAX_REQUEST_LINE) {
      // beyond what the HTTP decoder reads, before any route: the one answer that is not the GIF
      assertThat(answer.status()).as("a request line beyond the limit").isEqualTo(414);
      assertThat(answer.message()).contains("too long");
      return;
    }
    assertThat(answer.status())
        .as("the pixel answers 200 whatever the input: " + query)
        .isEqualTo(200);
    assertThat(answer.header("Content-Type")).isEqualTo("image/gif");
    assertThat(answer.header("Content-Length")).isEqualTo("43");
    assertThat(answer.header("Cache-Control")).contains("no-store");
  }

  @Property(tries = 2000, seed = "3002")
  void beacon(@ForAll("beacons") Fuzzed body, @ForAll("contentTypes") String contentType) {
    double accepted = mesh.counter("mesh_tracker_hits_received", "outcome", "accepted");
    Http.Answer answer =
        http.send("POST", "/m/e", body.body(), "User-Agent", BROWSER, "Content-Type", contentType);
    checked(answer, "beacon " + contentType + " " + body);
    if (answer.status() >= 400) {
      assertThat(mesh.counter("mesh_tracker_hits_received", "outcome", "accepted"))
          .as("a refused beacon was counted as a hit: " + body)
          .isEqualTo(accepted);
    }
  }

  @Property(tries = 2000, seed = "3003")
  void queryApi(@ForAll("queries") String pathAndQuery) {
    checked(http.get(pathAndQuery), pathAndQuery);
  }

  @Provide
  Arbitrary<String> pixelQueries() {
    return Arbitraries.randomValue(
        random -> {
          String[] keys = {"s", "p", "r", "t", "w", "h", "u", "x", "s"};
          StringBuilder query = new StringBuilder();
          int n = random.nextInt(6);
          for (int i = 0; i < n; i++) {
            query
                .append(i == 0 ? "" : "&")
                .append(keys[random.nextInt(keys.length)])
                .append('=')
                .append(
                    random.nextInt(3) == 0
                        ? "shop.example"
                        : encode(String.valueOf(Mutations.hostileValue(random, 2))));
          }
          if (random.nextInt(10) == 0) {
            query.append("&&=&=x&").append("a".repeat(random.nextInt(3000)));
          }
          return query.toString();
        });
  }

  @Provide
  Arbitrary<String> userAgents() {
    return Arbitraries.randomValue(
        random ->
            random.nextBoolean()
                ? BROWSER
                : Mutations.randomText(random, random.nextInt(300)).replaceAll("[^ -~]", "?"));
  }

  @Provide
  Arbitrary<String> forwardedFor() {
    return Arbitraries.randomValue(
        random ->
            switch (random.nextInt(4)) {
              case 0 -> "203.0.113." + random.nextInt(256);
              case 1 -> "2001:db8::" + Integer.toHexString(random.nextInt(65536));
              case 2 -> "999.1.1.1, " + random.nextInt() + ", ::::";
              default -> Mutations.randomText(random, random.nextInt(80)).replaceAll("[^ -~]", "?");
            });
  }

  @Provide
  Arbitrary<Fuzzed> beacons() {
    return Mutations.of(
        new JsonObject()
            .put("site", "fuzz.example")
            .put("name", "signup")
            .put("url", "https://fuzz.example/pricing")
            .put("referrer", "https://news.example/")
            .put("screen", "1920x1080")
            .put("props", new JsonObject().put("plan", "pro").put("seats", 3)));
  }

  @Provide
  Arbitrary<String> contentTypes() {
    return Arbitraries.of(
        "text/plain",
        "application/json",
        "application/json; charset=utf-16",
        "multipart/form-data; boundary=x",
        "application/x-www-form-urlencoded",
        "",
        "*/*");
  }

  @Provide
  Arbitrary<String> queries() {
    return Arbitraries.randomValue(
        random -> {
          Operation operation = queryOperations.get(random.nextInt(queryOperations.size()));
          String site =
              random.nextInt(3) == 0
                  ? encode(Mutations.randomText(random, random.nextInt(120)))
                  : "fuzz.example";
          String path = operation.getOpenAPIPath().replace("{site}", site.isEmpty() ? "%20" : site);
          StringBuilder query = new StringBuilder();
          for (Parameter parameter : operation.getParameters()) {
            if (!"QUERY".equalsIgnoreCase(parameter.getIn().name()) || random.nextInt(3) == 0) {
              continue;
            }
            query
                .append(query.length() == 0 ? "?" : "&")
                .append(parameter.getName())
                .append('=')
                .append(encode(value(parameter, random)));
          }
          if (random.nextInt(8) == 0) {
            query
                .append(query.length() == 0 ? "?" : "&")
                .append("range=1h&from=2026-01-01T00:00:00Z");
          }
          return path + query;
        });
  }

  /** A value the parameter's schema allows (an enum's member), or one it does not. */
  private static String value(Parameter parameter, Random random) {
    Object schemaEnum = parameter.getSchema().get("enum");
    if (schemaEnum instanceof JsonArray values && !values.isEmpty() && random.nextBoolean()) {
      return String.valueOf(values.getValue(random.nextInt(values.size())));
    }
    return switch (random.nextInt(6)) {
      case 0 -> "2026-0" + (1 + random.nextInt(9)) + "-01T00:00:00Z";
      case 1 -> "/pricing";
      case 2 -> String.valueOf(random.nextInt(300) - 100);
      case 3 -> "-999999999-01-01T00:00:00Z";
      default -> String.valueOf(Mutations.hostileValue(random, 2));
    };
  }

  // ---- widget files through the gateway

  @Property(tries = 2000, seed = "4001")
  void widgetFiles(@ForAll("filePaths") String path) {
    Http.Answer answer = http.get(path);
    checked(answer, path);
    assertThat(answer.body())
        .as("nothing from outside the widget's folder: " + path)
        .doesNotContain("root:x:0:")
        .doesNotContain("<artifactId>")
        .doesNotContain("package dev.mesh");
  }

  @Provide
  Arbitrary<String> filePaths() {
    String[] parts = {
      "..",
      "%2e%2e",
      "%2E%2E%2F",
      "..%2f",
      "%252e%252e",
      "..%5c",
      "%5c",
      "%00",
      "%c0%ae%c0%ae",
      ".",
      "//",
      "~",
      "manifest.json",
      "table.js",
      "index.html",
      "etc",
      "passwd",
      "WEB-INF",
      "META-INF",
      "pom.xml",
      "%25u002e",
      ";",
      "?x=",
      "#",
      "x".repeat(300),
      "%ff%fe",
      "sales-table",
      "a%20b"
    };
    return Arbitraries.randomValue(
        random -> {
          StringBuilder path = new StringBuilder("/w/");
          path.append(random.nextInt(4) == 0 ? parts[random.nextInt(parts.length)] : "sales-table");
          int n = random.nextInt(7);
          for (int i = 0; i < n; i++) {
            path.append('/').append(parts[random.nextInt(parts.length)]);
          }
          if (random.nextInt(20) == 0) {
            path.append('/').append("n".repeat(5000));
          }
          return path.toString().replace("#", "%23");
        });
  }

  // ---- what every answer must be, and the stored state

  private static void checked(Http.Answer answer, String fullRequest) {
    String request = fullRequest.length() > 300 ? fullRequest.substring(0, 300) + "…" : fullRequest;
    assertThat(answer.status()).as("no 5xx: " + request + " -> " + answer).isLessThan(500);
    if (answer.status() >= 400) {
      assertThat(answer.message())
          .as("a 4xx names the problem in a JSON message: " + request + " -> " + answer)
          .isNotNull();
    }
  }

  /** The registry's list, without the times a heartbeat moves. */
  private static String registry() {
    Http.Answer answer = http.get("/api/widgets");
    assertThat(answer.status()).isEqualTo(200);
    JsonObject list = new JsonObject(answer.body());
    return list.getJsonArray("widgets").stream()
        .map(w -> withoutTimes((JsonObject) w))
        .map(JsonObject::encode)
        .sorted()
        .collect(Collectors.joining("\n"));
  }

  private static JsonObject withoutTimes(JsonObject widget) {
    JsonObject copy = widget.copy();
    // A widget host's re-registration (its heartbeat) moves lastUpdated without changing anything
    // else.
    copy.fieldNames()
        .removeIf(
            name -> name.endsWith("At") || name.equals("expires") || name.equals("lastUpdated"));
    return copy;
  }

  /** Alice's layouts, and the fuzzed one in full with its shares. */
  private static String layouts() {
    Map<String, String> state = new TreeMap<>();
    state.put("list", as("alice", "GET", "/api/layouts?scope=mine", null).body());
    state.put("layout", as("alice", "GET", "/api/layouts/" + layout, null).body());
    state.put("shares", as("alice", "GET", "/api/layouts/" + layout + "/shares", null).body());
    state.put(
        "revisions", as("alice", "GET", "/api/layouts/" + layout + "/revisions", null).body());
    return state.toString();
  }

  private static int currentVersion() {
    return new JsonObject(as("alice", "GET", "/api/layouts/" + layout, null).body())
        .getInteger("version");
  }

  private static Http.Answer as(String user, String method, String path, String body) {
    return as(
        user, method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8), JSON);
  }

  private static Http.Answer as(
      String user, String method, String path, byte[] body, String... headers) {
    return http.as(user, "sales").send(method, path, body, headers);
  }

  private static JsonObject json(Http.Answer answer, int status) {
    assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
    return new JsonObject(answer.body());
  }

  /** A layout's content: one window of {@code widget}. */
  static JsonObject content(String widget) {
    return Layouts.content(Layouts.row(widget));
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
