package dev.mesh.widgethost;

import io.vertx.core.json.JsonObject;

/**
 * A folder that is not served, with the file at fault and what is wrong, as an author needs to read
 * it.
 */
record SkippedFolder(String folder, String file, String problem) {

  JsonObject describe() {
    return new JsonObject().put("folder", folder).put("file", file).put("problem", problem);
  }

  @Override
  public String toString() {
    return file + ": " + problem;
  }
}
