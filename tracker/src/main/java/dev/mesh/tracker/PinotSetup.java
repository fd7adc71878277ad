package dev.mesh.tracker;

import dev.mesh.common.MeshConfig;
import dev.mesh.common.Setting;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.kafka.admin.KafkaAdminClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code TrackerMain pinot-setup}: makes the hits topic, then the Pinot schema and real-time table
 * of {@code pinot/hits-schema.json} and {@code pinot/hits-table.json} (named {@code
 * MESH_PINOT_TABLE}, consuming {@code MESH_TRACKER_TOPIC} from {@code MESH_KAFKA_BOOTSTRAP}) in the
 * controller at {@code MESH_PINOT_CONTROLLER_URL}, when they are missing. What exists is never
 * changed: a schema or table that differs from ours is reported field by field and left alone.
 * Idempotent, so a Kubernetes Job may run it on every install and upgrade.
 *
 * <p>Exit code 0 when the table exists at the end, 1 otherwise (with the reason), 2 for bad
 * settings.
 */
final class PinotSetup {

  static final String SCHEMA = "pinot/hits-schema.json";
  static final String TABLE = "pinot/hits-table.json";

  /**
   * How long a controller (or Kafka) that is not up yet is waited for: a Job starts with the
   * release it sets up.
   */
  static final Duration WAIT = Duration.ofMinutes(3);

  private static final long RETRY_MS = 2000;
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final Vertx vertx;
  private final MeshConfig settings;
  private final PrintStream out;
  private final WebClient client;
  private final String controller;
  private final String table;
  private final long deadline;

  private PinotSetup(Vertx vertx, MeshConfig settings, PrintStream out) {
    this.vertx = vertx;
    this.settings = settings;
    this.out = out;
    this.client =
        WebClient.create(vertx, new WebClientOptions().setUserAgent("mesh-tracker-pinot-setup"));
    String url = settings.string(Setting.PINOT_CONTROLLER_URL);
    this.controller = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    this.table = settings.string(Setting.PINOT_TABLE);
    this.deadline = System.nanoTime() + WAIT.toNanos();
  }

  /** Runs the set-up on a Vert.x of its own (no cluster) and answers the process's exit code. */
  static int run(MeshConfig settings, PrintStream out) {
    try {
      PinotSql.table(settings.string(Setting.PINOT_TABLE));
      KafkaClients.bootstrap(settings);
    } catch (IllegalArgumentException e) {
      out.println("pinot-setup: bad setting: " + e.getMessage());
      return 2;
    }
    Vertx vertx = Vertx.vertx();
    try {
      PinotSetup setup = new PinotSetup(vertx, settings, out);
      return setup
          .topic()
          .compose(v -> setup.controllerUp())
          .compose(v -> setup.schema())
          .compose(v -> setup.table())
          .map(v -> 0)
          .recover(
              failure -> {
                out.println("pinot-setup: FAILED: " + failure.getMessage());
                return Future.succeededFuture(1);
              })
          .toCompletionStage()
          .toCompletableFuture()
          .get(WAIT.plus(REQUEST_TIMEOUT.multipliedBy(4)).toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      out.println("pinot-setup: FAILED: " + e);
      return 1;
    } finally {
      vertx
          .close()
          .toCompletionStage()
          .toCompletableFuture()
          .orTimeout(10, TimeUnit.SECONDS)
          .exceptionally(e -> null)
          .join();
    }
  }

  /**
   * The hits topic, made as the tracker would make it, so that the table can be created before the
   * first hit.
   */
  private Future<Void> topic() {
    String name = settings.string(Setting.TRACKER_TOPIC);
    KafkaAdminClient admin =
        KafkaAdminClient.create(vertx, KafkaClients.admin(settings, "mesh-tracker-pinot-setup"));
    HitTopic topic = new HitTopic(admin, name, settings.positive(Setting.TRACKER_TOPIC_PARTITIONS));
    return retry("Kafka at " + settings.string(Setting.KAFKA_BOOTSTRAP), topic::ensure)
        .onSuccess(v -> out.println("pinot-setup: Kafka topic " + name + " is there"))
        .eventually(() -> admin.close());
  }

  private Future<Void> controllerUp() {
    return retry(
        "the Pinot controller at " + controller,
        () ->
            client
                .getAbs(controller + "/health")
                .timeout(REQUEST_TIMEOUT.toMillis())
                .send()
                .compose(
                    response ->
                        response.statusCode() == 200
                            ? Future.<Void>succeededFuture()
                            : Future.failedFuture("/health answered " + response.statusCode())));
  }

  private Future<Void> schema() {
    JsonObject wanted = desiredSchema(table);
    return client
        .getAbs(controller + "/schemas/" + table)
        .timeout(REQUEST_TIMEOUT.toMillis())
        .send()
        .compose(
            found -> {
              if (found.statusCode() == 200) {
                report("schema " + table, differences("", wanted, found.bodyAsJsonObject()));
                return Future.succeededFuture();
              }
              if (found.statusCode() != 404) {
                return Future.failedFuture(answer("reading schema " + table, found));
              }
              return client
                  .postAbs(controller + "/schemas")
                  .timeout(REQUEST_TIMEOUT.toMillis())
                  .sendJsonObject(wanted)
                  .compose(
                      created ->
                          created.statusCode() / 100 == 2
                              ? Future.<Void>succeededFuture()
                                  .onSuccess(
                                      v -> out.println("pinot-setup: created schema " + table))
                              : Future.failedFuture(answer("creating schema " + table, created)));
            });
  }

  private Future<Void> table() {
    JsonObject wanted =
        desiredTable(
            table,
            settings.string(Setting.KAFKA_BOOTSTRAP),
            settings.string(Setting.TRACKER_TOPIC));
    return realtimeTable()
        .compose(
            found -> {
              if (found != null) {
                report("table " + table, tableDifferences(wanted, found));
                return Future.succeededFuture();
              }
              return client
                  .postAbs(controller + "/tables")
                  .timeout(REQUEST_TIMEOUT.toMillis())
                  .sendJsonObject(wanted)
                  .compose(
                      created -> {
                        if (created.statusCode() / 100 == 2) {
                          out.println(
                              "pinot-setup: created real-time table "
                                  + table
                                  + " consuming "
                                  + settings.string(Setting.TRACKER_TOPIC)
                                  + " from "
                                  + settings.string(Setting.KAFKA_BOOTSTRAP));
                          return Future.succeededFuture();
                        }
                        if (created.statusCode() == 409) {
                          // made meanwhile by another run: as good as found
                          return realtimeTable()
                              .map(
                                  now -> {
                                    report(
                                        "table " + table,
                                        now == null ? List.of() : tableDifferences(wanted, now));
                                    return null;
                                  });
                        }
                        return Future.failedFuture(answer("creating table " + table, created));
                      });
            })
        .compose(v -> realtimeTable())
        .compose(
            exists ->
                exists != null
                    ? Future.succeededFuture()
                    : Future.failedFuture("table " + table + " is still missing after the set-up"));
  }

  /** The REALTIME config of the table, or null when there is none. */
  private Future<JsonObject> realtimeTable() {
    return client
        .getAbs(controller + "/tables/" + table)
        .addQueryParam("type", "realtime")
        .timeout(REQUEST_TIMEOUT.toMillis())
        .send()
        .compose(
            found ->
                found.statusCode() == 200
                    ? Future.succeededFuture(found.bodyAsJsonObject().getJsonObject("REALTIME"))
                    : found.statusCode() == 404
                        ? Future.succeededFuture(null)
                        : Future.failedFuture(answer("reading table " + table, found)));
  }

  private void report(String what, List<String> differences) {
    if (differences.isEmpty()) {
      out.println("pinot-setup: " + what + " is already there, as the tracker's");
    } else {
      out.println(
          "pinot-setup: WARNING: "
              + what
              + " is already there but differs from the tracker's ("
              + String.join("; ", differences)
              + "); it was left unchanged: change it in Pinot, or delete it and run pinot-setup again");
    }
  }

  private <T> Future<T> retry(String what, java.util.function.Supplier<Future<T>> attempt) {
    Promise<T> done = Promise.promise();
    tryOnce(what, attempt, done, true);
    return done.future();
  }

  private <T> void tryOnce(
      String what, java.util.function.Supplier<Future<T>> attempt, Promise<T> done, boolean first) {
    attempt
        .get()
        .onComplete(
            result -> {
              if (result.succeeded()) {
                done.complete(result.result());
              } else if (System.nanoTime() - deadline > 0) {
                done.fail(
                    what
                        + " did not answer within "
                        + WAIT.toSeconds()
                        + " s (last: "
                        + result.cause().getMessage()
                        + ")");
              } else {
                if (first) {
                  out.println(
                      "pinot-setup: waiting for "
                          + what
                          + " ("
                          + result.cause().getMessage()
                          + ")");
                }
                vertx.setTimer(RETRY_MS, id -> tryOnce(what, attempt, done, false));
              }
            });
  }

  private static String answer(String doing, HttpResponse<Buffer> response) {
    String body = response.bodyAsString();
    return "the controller answered "
        + response.statusCode()
        + " when "
        + doing
        + ": "
        + (body == null ? "" : body.strip());
  }

  static JsonObject desiredSchema(String table) {
    return resource(SCHEMA).put("schemaName", table);
  }

  /** The table file with the table's name and the stream's brokers and topic from the settings. */
  static JsonObject desiredTable(String table, String bootstrap, String topic) {
    JsonObject config = resource(TABLE).put("tableName", table);
    config.getJsonObject("segmentsConfig").put("schemaName", table);
    config
        .getJsonObject("tableIndexConfig")
        .getJsonObject("streamConfigs")
        .put("stream.kafka.broker.list", bootstrap)
        .put("stream.kafka.topic.name", topic);
    return config;
  }

  /**
   * Pinot answers the table's name with its type ({@code mesh_hits_REALTIME}); the rest is compared
   * as is.
   */
  private static List<String> tableDifferences(JsonObject wanted, JsonObject found) {
    JsonObject compared = wanted.copy();
    compared.remove("tableName");
    return differences("", compared, found);
  }

  /**
   * Where {@code found} disagrees with {@code wanted}, by path; keys that only {@code found} has
   * (Pinot adds its defaults) are not differences. Lists of named objects (schema fields) are
   * matched by name.
   */
  static List<String> differences(String path, Object wanted, Object found) {
    List<String> differences = new ArrayList<>();
    if (wanted instanceof JsonObject object) {
      if (!(found instanceof JsonObject foundObject)) {
        differences.add(where(path) + ": expected an object, found " + found);
        return differences;
      }
      for (String key : object.fieldNames()) {
        String at = path.isEmpty() ? key : path + "." + key;
        if (!foundObject.containsKey(key)) {
          differences.add(at + ": expected " + object.getValue(key) + ", missing");
        } else {
          differences.addAll(differences(at, object.getValue(key), foundObject.getValue(key)));
        }
      }
    } else if (wanted instanceof JsonArray array && named(array)) {
      Map<String, Object> foundByName =
          found instanceof JsonArray foundArray && named(foundArray)
              ? byName(foundArray)
              : Map.of();
      byName(array)
          .forEach(
              (name, field) -> {
                String at = path + "[" + name + "]";
                if (!foundByName.containsKey(name)) {
                  differences.add(at + ": missing");
                } else {
                  differences.addAll(differences(at, field, foundByName.get(name)));
                }
              });
    } else if (!String.valueOf(wanted).equals(String.valueOf(found))) {
      differences.add(where(path) + ": expected " + wanted + ", found " + found);
    }
    return differences;
  }

  private static String where(String path) {
    return path.isEmpty() ? "(whole)" : path;
  }

  private static boolean named(JsonArray array) {
    return !array.isEmpty()
        && array.stream()
            .allMatch(e -> e instanceof JsonObject o && o.getValue("name") instanceof String);
  }

  private static Map<String, Object> byName(JsonArray array) {
    Map<String, Object> byName = new LinkedHashMap<>();
    array.forEach(e -> byName.put(((JsonObject) e).getString("name"), e));
    return byName;
  }

  private static JsonObject resource(String path) {
    try (InputStream in = PinotSetup.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException(path + " is missing from the tracker's jar");
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
