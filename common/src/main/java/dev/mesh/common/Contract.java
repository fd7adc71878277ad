package dev.mesh.common;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A JSON Schema kept as a file under {@code contracts/}, used as it is by the code that accepts
 * documents and by the tests that check them.
 */
public final class Contract {

  public static final String WIDGET_MANIFEST = "contracts/widget-manifest.schema.json";
  public static final String REGISTRY_V1_REGISTER = "contracts/registry-v1-register.schema.json";

  private final JsonObject schema;
  private final Validator validator;

  private Contract(JsonObject schema) {
    this.schema = schema;
    this.validator =
        Validator.create(
            JsonSchema.of(schema),
            new JsonSchemaOptions()
                .setDraft(Draft.DRAFT202012)
                .setBaseUri("https://mesh.dev/")
                .setOutputFormat(OutputFormat.Basic));
  }

  public static Contract load(String resource) {
    try (InputStream in = Contract.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("No contract " + resource + " on the classpath");
      }
      return new Contract(new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public JsonObject schema() {
    return schema.copy();
  }

  /**
   * What is wrong with a document, one entry per problem: {@code {"field": "/emits/0/topic",
   * "problem": "..."}}, deepest fields first. Empty when the document is valid.
   *
   * <p>The validator also reports every enclosing object ("/emits does not match schema") and,
   * beside the reason a field failed, generic echoes of it ("does not match schema", "A subschema
   * had errors"); those are left out, so each entry says what to fix.
   */
  public JsonArray problems(Object document) {
    return problems(validator.validate(document));
  }

  /**
   * Like {@link #problems(Object)}, for the result of another validator in the Basic output format
   * (such as the one vertx-openapi runs on request bodies).
   */
  public static JsonArray problems(OutputUnit result) {
    JsonArray problems = new JsonArray();
    if (Boolean.TRUE.equals(result.getValid())) {
      return problems;
    }
    Map<String, Set<String>> byField = new LinkedHashMap<>();
    if (result.getErrors() != null) {
      for (OutputUnit error : result.getErrors()) {
        if (error.getError() != null) {
          byField
              .computeIfAbsent(field(error.getInstanceLocation()), f -> new LinkedHashSet<>())
              .add(error.getError());
        }
      }
    }
    List<String> fields = new ArrayList<>(byField.keySet());
    fields.removeIf(field -> fields.stream().anyMatch(other -> encloses(field, other)));
    fields.sort(Comparator.comparingInt((String f) -> f.split("/").length).reversed());
    for (String field : fields) {
      Set<String> messages = byField.get(field);
      if (messages.size() > 1) {
        Set<String> specific = new LinkedHashSet<>(messages);
        specific.removeIf(Contract::isEcho);
        if (!specific.isEmpty()) {
          messages = specific;
        }
      }
      messages.forEach(m -> problems.add(new JsonObject().put("field", field).put("problem", m)));
    }
    if (problems.isEmpty()) {
      problems.add(
          new JsonObject().put("field", "/").put("problem", String.valueOf(result.getError())));
    }
    return problems;
  }

  private static boolean isEcho(String message) {
    return message.contains("does not match schema")
        || message.contains("additional properties schema")
        || message.startsWith("A subschema had errors");
  }

  /** Whether {@code outer} is an object or array that holds {@code inner}. */
  private static boolean encloses(String outer, String inner) {
    return !outer.equals(inner) && (outer.equals("/") || inner.startsWith(outer + "/"));
  }

  private static String field(String instanceLocation) {
    if (instanceLocation == null || instanceLocation.isEmpty() || instanceLocation.equals("#")) {
      return "/";
    }
    return instanceLocation.startsWith("#") ? instanceLocation.substring(1) : instanceLocation;
  }

  /**
   * Every problem, field first, for a message: "/module: String does not match pattern; /version:
   * ...".
   */
  public static String describe(JsonArray problems) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < problems.size() && i < 10; i++) {
      JsonObject problem = problems.getJsonObject(i);
      text.append(i == 0 ? "" : "; ")
          .append(problem.getString("field"))
          .append(": ")
          .append(problem.getString("problem"));
    }
    return problems.size() > 10
        ? text + " (and " + (problems.size() - 10) + " more)"
        : text.toString();
  }
}
