package dev.mesh.gateway.layouts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.common.Setting;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Layouts provisioned from a folder of export files (the Helm chart's ConfigMap): everybody sees
 * them, nobody changes them, anybody may clone them; restarts keep them by file name, broken files
 * are skipped with a log line saying why.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LayoutProvisioningTest {

  private static final int LIMIT = 4096;
  private static final Logger PROVISIONING = Logger.getLogger(LayoutProvisioning.class.getName());
  private static final List<String> warnings = new CopyOnWriteArrayList<>();
  private static final Handler RECORDER =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          if (record.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
            warnings.add(record.getMessage());
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  private static Path folder;
  private static LayoutsUnderTest gateway;
  private static Caller viewer;
  private static Caller admin;
  private static String salesId;
  private static String cloneId;

  @BeforeAll
  static void start() throws IOException {
    PROVISIONING.addHandler(RECORDER);
    folder = Files.createTempDirectory("mesh-layouts");
    Files.writeString(
        folder.resolve("sales-wall.json"),
        document("Sales wall", "sales-table", "sales-chart").encodePrettily());
    Files.writeString(folder.resolve("kpis.json"), document("KPIs", "sales-kpis").encode());
    Files.writeString(folder.resolve("broken.json"), "{\"format\": \"mesh-layout\", ");
    Files.writeString(
        folder.resolve("no-config.json"),
        document("No config", "x").put("content", new JsonObject()).encode());
    Files.writeString(
        folder.resolve("huge.json"),
        document("Huge", "x").put("description", "d".repeat(LIMIT)).encode());
    Files.writeString(folder.resolve("notes.txt"), "not a layout");
    Files.writeString(folder.resolve(".hidden.json"), document("Hidden", "x").encode());
    gateway =
        LayoutsUnderTest.start(
            config ->
                config
                    .with(Setting.LAYOUTS_DIR, folder.toString())
                    .with(Setting.LAYOUT_MAX_BYTES, LIMIT)
                    .with(Setting.ROLE_ADMINS, "root")
                    .with(Setting.ROLE_EDITORS, "erin"));
    viewer = gateway.as("vic");
    admin = gateway.as("root");
  }

  @AfterAll
  static void stop() {
    PROVISIONING.removeHandler(RECORDER);
    gateway.close();
  }

  static JsonObject document(String name, String... widgets) {
    return new JsonObject()
        .put("format", "mesh-layout")
        .put("formatVersion", 1)
        .put("name", name)
        .put("description", "Provisioned for everybody")
        .put("content", Contents.row(widgets));
  }

  private static List<JsonObject> provisioned(Caller caller) {
    return caller.get("/api/layouts").json().getJsonArray("layouts").stream()
        .map(JsonObject.class::cast)
        .filter(l -> l.getBoolean("provisioned"))
        .toList();
  }

  @Test
  @Order(1)
  void everyGoodFileIsALayoutEverybodySees() {
    List<JsonObject> layouts = provisioned(viewer);
    assertThat(layouts.stream().map(l -> l.getString("name")).toList())
        .containsExactlyInAnyOrder("Sales wall", "KPIs");
    JsonObject sales =
        layouts.stream()
            .filter(l -> l.getString("name").equals("Sales wall"))
            .findFirst()
            .orElseThrow();
    salesId = sales.getString("id");
    assertThat(sales.getString("owner")).isEqualTo("provisioned");
    assertThat(sales.getString("access")).isEqualTo("viewer");
    assertThat(sales.getJsonArray("widgets")).containsExactly("sales-table", "sales-chart");
    assertThat(viewer.layout(salesId).getJsonObject("content"))
        .isEqualTo(Contents.row("sales-table", "sales-chart"));
    assertThat(provisioned(gateway.as("somebody-else"))).hasSize(2);
    assertThat(
            gateway
                .database()
                .number("SELECT count(*) FROM layouts.layouts WHERE provisioned_file IS NOT NULL"))
        .isEqualTo(2);
  }

  @Test
  @Order(2)
  void eachBrokenFileIsSkippedWithOneLogLineNamingItAndItsProblem() {
    assertThat(warnings.stream().filter(w -> w.contains("broken.json")).toList())
        .singleElement()
        .asString()
        .contains("not valid JSON");
    assertThat(warnings.stream().filter(w -> w.contains("no-config.json")).toList())
        .singleElement()
        .asString()
        .contains("config");
    assertThat(warnings.stream().filter(w -> w.contains("huge.json")).toList())
        .singleElement()
        .asString()
        .contains("more than the limit of " + LIMIT);
    assertThat(warnings)
        .noneMatch(
            w ->
                w.contains("notes.txt")
                    || w.contains(".hidden.json")
                    || w.contains("sales-wall.json"));
  }

  @Test
  @Order(3)
  void nobodyMayChangeOrShareAProvisionedLayoutNotEvenAnAdmin() {
    for (Caller caller : List.of(viewer, admin, gateway.as("erin"))) {
      Reply update =
          caller.put("/api/layouts/" + salesId, new JsonObject().put("name", "Mine now"), "\"1\"");
      assertThat(update.status()).isEqualTo(403);
      assertThat(update.message())
          .contains("provisioned from the file sales-wall.json")
          .contains("clone it");
      assertThat(caller.delete("/api/layouts/" + salesId, null).status()).isEqualTo(403);
      assertThat(
              caller
                  .put(
                      "/api/layouts/" + salesId + "/shares",
                      new JsonObject().put("shares", new JsonArray()),
                      null)
                  .status())
          .isEqualTo(403);
      assertThat(
              caller
                  .post(
                      "/api/layouts/" + salesId + "/revisions/1/restore",
                      new JsonObject().put("version", 1))
                  .status())
          .isEqualTo(403);
    }
    assertThat(viewer.layout(salesId).getString("name")).isEqualTo("Sales wall");
    assertThat(admin.layout(salesId).getString("access")).isEqualTo("viewer");
  }

  @Test
  @Order(4)
  void anEditorClonesAProvisionedLayoutToChangeIt() {
    Reply cloned = gateway.as("erin").post("/api/layouts/" + salesId + "/clone", null);
    assertThat(cloned.status()).isEqualTo(201);
    cloneId = cloned.json().getString("id");
    assertThat(cloned.json().getString("owner")).isEqualTo("erin");
    assertThat(cloned.json().getJsonObject("forkedFrom").getString("layoutId")).isEqualTo(salesId);
    assertThat(
            gateway
                .as("erin")
                .put(
                    "/api/layouts/" + cloneId, new JsonObject().put("name", "Erin's wall"), "\"1\"")
                .status())
        .isEqualTo(200);
    assertThat(viewer.post("/api/layouts/" + salesId + "/clone", null).status())
        .as("a viewer may not")
        .isEqualTo(403);
  }

  @Test
  @Order(5)
  void aRestartKeepsTheSameLayoutsAndAChangedFileIsANewVersion() throws IOException {
    gateway.restart(config -> config);
    assertThat(provisioned(viewer)).hasSize(2);
    assertThat(viewer.layout(salesId).getInteger("version"))
        .as("unchanged file, unchanged layout")
        .isEqualTo(1);

    Files.writeString(
        folder.resolve("sales-wall.json"),
        document("Sales wall", "sales-table", "sales-kpis").encode());
    gateway.restart(config -> config);
    JsonObject sales = viewer.layout(salesId);
    assertThat(sales.getInteger("version")).isEqualTo(2);
    assertThat(sales.getJsonArray("widgets")).containsExactly("sales-table", "sales-kpis");
    JsonObject revision =
        viewer
            .get("/api/layouts/" + salesId + "/revisions")
            .json()
            .getJsonArray("revisions")
            .getJsonObject(0);
    assertThat(revision.getString("action")).isEqualTo("provision");
    assertThat(revision.getString("savedBy")).isEqualTo("provisioned");
    assertThat(
            gateway
                .as("erin")
                .get("/api/layouts/" + cloneId + "/upstream")
                .json()
                .getInteger("behind"))
        .isEqualTo(1);
  }

  @Test
  @Order(6)
  void aFileThatBreaksKeepsItsLastGoodVersionAndARemovedFileRemovesItsLayout() throws IOException {
    Files.writeString(folder.resolve("sales-wall.json"), "{ broken");
    Files.delete(folder.resolve("kpis.json"));
    gateway.restart(config -> config);

    assertThat(viewer.layout(salesId).getInteger("version")).isEqualTo(2);
    assertThat(provisioned(viewer).stream().map(l -> l.getString("name")).toList())
        .containsExactly("Sales wall");
    JsonObject upstream = gateway.as("erin").get("/api/layouts/" + cloneId + "/upstream").json();
    assertThat(upstream.getJsonObject("upstream").getBoolean("available")).isTrue();
    assertThat(gateway.as("erin").layout(cloneId).getString("name"))
        .as("clones are the users' own")
        .isEqualTo("Erin's wall");
  }
}
