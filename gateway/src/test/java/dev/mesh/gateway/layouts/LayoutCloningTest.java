package dev.mesh.gateway.layouts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.testing.Layouts;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A new starter copies the head of department's layout, tweaks it, and later takes in what the
 * original changed; layouts also travel as export files.
 */
class LayoutCloningTest {

  private static LayoutsUnderTest gateway;
  private static Caller head;
  private static Caller starter;
  private static Caller stranger;

  @BeforeAll
  static void start() {
    gateway = LayoutsUnderTest.start();
    head = gateway.as("hannah", "sales-leads");
    starter = gateway.as("sam", "sales");
    stranger = gateway.as("sid", "elsewhere");
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  /** A layout of the head of sales, shared with the sales group, at version 2. */
  private static JsonObject original() {
    String id = head.create("Head of sales", Contents.row("sales-table")).getString("id");
    head.put(
        "/api/layouts/" + id,
        new JsonObject().put("content", Contents.row("sales-table", "sales-chart")),
        "\"1\"");
    head.put(
        "/api/layouts/" + id + "/shares",
        Layouts.shares(null, Layouts.share("group", "sales", "viewer")),
        null);
    return head.layout(id);
  }

  private static JsonObject cloneOf(String id) {
    Reply cloned = starter.post("/api/layouts/" + id + "/clone", null);
    assertThat(cloned.status()).as(cloned.toString()).isEqualTo(201);
    return cloned.json();
  }

  @Test
  void aCloneIsTheCallersCopyAndRemembersItsOriginal() {
    JsonObject original = original();
    String id = original.getString("id");

    Reply cloned = starter.post("/api/layouts/" + id + "/clone", null);

    assertThat(cloned.status()).isEqualTo(201);
    JsonObject copy = cloned.json();
    assertThat(cloned.header("Location")).isEqualTo("/api/layouts/" + copy.getString("id"));
    assertThat(copy.getString("id")).isNotEqualTo(id);
    assertThat(copy.getString("owner")).isEqualTo("sam");
    assertThat(copy.getString("access")).isEqualTo("owner");
    assertThat(copy.getString("name")).isEqualTo("Copy of Head of sales");
    assertThat(copy.getInteger("version")).isEqualTo(1);
    assertThat(copy.getJsonObject("content")).isEqualTo(original.getJsonObject("content"));
    assertThat(copy.getJsonObject("forkedFrom"))
        .isEqualTo(
            new JsonObject().put("layoutId", id).put("revision", 2).put("name", "Head of sales"));
    assertThat(
            starter
                .get("/api/layouts/" + copy.getString("id") + "/revisions")
                .json()
                .getJsonArray("revisions")
                .getJsonObject(0)
                .getString("action"))
        .isEqualTo("clone");

    // the copy is tweaked; the original is unchanged
    Reply tweaked =
        starter.put(
            "/api/layouts/" + copy.getString("id"),
            new JsonObject().put("content", Contents.row("sales-kpis")).put("name", "Sam's sales"),
            "\"1\"");
    assertThat(tweaked.status()).isEqualTo(200);
    JsonObject after = head.layout(id);
    assertThat(after.getInteger("version")).isEqualTo(2);
    assertThat(after.getJsonObject("content")).isEqualTo(original.getJsonObject("content"));
    assertThat(after.getString("name")).isEqualTo("Head of sales");
  }

  @Test
  void aCloneCanBeNamedAndOnlyWhatOneCanSeeCanBeCloned() {
    String id = original().getString("id");
    Reply named =
        starter.post("/api/layouts/" + id + "/clone", new JsonObject().put("name", "My sales"));
    assertThat(named.json().getString("name")).isEqualTo("My sales");

    String before = gateway.rowCounts();
    assertThat(stranger.post("/api/layouts/" + id + "/clone", null).status()).isEqualTo(404);
    assertThat(
            starter
                .post("/api/layouts/" + id + "/clone", new JsonObject().put("name", ""))
                .status())
        .isEqualTo(400);
    assertThat(gateway.rowCounts()).isEqualTo(before);
  }

  @Test
  void theCloneSeesWhatTheOriginalChangedAndPullsIt() {
    String id = original().getString("id");
    JsonObject copy = cloneOf(id);
    String copyId = copy.getString("id");
    starter.put("/api/layouts/" + copyId, new JsonObject().put("name", "Sam's sales"), "\"1\"");

    JsonObject upToDate = starter.get("/api/layouts/" + copyId + "/upstream").json();
    assertThat(upToDate.getInteger("behind")).isZero();
    assertThat(upToDate.getJsonObject("upstream").getBoolean("available")).isTrue();
    assertThat(upToDate.getJsonArray("revisions")).isEmpty();

    // the head adds the KPIs and renames the original
    JsonObject changed = Contents.row("sales-chart", "sales-kpis");
    head.put("/api/layouts/" + id, new JsonObject().put("content", changed), "\"2\"");
    head.put("/api/layouts/" + id, new JsonObject().put("name", "Head of sales (2025)"), "\"3\"");

    JsonObject upstream = starter.get("/api/layouts/" + copyId + "/upstream").json();
    assertThat(upstream.getInteger("behind")).isEqualTo(2);
    assertThat(upstream.getJsonObject("upstream"))
        .isEqualTo(
            new JsonObject()
                .put("available", true)
                .put("name", "Head of sales (2025)")
                .put("version", 4));
    assertThat(
            upstream.getJsonArray("revisions").stream()
                .map(r -> ((JsonObject) r).getInteger("revision"))
                .toList())
        .containsExactly(4, 3);
    assertThat(upstream.getJsonObject("changes"))
        .isEqualTo(
            new JsonObject()
                .put("widgetsAdded", new JsonArray().add("sales-kpis"))
                .put("widgetsRemoved", new JsonArray().add("sales-table"))
                .put("renamed", true));

    assertThat(starter.post("/api/layouts/" + copyId + "/pull", null).status())
        .as("pull needs the version")
        .isEqualTo(428);
    assertThat(
            starter
                .post("/api/layouts/" + copyId + "/pull", new JsonObject().put("version", 1))
                .status())
        .isEqualTo(409);

    Reply pulled =
        starter.post("/api/layouts/" + copyId + "/pull", new JsonObject().put("version", 2));
    assertThat(pulled.status()).as(pulled.toString()).isEqualTo(200);
    assertThat(pulled.json().getInteger("version")).isEqualTo(3);
    assertThat(pulled.json().getJsonObject("content")).isEqualTo(changed);
    assertThat(pulled.json().getString("name"))
        .as("the clone keeps its own name")
        .isEqualTo("Sam's sales");
    assertThat(pulled.json().getJsonObject("forkedFrom"))
        .isEqualTo(
            new JsonObject()
                .put("layoutId", id)
                .put("revision", 4)
                .put("name", "Head of sales (2025)"));
    assertThat(
            starter
                .get("/api/layouts/" + copyId + "/revisions")
                .json()
                .getJsonArray("revisions")
                .getJsonObject(0)
                .getString("action"))
        .isEqualTo("pull");
    assertThat(starter.get("/api/layouts/" + copyId + "/upstream").json().getInteger("behind"))
        .isZero();
    assertThat(head.layout(id).getInteger("version"))
        .as("pulling changes nothing in the original")
        .isEqualTo(4);
  }

  @Test
  void anOriginalThatIsGoneOrNoLongerSharedIsUnavailable() {
    String id = original().getString("id");
    String copyId = cloneOf(id).getString("id");

    head.put(
        "/api/layouts/" + id + "/shares", new JsonObject().put("shares", new JsonArray()), null);
    JsonObject hidden = starter.get("/api/layouts/" + copyId + "/upstream").json();
    assertThat(hidden.getJsonObject("upstream").getBoolean("available")).isFalse();
    assertThat(hidden.getJsonObject("upstream").containsKey("name"))
        .as("nothing told about it")
        .isFalse();
    Reply pull =
        starter.post("/api/layouts/" + copyId + "/pull", new JsonObject().put("version", 1));
    assertThat(pull.status()).isEqualTo(404);
    assertThat(pull.message()).contains("gone or no longer shared with you");

    assertThat(head.delete("/api/layouts/" + id, null).status()).isEqualTo(204);
    JsonObject gone = starter.get("/api/layouts/" + copyId + "/upstream").json();
    assertThat(gone.getJsonObject("upstream").getBoolean("available")).isFalse();
    assertThat(gone.getJsonObject("forkedFrom").getString("layoutId")).isEqualTo(id);
    assertThat(starter.layout(copyId).getInteger("version")).as("the clone lives on").isEqualTo(1);
  }

  @Test
  void aLayoutThatIsNoCloneHasNoUpstream() {
    String id = head.create("Original work", Contents.row("sales-table")).getString("id");
    Reply upstream = head.get("/api/layouts/" + id + "/upstream");
    assertThat(upstream.status()).isEqualTo(404);
    assertThat(upstream.message()).contains("not a clone");
    assertThat(
            head.post("/api/layouts/" + id + "/pull", new JsonObject().put("version", 1)).status())
        .isEqualTo(404);
  }

  @Test
  void anExportedLayoutImportsAsANewLayoutOfTheImporter() {
    JsonObject original = original();
    Reply exported = starter.get("/api/layouts/" + original.getString("id") + "/export");

    assertThat(exported.status()).isEqualTo(200);
    assertThat(exported.header("Content-Disposition"))
        .isEqualTo("attachment; filename=\"head-of-sales.json\"");
    JsonObject document = exported.json();
    assertThat(document.getString("format")).isEqualTo("mesh-layout");
    assertThat(document.getInteger("formatVersion")).isEqualTo(1);
    assertThat(document.getString("name")).isEqualTo("Head of sales");
    assertThat(document.getJsonObject("content")).isEqualTo(original.getJsonObject("content"));
    assertThat(document.getJsonObject("source"))
        .isEqualTo(new JsonObject().put("id", original.getString("id")).put("version", 2));
    assertThat(document.getString("exportedAt")).isNotBlank();

    Reply imported = starter.post("/api/layouts/import", document);
    assertThat(imported.status()).as(imported.toString()).isEqualTo(201);
    JsonObject layout = imported.json();
    assertThat(layout.getString("id")).isNotEqualTo(original.getString("id"));
    assertThat(layout.getString("owner")).isEqualTo("sam");
    assertThat(layout.getString("name")).isEqualTo("Head of sales");
    assertThat(layout.getInteger("version")).isEqualTo(1);
    assertThat(layout.getJsonObject("content")).isEqualTo(original.getJsonObject("content"));
    assertThat(layout.getValue("forkedFrom")).isNull();
    assertThat(
            starter
                .get("/api/layouts/" + layout.getString("id") + "/revisions")
                .json()
                .getJsonArray("revisions")
                .getJsonObject(0)
                .getString("action"))
        .isEqualTo("import");

    String before = gateway.rowCounts();
    Reply wrongFormat =
        starter.post("/api/layouts/import", document.copy().put("format", "something-else"));
    assertThat(wrongFormat.status()).isEqualTo(400);
    assertThat(wrongFormat.json().getJsonArray("problems").getJsonObject(0).getString("field"))
        .isEqualTo("/format");
    Reply newerFormat =
        starter.post("/api/layouts/import", document.copy().put("formatVersion", 2));
    assertThat(newerFormat.status()).isEqualTo(400);
    Reply noContent =
        starter.post("/api/layouts/import", document.copy().put("content", "nothing"));
    assertThat(noContent.status()).isEqualTo(400);
    assertThat(gateway.rowCounts()).isEqualTo(before);
  }
}
