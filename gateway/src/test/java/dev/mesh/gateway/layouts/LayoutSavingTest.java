package dev.mesh.gateway.layouts;

import static dev.mesh.testing.TestCluster.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A power user saves, reopens, renames and deletes layouts; every save is a version and a revision,
 * and a save based on an old version is refused without losing anybody's work.
 */
class LayoutSavingTest {

  private static LayoutsUnderTest gateway;
  private static Caller alice;
  private static Caller bob;

  @BeforeAll
  static void start() {
    gateway = LayoutsUnderTest.start();
    alice = gateway.as("alice", "sales");
    bob = gateway.as("bob", "marketing");
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @Test
  void aSavedLayoutCanBeOpenedAndIsListedAsMine() {
    JsonObject content = Contents.row("sales-table", "sales-chart", "sales-table");
    Reply created =
        alice.post(
            "/api/layouts",
            new JsonObject()
                .put("name", "  Sales overview ")
                .put("description", "Weekly numbers")
                .put("content", content));

    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    JsonObject layout = created.json();
    String id = layout.getString("id");
    assertThat(UUID.fromString(id)).isNotNull();
    assertThat(created.header("Location")).isEqualTo("/api/layouts/" + id);
    assertThat(created.header("ETag")).isEqualTo("\"1\"");
    assertThat(layout.getString("name")).isEqualTo("Sales overview");
    assertThat(layout.getString("description")).isEqualTo("Weekly numbers");
    assertThat(layout.getString("owner")).isEqualTo("alice");
    assertThat(layout.getString("updatedBy")).isEqualTo("alice");
    assertThat(layout.getInteger("version")).isEqualTo(1);
    assertThat(layout.getString("access")).isEqualTo("owner");
    assertThat(layout.getBoolean("provisioned")).isFalse();
    assertThat(layout.getValue("forkedFrom")).isNull();
    assertThat(layout.getJsonArray("widgets")).containsExactly("sales-table", "sales-chart");
    assertThat(layout.getJsonObject("content")).isEqualTo(content);
    assertThat(layout.getJsonArray("shares")).isEmpty();

    Reply opened = alice.get("/api/layouts/" + id);
    assertThat(opened.status()).isEqualTo(200);
    assertThat(opened.header("ETag")).isEqualTo("\"1\"");
    assertThat(opened.json().getJsonObject("content")).isEqualTo(content);
    assertThat(opened.json().getString("createdAt")).isEqualTo(layout.getString("createdAt"));

    JsonArray mine = alice.get("/api/layouts?scope=mine").json().getJsonArray("layouts");
    JsonObject summary = find(mine, id);
    assertThat(summary).as("listed as mine").isNotNull();
    assertThat(summary.containsKey("content")).as("summaries carry no content").isFalse();
    assertThat(summary.getString("access")).isEqualTo("owner");
    assertThat(find(alice.get("/api/layouts").json().getJsonArray("layouts"), id)).isNotNull();

    // somebody else neither sees nor lists it
    assertThat(bob.get("/api/layouts/" + id).status()).isEqualTo(404);
    assertThat(find(bob.get("/api/layouts").json().getJsonArray("layouts"), id)).isNull();
  }

  @Test
  void aSaveWithIfMatchOrABodyVersionMakesTheNextVersion() {
    String id = alice.create("Regions", Contents.row("sales-table")).getString("id");

    Reply renamed =
        alice.put("/api/layouts/" + id, new JsonObject().put("name", "Regions EMEA"), "\"1\"");
    assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
    assertThat(renamed.header("ETag")).isEqualTo("\"2\"");
    assertThat(renamed.json().getString("name")).isEqualTo("Regions EMEA");
    assertThat(renamed.json().getJsonObject("content"))
        .as("content kept when left out")
        .isEqualTo(Contents.row("sales-table"));

    JsonObject content = Contents.row("sales-table", "sales-kpis");
    Reply rearranged =
        alice.put(
            "/api/layouts/" + id, new JsonObject().put("version", 2).put("content", content), null);
    assertThat(rearranged.status()).as(rearranged.toString()).isEqualTo(200);
    assertThat(rearranged.json().getInteger("version")).isEqualTo(3);
    assertThat(rearranged.json().getJsonArray("widgets"))
        .containsExactly("sales-table", "sales-kpis");
    assertThat(alice.layout(id).getJsonObject("content")).isEqualTo(content);
    assertThat(
            gateway
                .database()
                .number(
                    "SELECT count(*) FROM layouts.layout_revisions WHERE layout_id = ?::uuid", id))
        .as("one revision per save")
        .isEqualTo(3);
  }

  @Test
  void aSaveBasedOnAnOlderVersionIsRefusedWithTheCurrentOneAndNothingIsLost() {
    String id = alice.create("Two tabs", Contents.row("sales-table")).getString("id");
    // both tabs opened version 1; the first saves
    JsonObject first = Contents.row("sales-table", "sales-chart");
    assertThat(
            alice
                .put("/api/layouts/" + id, new JsonObject().put("content", first), "\"1\"")
                .status())
        .isEqualTo(200);

    JsonObject second = Contents.row("sales-kpis");
    Reply refused =
        alice.put(
            "/api/layouts/" + id,
            new JsonObject().put("content", second).put("name", "Mine"),
            "\"1\"");

    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.json().getInteger("status")).isEqualTo(409);
    assertThat(refused.json().getInteger("currentVersion")).isEqualTo(2);
    assertThat(refused.message()).contains("alice saved version 2").contains("based on version 1");
    assertThat(refused.json().getJsonObject("current").getJsonObject("content")).isEqualTo(first);
    // the first tab's save is untouched, and no revision was added
    assertThat(alice.layout(id).getJsonObject("content")).isEqualTo(first);
    assertThat(alice.layout(id).getString("name")).isEqualTo("Two tabs");
    assertThat(
            gateway
                .database()
                .number(
                    "SELECT count(*) FROM layouts.layout_revisions WHERE layout_id = ?::uuid", id))
        .isEqualTo(2);

    // the second tab keeps its work by saving it as a copy
    JsonObject copy = alice.create("Two tabs (my version)", second);
    assertThat(alice.layout(copy.getString("id")).getJsonObject("content")).isEqualTo(second);
  }

  @Test
  void ofSavesRacingFromTheSameVersionExactlyOneWins() {
    String id = alice.create("Raced", Contents.row("sales-table")).getString("id");
    List<Future<Reply>> saves = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      saves.add(
          alice.request(
              HttpMethod.PUT,
              "/api/layouts/" + id,
              new JsonObject().put("name", "Tab " + i).toBuffer(),
              "\"1\"",
              "application/json"));
    }
    List<Integer> statuses =
        await(Future.all(saves)).<Reply>list().stream().map(Reply::status).toList();

    assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
    assertThat(statuses).filteredOn(s -> s == 409).hasSize(7);
    assertThat(alice.layout(id).getInteger("version")).isEqualTo(2);
    assertThat(
            gateway
                .database()
                .number(
                    "SELECT count(*) FROM layouts.layout_revisions WHERE layout_id = ?::uuid", id))
        .isEqualTo(2);
  }

  @Test
  void aSaveWithoutAVersionIsRefusedWith428AndStoresNothing() {
    String id = alice.create("No version", Contents.row("sales-table")).getString("id");
    String before = gateway.rowCounts();

    Reply refused = alice.put("/api/layouts/" + id, new JsonObject().put("name", "Changed"), null);

    assertThat(refused.status()).isEqualTo(428);
    assertThat(refused.message()).contains("If-Match").contains("version");
    assertThat(alice.layout(id).getString("name")).isEqualTo("No version");
    assertThat(gateway.rowCounts()).isEqualTo(before);
  }

  @Test
  void ifMatchAndBodyVersionMustAgreeAndIfMatchMustNameAVersion() {
    String id = alice.create("Disagreeing", Contents.row("sales-table")).getString("id");

    Reply disagree =
        alice.put(
            "/api/layouts/" + id, new JsonObject().put("name", "x").put("version", 2), "\"1\"");
    assertThat(disagree.status()).isEqualTo(400);
    assertThat(disagree.message()).contains("If-Match names version 1").contains("version is 2");

    Reply star = alice.put("/api/layouts/" + id, new JsonObject().put("name", "x"), "*");
    assertThat(star.status()).isEqualTo(400);
    assertThat(star.message()).contains("* is not accepted");

    Reply weak =
        alice.put("/api/layouts/" + id, new JsonObject().put("name", "weak etag"), "W/\"1\"");
    assertThat(weak.status()).as(weak.toString()).isEqualTo(200);
  }

  @Test
  void revisionsAreListedNewestFirstAndAnOldOneCanBeRestored() {
    JsonObject original = Contents.row("sales-table");
    String id = alice.create("History", original).getString("id");
    alice.put(
        "/api/layouts/" + id,
        new JsonObject().put("name", "History 2").put("content", Contents.row("sales-chart")),
        "\"1\"");
    alice.put(
        "/api/layouts/" + id, new JsonObject().put("content", Contents.row("sales-kpis")), "\"2\"");

    JsonArray revisions =
        alice.get("/api/layouts/" + id + "/revisions").json().getJsonArray("revisions");
    assertThat(revisions.stream().map(r -> ((JsonObject) r).getInteger("revision")).toList())
        .containsExactly(3, 2, 1);
    assertThat(revisions.getJsonObject(2).getString("name")).isEqualTo("History");
    assertThat(revisions.getJsonObject(2).getString("savedBy")).isEqualTo("alice");
    assertThat(revisions.getJsonObject(2).getString("action")).isEqualTo("create");
    assertThat(revisions.getJsonObject(0).getString("action")).isEqualTo("update");

    Reply first = alice.get("/api/layouts/" + id + "/revisions/1");
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.json().getJsonObject("content")).isEqualTo(original);
    assertThat(first.json().getString("name")).isEqualTo("History");

    Reply restored =
        alice.post(
            "/api/layouts/" + id + "/revisions/1/restore", new JsonObject().put("version", 3));
    assertThat(restored.status()).as(restored.toString()).isEqualTo(200);
    assertThat(restored.json().getInteger("version")).isEqualTo(4);
    assertThat(restored.json().getString("name")).isEqualTo("History");
    assertThat(restored.json().getJsonObject("content")).isEqualTo(original);
    assertThat(
            alice
                .get("/api/layouts/" + id + "/revisions")
                .json()
                .getJsonArray("revisions")
                .getJsonObject(0)
                .getString("action"))
        .isEqualTo("restore");
    // the restored-over version is still in the history
    assertThat(alice.get("/api/layouts/" + id + "/revisions/3").json().getJsonObject("content"))
        .isEqualTo(Contents.row("sales-kpis"));
  }

  @Test
  void unknownAndMalformedRevisionsAreClearErrors() {
    String id = alice.create("Few revisions", Contents.row("sales-table")).getString("id");
    String before = gateway.rowCounts();

    Reply unknown = alice.get("/api/layouts/" + id + "/revisions/7");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.message()).contains("no revision 7").contains("1 to 1");
    assertThat(
            alice
                .post(
                    "/api/layouts/" + id + "/revisions/7/restore",
                    new JsonObject().put("version", 1))
                .status())
        .isEqualTo(404);

    for (String bad : List.of("abc", "0", "-1", "1.5", "99999999999")) {
      Reply malformed = alice.get("/api/layouts/" + id + "/revisions/" + bad);
      assertThat(malformed.status()).as(bad).isEqualTo(400);
      assertThat(malformed.message()).as(bad).contains("positive integer");
    }
    assertThat(
            alice
                .post(
                    "/api/layouts/" + id + "/revisions/abc/restore",
                    new JsonObject().put("version", 1))
                .status())
        .isEqualTo(400);

    Reply noVersion = alice.post("/api/layouts/" + id + "/revisions/1/restore", null);
    assertThat(noVersion.status()).isEqualTo(428);
    Reply stale =
        alice.send(HttpMethod.POST, "/api/layouts/" + id + "/revisions/1/restore", null, "\"5\"");
    assertThat(stale.status()).isEqualTo(409);
    assertThat(stale.json().getInteger("currentVersion")).isEqualTo(1);
    assertThat(gateway.rowCounts()).isEqualTo(before);
  }

  @Test
  void theOwnerDeletesALayoutWithItsHistoryAndAStaleDeleteIsRefused() {
    String id = alice.create("Short-lived", Contents.row("sales-table")).getString("id");
    alice.put("/api/layouts/" + id, new JsonObject().put("name", "Short-lived 2"), "\"1\"");

    Reply stale = alice.delete("/api/layouts/" + id, "\"1\"");
    assertThat(stale.status()).isEqualTo(409);
    assertThat(stale.json().getInteger("currentVersion")).isEqualTo(2);
    assertThat(alice.get("/api/layouts/" + id).status()).isEqualTo(200);

    assertThat(bob.delete("/api/layouts/" + id, null).status())
        .as("a stranger cannot even see it")
        .isEqualTo(404);

    assertThat(alice.delete("/api/layouts/" + id, "\"2\"").status()).isEqualTo(204);
    assertThat(alice.get("/api/layouts/" + id).status()).isEqualTo(404);
    assertThat(
            gateway
                .database()
                .number(
                    "SELECT count(*) FROM layouts.layout_revisions WHERE layout_id = ?::uuid", id))
        .isZero();
    assertThat(alice.delete("/api/layouts/" + id, null).status()).isEqualTo(404);
  }

  @Test
  void listsAreNewestFirstAndTheScopeIsChecked() {
    String older = alice.create("Older", Contents.row("sales-table")).getString("id");
    String newer = alice.create("Newer", Contents.row("sales-table")).getString("id");
    List<String> ids =
        alice.get("/api/layouts?scope=mine").json().getJsonArray("layouts").stream()
            .map(l -> ((JsonObject) l).getString("id"))
            .toList();
    assertThat(ids.indexOf(newer)).isLessThan(ids.indexOf(older));

    Reply bad = alice.get("/api/layouts?scope=everything");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.message()).contains("scope");
  }

  @Test
  void malformedLayoutIdsAre400AndUnknownOnes404() {
    Reply malformed = alice.get("/api/layouts/not-a-uuid");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.message()).contains("not a layout id");
    Reply unknown = alice.get("/api/layouts/" + UUID.randomUUID());
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().getInteger("status")).isEqualTo(404);
  }

  static JsonObject find(JsonArray layouts, String id) {
    return layouts.stream()
        .map(JsonObject.class::cast)
        .filter(l -> id.equals(l.getString("id")))
        .findFirst()
        .orElse(null);
  }
}
