package dev.mesh.gateway.layouts;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * A saved dashboard arrangement as stored: its current version, who may open it, and what it was
 * cloned from. {@code content} is null when only the summary was read; {@code owner} is null for a
 * layout provisioned from a file.
 */
record Layout(
    UUID id,
    String name,
    String description,
    String owner,
    int version,
    OffsetDateTime createdAt,
    OffsetDateTime updatedAt,
    String updatedBy,
    JsonObject content,
    List<String> widgets,
    ForkedFrom forkedFrom,
    String provisionedFile,
    List<Share> shares,
    Link link) {

  /** What a provisioned layout shows as its owner. */
  static final String PROVISIONED_OWNER = "provisioned";

  /** The original of a clone, at the version the clone was made from or last pulled. */
  record ForkedFrom(UUID layoutId, int revision, String name) {
    JsonObject toJson() {
      return new JsonObject()
          .put("layoutId", layoutId.toString())
          .put("revision", revision)
          .put("name", name);
    }
  }

  /** Shared with a user or a group ({@code kind}), as viewer or editor. */
  record Share(String kind, String name, Access role) {
    JsonObject toJson() {
      return new JsonObject().put("kind", kind).put("name", name).put("role", role.json());
    }
  }

  /** Anyone with the token gets the role. */
  record Link(Access role, String token) {
    JsonObject toJson() {
      return new JsonObject().put("role", role.json()).put("token", token);
    }
  }

  boolean provisioned() {
    return provisionedFile != null;
  }

  Layout withSharing(List<Share> shares, Link link) {
    return new Layout(
        id,
        name,
        description,
        owner,
        version,
        createdAt,
        updatedAt,
        updatedBy,
        content,
        widgets,
        forkedFrom,
        provisionedFile,
        List.copyOf(shares),
        link);
  }

  /**
   * The layout as the caller sees it: the summary, plus the content when {@code full}, plus shares
   * and link for those who manage them.
   */
  JsonObject toJson(Grant grant, boolean full) {
    JsonObject json =
        new JsonObject()
            .put("id", id.toString())
            .put("name", name)
            .put("description", description)
            .put("owner", owner == null ? PROVISIONED_OWNER : owner)
            .put("version", version)
            .put("createdAt", createdAt.toInstant().toString())
            .put("updatedAt", updatedAt.toInstant().toString())
            .put("updatedBy", updatedBy)
            .put("widgets", new JsonArray(widgets))
            .put("forkedFrom", forkedFrom == null ? null : forkedFrom.toJson())
            .put("provisioned", provisioned())
            .put("access", grant.access().json());
    if (full) {
      json.put("content", content);
      if (grant.access().mayManage()) {
        json.put("shares", new JsonArray(shares.stream().map(Share::toJson).toList()));
        json.put("link", link == null ? null : link.toJson());
      }
    }
    return json;
  }

  /** The answer of {@code GET /shares}. */
  JsonObject sharingJson() {
    return new JsonObject()
        .put("shares", new JsonArray(shares.stream().map(Share::toJson).toList()))
        .put("link", link == null ? null : link.toJson());
  }
}
