package dev.mesh.common;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A typed, immutable view of the {@link Setting}s: defaults, then the optional JSON file named by
 * {@code MESH_CONFIG_FILE}, then environment variables. Verticles receive it as their deployment
 * config ({@link #toJson()}) and read it back with {@link #of(JsonObject)}.
 */
public final class MeshConfig {

  private final JsonObject values;

  private MeshConfig(JsonObject values) {
    this.values = values;
  }

  public static MeshConfig of(JsonObject values) {
    return new MeshConfig(values == null ? new JsonObject() : values.copy());
  }

  public static MeshConfig defaults() {
    return of(new JsonObject());
  }

  /**
   * Reads the file and the environment through vertx-config. Blocking: call it from a main, before
   * the clustered Vert.x exists (the cluster settings come from here).
   */
  public static MeshConfig load() {
    Vertx vertx = Vertx.vertx();
    try {
      ConfigRetrieverOptions options = new ConfigRetrieverOptions().setIncludeDefaultStores(false);
      String file = System.getenv(Setting.CONFIG_FILE.key());
      if (file != null && !file.isBlank()) {
        // a file the operator named must exist: not optional
        options.addStore(
            new ConfigStoreOptions()
                .setType("file")
                .setFormat("json")
                .setConfig(new JsonObject().put("path", file)));
      }
      JsonArray keys = new JsonArray();
      Arrays.stream(Setting.values()).forEach(s -> keys.add(s.key()));
      options.addStore(
          new ConfigStoreOptions()
              .setType("env")
              .setConfig(new JsonObject().put("raw-data", true).put("keys", keys)));
      JsonObject json =
          ConfigRetriever.create(vertx, options)
              .getConfig()
              .toCompletionStage()
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
      return of(json);
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IllegalStateException(
          "Cannot read the configuration: " + cause.getMessage(), cause);
    } finally {
      vertx.close();
    }
  }

  /** A copy with one setting replaced; the original is unchanged. */
  public MeshConfig with(Setting setting, Object value) {
    JsonObject copy = values.copy();
    copy.put(setting.key(), value == null ? null : String.valueOf(value));
    return new MeshConfig(copy);
  }

  public JsonObject toJson() {
    return values.copy();
  }

  public String string(Setting setting) {
    Object raw = values.getValue(setting.key());
    String value = raw == null ? setting.defaultValue() : String.valueOf(raw).trim();
    return value;
  }

  public boolean isSet(Setting setting) {
    return !string(setting).isEmpty();
  }

  /**
   * {@code true} or {@code false}, any case; anything else is refused rather than read as false.
   */
  public boolean flag(Setting setting) {
    String value = string(setting);
    if (value.equalsIgnoreCase("true")) {
      return true;
    }
    if (value.equalsIgnoreCase("false")) {
      return false;
    }
    throw invalid(setting, value, "true or false");
  }

  public int integer(Setting setting) {
    String value = string(setting);
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw invalid(setting, value, "an integer");
    }
  }

  public int positive(Setting setting) {
    int value = integer(setting);
    if (value <= 0) {
      throw invalid(setting, String.valueOf(value), "a positive integer");
    }
    return value;
  }

  public int port(Setting setting) {
    int value = integer(setting);
    if (value < 0 || value > 65535) {
      throw invalid(setting, String.valueOf(value), "a port number from 0 to 65535");
    }
    return value;
  }

  public Duration seconds(Setting setting) {
    return Duration.ofSeconds(positive(setting));
  }

  public Duration millis(Setting setting) {
    return Duration.ofMillis(positive(setting));
  }

  public List<String> list(Setting setting) {
    return Arrays.stream(string(setting).split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .toList();
  }

  public <E extends Enum<E>> E choice(Setting setting, Class<E> type) {
    String value = string(setting);
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equalsIgnoreCase(value)) {
        return constant;
      }
    }
    throw invalid(
        setting,
        value,
        "one of "
            + Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase()).toList());
  }

  private static IllegalArgumentException invalid(Setting setting, String value, String expected) {
    return new IllegalArgumentException(
        setting.key() + " must be " + expected + ", got '" + value + "'");
  }
}
