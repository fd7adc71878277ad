package dev.mesh.gateway.layouts;

import static dev.mesh.gateway.layouts.LayoutSavingTest.find;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.common.Setting;
import dev.mesh.testing.Layouts;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who may see and do what: shares with people and groups as viewer or editor, links, the viewer and
 * admin roles. Strangers get 404 (they must not learn a layout exists), people who may look but not
 * touch get 403 with the reason.
 */
class LayoutSharingTest {

  private static LayoutsUnderTest gateway;
  private static Caller alice;
  private static Caller bob;
  private static Caller carol;
  private static Caller mallory;
  private static Caller vera;
  private static Caller root;

  @BeforeAll
  static void start() {
    gateway =
        LayoutsUnderTest.start(
            config ->
                config
                    .with(Setting.ROLE_ADMINS, "platform")
                    .with(Setting.ROLE_EDITORS, "alice,bob,carol,mallory,analysts"));
    alice = gateway.as("alice", "sales");
    bob = gateway.as("bob", "sales");
    carol = gateway.as("carol", "finance");
    mallory = gateway.as("mallory", "outsiders");
    vera = gateway.as("vera", "finance");
    root = gateway.as("rita", "platform");
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  private static String shared(JsonArray shares, JsonObject link) {
    String id =
        alice.create("Shared " + System.nanoTime(), Contents.row("sales-table")).getString("id");
    Reply reply =
        alice.put(
            "/api/layouts/" + id + "/shares",
            new JsonObject().put("shares", shares).put("link", link),
            null);
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    return id;
  }

  @Test
  void aViewerShareLetsOpenButNotSaveWithTheReason() {
    String id = shared(new JsonArray().add(Layouts.share("user", "bob", "viewer")), null);

    Reply opened = bob.get("/api/layouts/" + id);
    assertThat(opened.status()).isEqualTo(200);
    assertThat(opened.json().getString("access")).isEqualTo("viewer");
    assertThat(opened.json().containsKey("shares"))
        .as("only the owner and admins see the shares")
        .isFalse();
    assertThat(find(bob.get("/api/layouts?scope=shared").json().getJsonArray("layouts"), id))
        .isNotNull();
    assertThat(find(bob.get("/api/layouts?scope=mine").json().getJsonArray("layouts"), id))
        .isNull();

    Reply refused =
        bob.put("/api/layouts/" + id, new JsonObject().put("name", "Bob's now"), "\"1\"");
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.message()).contains("alice shared this layout with you as a viewer");
    assertThat(
            bob.post(
                    "/api/layouts/" + id + "/revisions/1/restore",
                    new JsonObject().put("version", 1))
                .status())
        .isEqualTo(403);
    assertThat(bob.delete("/api/layouts/" + id, null).status()).isEqualTo(403);
    assertThat(bob.get("/api/layouts/" + id + "/shares").status()).isEqualTo(403);
    assertThat(alice.layout(id).getInteger("version")).isEqualTo(1);

    // what a viewer may do: history, export, clone
    assertThat(bob.get("/api/layouts/" + id + "/revisions").status()).isEqualTo(200);
    assertThat(bob.get("/api/layouts/" + id + "/export").status()).isEqualTo(200);
    assertThat(bob.post("/api/layouts/" + id + "/clone", null).status()).isEqualTo(201);
  }

  @Test
  void anEditorShareLetsSaveButNotShareOrDelete() {
    String id = shared(new JsonArray().add(Layouts.share("user", "bob", "editor")), null);

    Reply saved =
        bob.put(
            "/api/layouts/" + id,
            new JsonObject().put("content", Contents.row("sales-chart")),
            "\"1\"");
    assertThat(saved.status()).as(saved.toString()).isEqualTo(200);
    assertThat(saved.json().getString("updatedBy")).isEqualTo("bob");
    assertThat(saved.json().getString("owner")).isEqualTo("alice");
    assertThat(saved.json().getString("access")).isEqualTo("editor");

    Reply delete = bob.delete("/api/layouts/" + id, null);
    assertThat(delete.status()).isEqualTo(403);
    assertThat(delete.message()).contains("Only the owner (alice) or an admin may delete it");
    Reply reshare =
        bob.put(
            "/api/layouts/" + id + "/shares",
            new JsonObject().put("shares", new JsonArray()),
            null);
    assertThat(reshare.status()).isEqualTo(403);
    assertThat(
            gateway
                .database()
                .number("SELECT count(*) FROM layouts.layout_shares WHERE layout_id = ?::uuid", id))
        .isEqualTo(1);
  }

  @Test
  void aGroupShareReachesEveryMemberAndNobodyElse() {
    String id = shared(new JsonArray().add(Layouts.share("group", "finance", "viewer")), null);

    Reply carols = carol.get("/api/layouts/" + id);
    assertThat(carols.status()).isEqualTo(200);
    assertThat(carols.json().getString("access")).isEqualTo("viewer");
    assertThat(find(carol.get("/api/layouts").json().getJsonArray("layouts"), id)).isNotNull();
    Reply refused = carol.put("/api/layouts/" + id, new JsonObject().put("name", "x"), "\"1\"");
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.message()).contains("with the group finance as a viewer");

    assertThat(mallory.get("/api/layouts/" + id).status()).isEqualTo(404);
    assertThat(
            mallory.put("/api/layouts/" + id, new JsonObject().put("name", "x"), "\"1\"").status())
        .isEqualTo(404);
    assertThat(mallory.get("/api/layouts/" + id + "/revisions").status()).isEqualTo(404);
    assertThat(mallory.post("/api/layouts/" + id + "/clone", null).status()).isEqualTo(404);
    assertThat(find(mallory.get("/api/layouts").json().getJsonArray("layouts"), id)).isNull();
  }

  @Test
  void theBestOfSeveralSharesCounts() {
    String id =
        shared(
            new JsonArray()
                .add(Layouts.share("group", "sales", "viewer"))
                .add(Layouts.share("user", "bob", "editor")),
            null);
    assertThat(bob.get("/api/layouts/" + id).json().getString("access")).isEqualTo("editor");
    JsonObject listed =
        find(bob.get("/api/layouts?scope=shared").json().getJsonArray("layouts"), id);
    assertThat(listed.getString("access")).isEqualTo("editor");
  }

  @Test
  void aLinkGrantsItsRoleToWhoeverHoldsItAndAResetRevokesIt() {
    String id = shared(new JsonArray(), new JsonObject().put("role", "viewer"));
    JsonObject sharing = alice.get("/api/layouts/" + id + "/shares").json();
    String token = sharing.getJsonObject("link").getString("token");
    assertThat(sharing.getJsonObject("link").getString("role")).isEqualTo("viewer");
    assertThat(token).hasSizeGreaterThanOrEqualTo(32);
    assertThat(alice.layout(id).getJsonObject("link").getString("token")).isEqualTo(token);

    assertThat(mallory.get("/api/layouts/" + id).status()).as("without the link").isEqualTo(404);
    assertThat(mallory.get("/api/layouts/" + id + "?link=wrong-" + token).status()).isEqualTo(404);
    Reply viaLink = mallory.get("/api/layouts/" + id + "?link=" + token);
    assertThat(viaLink.status()).isEqualTo(200);
    assertThat(viaLink.json().getString("access")).isEqualTo("viewer");
    assertThat(mallory.get("/api/layouts/" + id + "/revisions?link=" + token).status())
        .isEqualTo(200);
    Reply readOnly =
        mallory.put(
            "/api/layouts/" + id + "?link=" + token, new JsonObject().put("name", "x"), "\"1\"");
    assertThat(readOnly.status()).isEqualTo(403);
    assertThat(readOnly.message()).contains("The link you opened gives viewer access");
    assertThat(find(mallory.get("/api/layouts").json().getJsonArray("layouts"), id))
        .as("a link does not list")
        .isNull();

    // turned into an editor link: same token, more rights
    Reply editor =
        alice.put(
            "/api/layouts/" + id + "/shares",
            new JsonObject().put("link", new JsonObject().put("role", "editor")),
            null);
    assertThat(editor.json().getJsonObject("link").getString("token")).isEqualTo(token);
    Reply saved =
        mallory.put(
            "/api/layouts/" + id + "?link=" + token,
            new JsonObject().put("name", "Edited via link"),
            "\"1\"");
    assertThat(saved.status()).as(saved.toString()).isEqualTo(200);
    assertThat(mallory.delete("/api/layouts/" + id + "?link=" + token, null).status())
        .as("a link never deletes")
        .isEqualTo(403);

    // a new token: the old link stops working
    Reply reset =
        alice.put("/api/layouts/" + id + "/shares", new JsonObject().put("resetToken", true), null);
    String newToken = reset.json().getJsonObject("link").getString("token");
    assertThat(newToken).isNotEqualTo(token);
    assertThat(reset.json().getJsonObject("link").getString("role")).isEqualTo("editor");
    assertThat(mallory.get("/api/layouts/" + id + "?link=" + token).status()).isEqualTo(404);
    assertThat(mallory.get("/api/layouts/" + id + "?link=" + newToken).status()).isEqualTo(200);

    // link off: nobody gets in with it
    Reply off = alice.put("/api/layouts/" + id + "/shares", new JsonObject().putNull("link"), null);
    assertThat(off.json().getValue("link")).isNull();
    assertThat(mallory.get("/api/layouts/" + id + "?link=" + newToken).status()).isEqualTo(404);
  }

  @Test
  void sharesAreReplacedAsAWholeAndCheckedBeforeAnythingIsStored() {
    String id =
        shared(
            new JsonArray()
                .add(Layouts.share("user", "bob", "viewer"))
                .add(Layouts.share("group", "finance", "editor")),
            null);
    Reply replaced =
        alice.put(
            "/api/layouts/" + id + "/shares",
            new JsonObject()
                .put("shares", new JsonArray().add(Layouts.share("user", "carol", "editor"))),
            null);
    assertThat(replaced.json().getJsonArray("shares"))
        .containsExactly(Layouts.share("user", "carol", "editor"));
    assertThat(bob.get("/api/layouts/" + id).status()).isEqualTo(404);
    assertThat(carol.get("/api/layouts/" + id).json().getString("access")).isEqualTo("editor");

    String before = gateway.rowCounts();
    Reply badRole =
        alice.put(
            "/api/layouts/" + id + "/shares",
            new JsonObject()
                .put("shares", new JsonArray().add(Layouts.share("user", "bob", "owner"))),
            null);
    assertThat(badRole.status()).isEqualTo(400);
    assertThat(badRole.json().getJsonArray("problems").getJsonObject(0).getString("field"))
        .isEqualTo("/shares/0/role");
    Reply badKind =
        alice.put(
            "/api/layouts/" + id + "/shares",
            new JsonObject()
                .put("shares", new JsonArray().add(Layouts.share("team", "bob", "viewer"))),
            null);
    assertThat(badKind.status()).isEqualTo(400);
    Reply twice =
        alice.put(
            "/api/layouts/" + id + "/shares",
            new JsonObject()
                .put(
                    "shares",
                    new JsonArray()
                        .add(Layouts.share("user", "bob", "viewer"))
                        .add(Layouts.share("user", "bob", "editor"))),
            null);
    assertThat(twice.status()).isEqualTo(400);
    assertThat(twice.message()).contains("listed twice");
    Reply blank =
        alice.put(
            "/api/layouts/" + id + "/shares",
            new JsonObject()
                .put("shares", new JsonArray().add(Layouts.share("user", "  ", "viewer"))),
            null);
    assertThat(blank.status()).isEqualTo(400);
    assertThat(gateway.rowCounts()).isEqualTo(before);
    assertThat(carol.get("/api/layouts/" + id).json().getString("access")).isEqualTo("editor");
  }

  @Test
  void viewersCannotCreateCloneOrImport() {
    String id = shared(new JsonArray().add(Layouts.share("group", "finance", "editor")), null);
    String before = gateway.rowCounts();

    assertThat(gateway.as("vera").get("/api/me").json().getString("role")).isEqualTo("viewer");
    Reply create =
        vera.post(
            "/api/layouts",
            new JsonObject().put("name", "Mine").put("content", Contents.row("sales-table")));
    assertThat(create.status()).isEqualTo(403);
    assertThat(create.message()).contains("viewer role");
    assertThat(vera.post("/api/layouts/" + id + "/clone", null).status()).isEqualTo(403);
    JsonObject export = vera.get("/api/layouts/" + id + "/export").json();
    assertThat(vera.post("/api/layouts/import", export).status()).isEqualTo(403);
    assertThat(gateway.rowCounts()).isEqualTo(before);

    // but an editor share lets them edit that layout
    assertThat(
            vera.put("/api/layouts/" + id, new JsonObject().put("name", "Vera edited"), "\"1\"")
                .status())
        .isEqualTo(200);
  }

  @Test
  void anAdminSeesAndManagesEveryLayout() {
    String id = alice.create("Private to alice", Contents.row("sales-table")).getString("id");

    assertThat(root.get("/api/me").json().getString("role")).isEqualTo("admin");
    assertThat(
            find(root.get("/api/layouts").json().getJsonArray("layouts"), id).getString("access"))
        .isEqualTo("admin");
    assertThat(find(root.get("/api/layouts?scope=mine").json().getJsonArray("layouts"), id))
        .isNull();
    Reply opened = root.get("/api/layouts/" + id);
    assertThat(opened.json().getString("access")).isEqualTo("admin");
    assertThat(opened.json().getJsonArray("shares")).isEmpty();
    assertThat(
            root.put(
                    "/api/layouts/" + id,
                    new JsonObject().put("name", "Fixed by an admin"),
                    "\"1\"")
                .status())
        .isEqualTo(200);
    assertThat(
            root.put(
                    "/api/layouts/" + id + "/shares",
                    new JsonObject()
                        .put("shares", new JsonArray().add(Layouts.share("user", "bob", "viewer"))),
                    null)
                .status())
        .isEqualTo(200);
    assertThat(bob.get("/api/layouts/" + id).status()).isEqualTo(200);
    assertThat(root.delete("/api/layouts/" + id, null).status()).isEqualTo(204);
    assertThat(alice.get("/api/layouts/" + id).status()).isEqualTo(404);
  }

  @Test
  void deletingALayoutRemovesItsShares() {
    String id =
        shared(
            new JsonArray().add(Layouts.share("user", "bob", "editor")),
            new JsonObject().put("role", "viewer"));
    assertThat(alice.delete("/api/layouts/" + id, null).status()).isEqualTo(204);
    assertThat(
            gateway
                .database()
                .number("SELECT count(*) FROM layouts.layout_shares WHERE layout_id = ?::uuid", id))
        .isZero();
    assertThat(bob.get("/api/layouts/" + id).status()).isEqualTo(404);
  }
}
