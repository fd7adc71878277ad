package dev.mesh.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ContractTest {

  private static final Contract MANIFEST = Contract.load(Contract.WIDGET_MANIFEST);

  static JsonObject manifest() {
    return new JsonObject()
        .put("id", "sales-table")
        .put("tag", "sales-table")
        .put("label", "Sales by region")
        .put("description", "Revenue per region; click a row to select it.")
        .put("module", "/w/sales-table/table.js")
        .put("css", "table.css")
        .put("version", "1.4.0-beta.1")
        .put("owner", "sales-analytics")
        .put("domain", "sales")
        .put("domainKind", "aggregate")
        .put("icon", "📊")
        .put(
            "attributes",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("name", "currency")
                        .put("type", "string")
                        .put("default", "EUR")))
        .put(
            "emits",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("topic", "row-selected")
                        .put(
                            "schema",
                            new JsonObject()
                                .put("type", "object")
                                .put("required", new JsonArray().add("region")))))
        .put("listens", new JsonArray())
        .put("x-team-channel", "#sales");
  }

  @Test
  void aFullManifestIsValid() {
    assertThat(MANIFEST.problems(manifest())).isEmpty();
  }

  @Test
  void problemsNameTheField() {
    assertThat(fields(manifest().put("label", ""))).contains("/label");
    assertThat(fields(manifest().put("domainKind", "mixed"))).contains("/domainKind");
    assertThat(fields(manifest().put("tag", "notag"))).contains("/tag");
    assertThat(fields(manifest().put("version", "latest"))).contains("/version");
    assertThat(fields(manifest().put("owner", "  "))).contains("/owner");
    assertThat(
            fields(
                manifest()
                    .put("emits", new JsonArray().add(new JsonObject().put("topic", "Bad Topic")))))
        .contains("/emits/0/topic");
  }

  @Test
  void theFirstProblemIsTheDeepestFieldNotItsEnclosingObject() {
    JsonArray problems =
        MANIFEST.problems(
            manifest()
                .put("emits", new JsonArray().add(new JsonObject().put("topic", "Bad Topic"))));
    assertThat(problems.getJsonObject(0).getString("field")).isEqualTo("/emits/0/topic");
    assertThat(problems.encode())
        .doesNotContain("\"field\":\"/emits\"")
        .doesNotContain("additional properties schema")
        .doesNotContain("does not match schema")
        .doesNotContain("subschema");
    assertThat(problems).hasSize(1);
  }

  @Test
  void scriptUrlsAreRefused() {
    assertThat(fields(manifest().put("module", "javascript:alert(1)"))).contains("/module");
    assertThat(fields(manifest().put("css", "data:text/css,body{}"))).contains("/css");
    assertThat(MANIFEST.problems(manifest().put("module", "https://cdn.example.com/w/table.js")))
        .isEmpty();
    assertThat(MANIFEST.problems(manifest().put("module", "path/to/component.js"))).isEmpty();
  }

  @Test
  void missingAndUnknownFieldsAreProblems() {
    JsonObject missing = manifest();
    missing.remove("owner");
    assertThat(MANIFEST.problems(missing).encode()).contains("owner");
    assertThat(MANIFEST.problems(manifest().put("labell", "typo")).encode()).contains("labell");
  }

  private static String fields(JsonObject document) {
    JsonArray problems = MANIFEST.problems(document);
    assertThat(problems).as("expected problems for " + document.encode()).isNotEmpty();
    return problems.stream().map(p -> ((JsonObject) p).getString("field")).toList().toString();
  }
}
