package dev.mesh.gateway.layouts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.common.Setting;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every kind of bad request gets a 4xx that says what is wrong, and leaves the database exactly as
 * it was; widget ids nobody registered are not bad input (the page shows them as unavailable).
 */
class LayoutBadInputTest {

  private static final int LIMIT = 8192;
  private static LayoutsUnderTest gateway;
  private static Caller alice;
  private static String existing;
  private String before;

  @BeforeAll
  static void start() {
    gateway = LayoutsUnderTest.start(config -> config.with(Setting.LAYOUT_MAX_BYTES, LIMIT));
    alice = gateway.as("alice");
    existing = alice.create("Existing", Contents.row("sales-table")).getString("id");
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @BeforeEach
  void countRows() {
    before = gateway.rowCounts();
  }

  private void nothingStored() {
    assertThat(gateway.rowCounts()).as("rows after a refused request").isEqualTo(before);
    JsonObject layout = alice.layout(existing);
    assertThat(layout.getInteger("version")).isEqualTo(1);
    assertThat(layout.getString("name")).isEqualTo("Existing");
  }

  private static Reply create(Object name, Object content) {
    JsonObject body = new JsonObject().put("content", content);
    if (name != null) {
      body.put("name", name);
    }
    return alice.post("/api/layouts", body);
  }

  private static String field(Reply reply) {
    return reply.json().getJsonArray("problems").getJsonObject(0).getString("field");
  }

  @Test
  void invalidJsonIs400WhereverABodyIsRead() {
    Buffer broken = Buffer.buffer("{\"name\": \"Half a layout\", \"content\": {");
    for (var call :
        List.of(
            List.of(HttpMethod.POST, "/api/layouts"),
            List.of(HttpMethod.PUT, "/api/layouts/" + existing),
            List.of(HttpMethod.POST, "/api/layouts/import"),
            List.of(HttpMethod.PUT, "/api/layouts/" + existing + "/shares"),
            List.of(HttpMethod.POST, "/api/layouts/" + existing + "/clone"))) {
      Reply reply = alice.send((HttpMethod) call.get(0), (String) call.get(1), broken, "\"1\"");
      assertThat(reply.status()).as(call.toString()).isEqualTo(400);
      assertThat(reply.message()).as(call.toString()).startsWith("The body is not valid JSON");
    }
    Reply array = alice.send(HttpMethod.POST, "/api/layouts", Buffer.buffer("[1, 2]"), null);
    assertThat(array.status()).isEqualTo(400);
    assertThat(array.message()).contains("must be a JSON object");
    Reply empty = alice.send(HttpMethod.POST, "/api/layouts", Buffer.buffer(""), null);
    assertThat(empty.status()).isEqualTo(400);
    assertThat(empty.message()).contains("no body");
    nothingStored();
  }

  @Test
  void aBodyOverTheLimitIs413() {
    JsonObject big = Contents.row("sales-table");
    big.getJsonObject("config").put("padding", "x".repeat(LIMIT));

    Reply created = create("Too big", big);
    assertThat(created.status()).isEqualTo(413);
    assertThat(created.message()).contains(String.valueOf(LIMIT)).contains("MESH_LAYOUT_MAX_BYTES");
    Reply updated =
        alice.put("/api/layouts/" + existing, new JsonObject().put("content", big), "\"1\"");
    assertThat(updated.status()).isEqualTo(413);
    nothingStored();

    // just under the limit is fine
    big.getJsonObject("config").put("padding", "x".repeat(LIMIT - 600));
    Reply fits = create("Fits", big);
    assertThat(fits.status()).as(fits.toString()).isEqualTo(201);
  }

  @Test
  void namesMustBeOneTo120CharactersWithoutControlCharacters() {
    JsonObject content = Contents.row("sales-table");
    for (Object name : List.of("", "   ", "x".repeat(121), "tab\tinside", "line\nbreak")) {
      Reply reply = create(name, content);
      assertThat(reply.status()).as("name '" + name + "'").isEqualTo(400);
      assertThat(field(reply)).as("name '" + name + "'").isEqualTo("/name");
      assertThat(reply.message()).as("name '" + name + "'").contains("/name");
    }
    Reply missing = create(null, content);
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.message()).contains("name");
    Reply number = create(42, content);
    assertThat(number.status()).isEqualTo(400);
    Reply rename =
        alice.put("/api/layouts/" + existing, new JsonObject().put("name", " "), "\"1\"");
    assertThat(rename.status()).isEqualTo(400);
    assertThat(field(rename)).isEqualTo("/name");
    Reply description =
        alice.post(
            "/api/layouts",
            new JsonObject()
                .put("name", "ok")
                .put("content", content)
                .put("description", "d".repeat(2001)));
    assertThat(description.status()).isEqualTo(400);
    assertThat(field(description)).isEqualTo("/description");
    nothingStored();

    Reply longest = create("é".repeat(120), content);
    assertThat(longest.status()).as("120 characters, 240 bytes").isEqualTo(201);
    Reply multiline =
        alice.post(
            "/api/layouts",
            new JsonObject()
                .put("name", "Notes")
                .put("content", content)
                .put("description", "line one\nline two"));
    assertThat(multiline.status()).isEqualTo(201);
  }

  @Test
  void contentMustBeAnObjectWithAConfigObject() {
    for (Object content :
        List.of(
            "a string",
            new JsonArray(),
            new JsonObject(),
            new JsonObject().put("config", "x"),
            new JsonObject().put("config", new JsonArray()))) {
      Reply reply = create("Bad content", content);
      assertThat(reply.status()).as(String.valueOf(content)).isEqualTo(400);
      assertThat(field(reply)).as(String.valueOf(content)).startsWith("/content");
    }
    Reply missing = alice.post("/api/layouts", new JsonObject().put("name", "No content"));
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.message()).contains("content");
    nothingStored();
  }

  @Test
  void everyWidgetWindowNeedsAFrameAndAWidgetId() {
    JsonObject noWidget = Contents.window("f1", "sales-table");
    noWidget.getJsonObject("componentState").remove("widget");
    JsonObject numericFrame = Contents.window("f1", "sales-table");
    numericFrame.getJsonObject("componentState").put("frame", 7);
    JsonObject badAttributes = Contents.window("f1", "sales-table");
    badAttributes
        .getJsonObject("componentState")
        .put("attributes", new JsonObject().put("rows", 10));
    JsonObject noState = Contents.window("f1", "sales-table");
    noState.remove("componentState");
    JsonObject emptyWidget = Contents.window("f1", "");

    for (JsonObject window : List.of(noWidget, numericFrame, badAttributes, noState, emptyWidget)) {
      // deep inside a column's stack, where golden-layout puts windows
      JsonObject root =
          new JsonObject()
              .put("type", "column")
              .put(
                  "content",
                  new JsonArray()
                      .add(Contents.window("f0", "sales-chart"))
                      .add(
                          new JsonObject()
                              .put("type", "stack")
                              .put("content", new JsonArray().add(window))));
      Reply reply = create("Bad window", Contents.content(root));
      assertThat(reply.status()).as(window.encode()).isEqualTo(400);
      assertThat(field(reply))
          .as(window.encode())
          .startsWith("/content/config/root/content/1/content/0");
    }

    // and in a popped-out window too
    JsonObject popout = Contents.row("sales-table");
    popout
        .getJsonObject("config")
        .put(
            "openPopouts",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put(
                            "root",
                            new JsonObject()
                                .put("type", "stack")
                                .put("content", new JsonArray().add(noWidget)))));
    Reply popped = create("Bad popout", popout);
    assertThat(popped.status()).isEqualTo(400);
    assertThat(field(popped)).startsWith("/content/config/openPopouts/0/root");
    nothingStored();
  }

  @Test
  void unknownWidgetIdsAndOtherComponentsAreKept() {
    JsonObject content =
        Contents.content(
            new JsonObject()
                .put("type", "row")
                .put(
                    "content",
                    new JsonArray()
                        .add(Contents.window("f1", "no-such-widget"))
                        .add(
                            new JsonObject()
                                .put("type", "component")
                                .put("componentType", "something-else")
                                .put("componentState", 5))
                        .add(Contents.window("f2", "sales-table"))));
    content.put("theme", "dark");

    Reply created = create("Unknown widgets", content);

    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    assertThat(created.json().getJsonArray("widgets"))
        .containsExactly("no-such-widget", "sales-table");
    assertThat(alice.layout(created.json().getString("id")).getJsonObject("content"))
        .isEqualTo(content);
  }

  @Test
  void aBodyWithoutJsonContentTypeIsReadAsJsonAllTheSame() {
    // what curl -d sends
    Reply reply =
        alice.send(
            HttpMethod.POST,
            "/api/layouts",
            new JsonObject()
                .put("name", "From curl")
                .put("content", Contents.row("sales-table"))
                .toBuffer(),
            null,
            "application/x-www-form-urlencoded");
    assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
  }
}
