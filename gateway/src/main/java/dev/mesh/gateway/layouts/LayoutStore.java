package dev.mesh.gateway.layouts;

import dev.mesh.gateway.identity.Identity;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Layouts, revisions and shares in PostgreSQL. Every operation is one transaction that reads the
 * layout, checks the caller's {@link Grant}, and writes; a save writes the layout and its revision
 * together, and changes a layout only at the version the change was based on ({@code UPDATE ...
 * WHERE id = $1 AND version = $2}), so two editors can never overwrite each other. A {@link
 * LayoutRefusal} thrown anywhere rolls the transaction back.
 */
final class LayoutStore {

  /** Who a layout provisioned from a file is saved by. */
  static final String PROVISIONER = "provisioned";

  private static final String T_LAYOUTS = LayoutSchema.SCHEMA + ".layouts";
  private static final String T_REVISIONS = LayoutSchema.SCHEMA + ".layout_revisions";
  private static final String T_SHARES = LayoutSchema.SCHEMA + ".layout_shares";
  private static final String SUMMARY_COLUMNS =
      "l.id, l.name, l.description, l.owner, l.version, l.created_at, "
          + "l.updated_at, l.updated_by, l.widgets, l.forked_from_id, l.forked_from_revision, l.forked_from_name, l.provisioned_file";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Which layouts a listing shows. */
  enum Scope {
    ALL,
    MINE,
    SHARED
  }

  /** What a save changes; null fields keep their value. */
  record Change(String name, String description, JsonObject content) {}

  /** A layout to create: new, cloned or imported. */
  record Draft(
      String name,
      String description,
      JsonObject content,
      Layout.ForkedFrom forkedFrom,
      String action) {}

  /**
   * The version a change was based on, as the caller sent it (If-Match or body); null when absent.
   */
  record Expected(Integer version) {}

  private final Pool pool;

  LayoutStore(Pool pool) {
    this.pool = pool;
  }

  // ---- reading

  Future<List<JsonObject>> list(Identity who, Scope scope) {
    String sharedRank =
        "(SELECT max(CASE s.role WHEN 'editor' THEN 2 ELSE 1 END) FROM "
            + T_SHARES
            + " s "
            + "WHERE s.layout_id = l.id AND ((s.kind = 'user' AND s.name = $1) OR (s.kind = 'group' AND s.name = ANY($2))))";
    String where =
        switch (scope) {
          case MINE -> "owner = $1";
          case SHARED -> "owner IS DISTINCT FROM $1 AND shared_rank IS NOT NULL";
          case ALL -> "owner = $1 OR shared_rank IS NOT NULL OR provisioned_file IS NOT NULL OR $3";
        };
    String sql =
        "SELECT * FROM (SELECT "
            + SUMMARY_COLUMNS
            + ", "
            + sharedRank
            + " AS shared_rank FROM "
            + T_LAYOUTS
            + " l) x "
            + "WHERE "
            + where
            + " ORDER BY updated_at DESC, id";
    Tuple params =
        Tuple.tuple().addString(who.user()).addArrayOfString(who.groups().toArray(String[]::new));
    if (scope == Scope.ALL) {
      params.addBoolean(who.isAdmin());
    }
    return pool.preparedQuery(sql)
        .execute(params)
        .map(
            rows -> {
              List<JsonObject> layouts = new ArrayList<>();
              for (Row row : rows) {
                Layout layout = layout(row, false, List.of(), null);
                Integer rank = row.getInteger("shared_rank");
                Access sharedAs = rank == null ? null : rank == 2 ? Access.EDITOR : Access.VIEWER;
                layouts.add(layout.toJson(Grant.listed(layout, who, sharedAs), false));
              }
              return layouts;
            });
  }

  Future<JsonObject> get(UUID id, Identity who, String link) {
    return pool.withConnection(
        c -> visible(c, id, who, link, false).map(seen -> seen.layout.toJson(seen.grant, true)));
  }

  Future<JsonObject> sharing(UUID id, Identity who, String link) {
    return pool.withConnection(
        c ->
            visible(c, id, who, link, false)
                .map(
                    seen -> {
                      seen.grant.requireManage(seen.layout, "see whom it is shared with");
                      return seen.layout.sharingJson();
                    }));
  }

  Future<JsonArray> revisions(UUID id, Identity who, String link) {
    return pool.withConnection(
        c -> visible(c, id, who, link, false).compose(seen -> revisionSummaries(c, id, 0)));
  }

  Future<JsonObject> revision(UUID id, int revision, Identity who, String link) {
    return pool.withConnection(
        c ->
            visible(c, id, who, link, false)
                .compose(seen -> revisionRow(c, seen.layout, revision))
                .map(
                    row ->
                        revisionSummary(row)
                            .put("description", row.getString("description"))
                            .put("content", row.getJsonObject("content"))));
  }

  /** What the original of a clone changed since the clone was made or last pulled. */
  Future<JsonObject> upstream(UUID id, Identity who, String link) {
    return pool.withConnection(
        c ->
            visible(c, id, who, link, false)
                .compose(
                    seen -> {
                      Layout.ForkedFrom fork = seen.layout.forkedFrom();
                      if (fork == null) {
                        throw LayoutRefusal.notFound(
                            "This layout is not a clone: it has no original to compare with");
                      }
                      JsonObject answer = new JsonObject().put("forkedFrom", fork.toJson());
                      return original(c, fork, who)
                          .compose(
                              original -> {
                                if (original == null) {
                                  return Future.succeededFuture(
                                      answer
                                          .put("upstream", new JsonObject().put("available", false))
                                          .put("behind", 0)
                                          .put("revisions", new JsonArray())
                                          .put("changes", changes(List.of(), List.of(), false)));
                                }
                                return c.preparedQuery(
                                        "SELECT name, content FROM "
                                            + T_REVISIONS
                                            + " WHERE layout_id = $1 AND revision = $2")
                                    .execute(Tuple.of(original.id(), fork.revision()))
                                    .compose(
                                        base ->
                                            revisionSummaries(c, original.id(), fork.revision())
                                                .map(
                                                    since -> {
                                                      Row at =
                                                          base.iterator().hasNext()
                                                              ? base.iterator().next()
                                                              : null;
                                                      List<String> before =
                                                          at == null
                                                              ? List.of()
                                                              : LayoutContent.widgets(
                                                                  at.getJsonObject("content"));
                                                      List<String> now = original.widgets();
                                                      return answer
                                                          .put(
                                                              "upstream",
                                                              new JsonObject()
                                                                  .put("available", true)
                                                                  .put("name", original.name())
                                                                  .put(
                                                                      "version",
                                                                      original.version()))
                                                          .put(
                                                              "behind",
                                                              Math.max(
                                                                  0,
                                                                  original.version()
                                                                      - fork.revision()))
                                                          .put("revisions", since)
                                                          .put(
                                                              "changes",
                                                              changes(
                                                                  minus(now, before),
                                                                  minus(before, now),
                                                                  at != null
                                                                      && !at.getString("name")
                                                                          .equals(
                                                                              original.name())));
                                                    }));
                              });
                    }));
  }

  Future<JsonObject> export(UUID id, Identity who, String link) {
    return pool.withConnection(
        c ->
            visible(c, id, who, link, false)
                .map(
                    seen ->
                        new JsonObject()
                            .put("format", "mesh-layout")
                            .put("formatVersion", 1)
                            .put("name", seen.layout.name())
                            .put("description", seen.layout.description())
                            .put("content", seen.layout.content())
                            .put("exportedAt", java.time.Instant.now().toString())
                            .put(
                                "source",
                                new JsonObject()
                                    .put("id", seen.layout.id().toString())
                                    .put("version", seen.layout.version()))));
  }

  // ---- writing

  /** A new layout of the caller at version 1 (created, cloned or imported). */
  Future<JsonObject> create(Identity who, Draft draft) {
    requireCreator(who, draft.action());
    return pool.withTransaction(
        c ->
            insert(c, UUID.randomUUID(), who.user(), who.user(), null, draft)
                .compose(id -> visible(c, id, who, null, false))
                .map(seen -> seen.layout.toJson(seen.grant, true)));
  }

  /** A copy of a layout the caller can see, remembering the original and its version. */
  Future<JsonObject> copy(UUID id, Identity who, String link, String name) {
    return pool.withTransaction(
        c ->
            visible(c, id, who, link, false)
                .compose(
                    seen -> {
                      requireCreator(who, "clone");
                      Layout source = seen.layout;
                      Draft draft =
                          new Draft(
                              name != null ? name : LayoutContent.copyName(source.name()),
                              source.description(),
                              source.content(),
                              new Layout.ForkedFrom(source.id(), source.version(), source.name()),
                              "clone");
                      return insert(c, UUID.randomUUID(), who.user(), who.user(), null, draft);
                    })
                .compose(copyId -> visible(c, copyId, who, null, false))
                .map(seen -> seen.layout.toJson(seen.grant, true)));
  }

  Future<JsonObject> update(UUID id, Identity who, String link, Expected expected, Change change) {
    return pool.withTransaction(
        c ->
            editable(c, id, who, link, expected)
                .compose(seen -> save(c, seen, who, change, null, "update")));
  }

  /** Saves revision {@code n}'s name, description and content as the newest version. */
  Future<JsonObject> restore(UUID id, int n, Identity who, String link, Expected expected) {
    return pool.withTransaction(
        c ->
            editable(c, id, who, link, expected)
                .compose(
                    seen ->
                        revisionRow(c, seen.layout, n)
                            .compose(
                                row ->
                                    save(
                                        c,
                                        seen,
                                        who,
                                        new Change(
                                            row.getString("name"),
                                            row.getString("description"),
                                            row.getJsonObject("content")),
                                        null,
                                        "restore"))));
  }

  /** Takes the original's newest content into a clone. */
  Future<JsonObject> pull(UUID id, Identity who, String link, Expected expected) {
    return pool.withTransaction(
        c ->
            editable(c, id, who, link, expected)
                .compose(
                    seen -> {
                      Layout.ForkedFrom fork = seen.layout.forkedFrom();
                      if (fork == null) {
                        throw LayoutRefusal.notFound(
                            "This layout is not a clone: there is no original to pull from");
                      }
                      return original(c, fork, who)
                          .compose(
                              original -> {
                                if (original == null) {
                                  throw LayoutRefusal.notFound(
                                      "The original of this layout ("
                                          + fork.name()
                                          + ") is gone or no longer shared with you");
                                }
                                return save(
                                    c,
                                    seen,
                                    who,
                                    new Change(null, null, original.content()),
                                    new Layout.ForkedFrom(
                                        original.id(), original.version(), original.name()),
                                    "pull");
                              });
                    }));
  }

  Future<Void> delete(UUID id, Identity who, String link, Expected expected) {
    return pool.withTransaction(
        c ->
            visible(c, id, who, link, true)
                .compose(
                    seen -> {
                      seen.grant.requireManage(seen.layout, "delete it");
                      requireCurrent(seen, expected);
                      return c.preparedQuery("DELETE FROM " + T_LAYOUTS + " WHERE id = $1")
                          .execute(Tuple.of(id))
                          .mapEmpty();
                    }));
  }

  /**
   * Replaces the shares ({@code shares} null: kept) and sets the link: {@code link} null turns it
   * off, {@code {role}} turns it on or changes its role; {@code resetLink} draws a new token.
   */
  Future<JsonObject> share(
      UUID id,
      Identity who,
      String link,
      List<Layout.Share> shares,
      boolean linkGiven,
      Access linkRole,
      boolean resetLink) {
    return pool.withTransaction(
        c ->
            visible(c, id, who, link, true)
                .compose(
                    seen -> {
                      seen.grant.requireManage(seen.layout, "share it");
                      Future<?> done = Future.succeededFuture();
                      if (shares != null) {
                        done =
                            c.preparedQuery(
                                    "DELETE FROM "
                                        + T_SHARES
                                        + " WHERE layout_id = $1 AND kind <> 'link'")
                                .execute(Tuple.of(id))
                                .compose(
                                    v ->
                                        shares.isEmpty()
                                            ? Future.succeededFuture()
                                            : c.preparedQuery(
                                                    "INSERT INTO "
                                                        + T_SHARES
                                                        + " (layout_id, kind, name, role) VALUES ($1, $2, $3, $4)")
                                                .executeBatch(
                                                    shares.stream()
                                                        .map(
                                                            s ->
                                                                Tuple.of(
                                                                    id,
                                                                    s.kind(),
                                                                    s.name(),
                                                                    s.role().json()))
                                                        .toList()));
                      }
                      Layout.Link current = seen.layout.link();
                      if (linkGiven && linkRole == null) {
                        done =
                            done.compose(
                                v ->
                                    c.preparedQuery(
                                            "DELETE FROM "
                                                + T_SHARES
                                                + " WHERE layout_id = $1 AND kind = 'link'")
                                        .execute(Tuple.of(id)));
                      } else if (linkGiven || resetLink) {
                        Access role =
                            linkRole != null ? linkRole : current != null ? current.role() : null;
                        if (role == null) {
                          throw LayoutRefusal.badRequest(
                              "The layout has no link to reset: turn it on with \"link\": {\"role\": \"viewer\"}");
                        }
                        String token = current == null || resetLink ? newToken() : current.token();
                        done =
                            done.compose(
                                v ->
                                    c.preparedQuery(
                                            "INSERT INTO "
                                                + T_SHARES
                                                + " (layout_id, kind, token, role) "
                                                + "VALUES ($1, 'link', $2, $3) ON CONFLICT (layout_id) WHERE kind = 'link' DO UPDATE SET token = $2, role = $3")
                                        .execute(Tuple.of(id, token, role.json())));
                      }
                      return done.compose(v -> visible(c, id, who, null, false))
                          .map(after -> after.layout.sharingJson());
                    }));
  }

  // ---- the steps the operations share

  /** A layout with the caller's grant. */
  private record Seen(Layout layout, Grant grant) {}

  /** The layout and the caller's grant; 404 when it does not exist or the caller may not see it. */
  private Future<Seen> visible(SqlConnection c, UUID id, Identity who, String link, boolean lock) {
    return read(c, id, lock)
        .map(
            layout -> {
              Grant grant = layout == null ? null : Grant.of(layout, who, link);
              if (grant == null) {
                throw LayoutRefusal.notFound("No layout " + id + " (or it is not shared with you)");
              }
              return new Seen(layout, grant);
            });
  }

  /** Visible, editable by the caller, and at the version the change was based on. */
  private Future<Seen> editable(
      SqlConnection c, UUID id, Identity who, String link, Expected expected) {
    return visible(c, id, who, link, false)
        .map(
            seen -> {
              seen.grant.requireEdit();
              if (expected.version() == null) {
                throw LayoutRefusal.versionRequired(
                    "Saving needs the version your change is based on, so that nobody's "
                        + "edit is overwritten: send If-Match: \""
                        + seen.layout.version()
                        + "\" or \"version\": "
                        + seen.layout.version()
                        + " if you edited version "
                        + seen.layout.version());
              }
              requireCurrent(seen, expected);
              return seen;
            });
  }

  private static void requireCurrent(Seen seen, Expected expected) {
    if (expected.version() != null && expected.version() != seen.layout.version()) {
      throw stale(seen, expected.version());
    }
  }

  private static LayoutRefusal stale(Seen seen, int basedOn) {
    Layout current = seen.layout;
    return LayoutRefusal.stale(
        current.updatedBy()
            + " saved version "
            + current.version()
            + " of \""
            + current.name()
            + "\" at "
            + current.updatedAt().toInstant()
            + "; your change was based on version "
            + basedOn
            + ". Nothing was saved: reload the layout, or save yours as a copy.",
        current.toJson(seen.grant, true));
  }

  /** Writes the next version and its revision, only if nobody saved in between. */
  private Future<JsonObject> save(
      SqlConnection c,
      Seen seen,
      Identity who,
      Change change,
      Layout.ForkedFrom pulled,
      String action) {
    Layout before = seen.layout;
    String name = change.name() != null ? change.name() : before.name();
    String description = change.description() != null ? change.description() : before.description();
    JsonObject content = change.content() != null ? change.content() : before.content();
    Layout.ForkedFrom fork = pulled != null ? pulled : before.forkedFrom();
    return c.preparedQuery(
            "UPDATE "
                + T_LAYOUTS
                + " SET name = $3, description = $4, content = $5, widgets = $6, "
                + "version = version + 1, updated_at = now(), updated_by = $7, forked_from_revision = $8, forked_from_name = $9 "
                + "WHERE id = $1 AND version = $2 RETURNING version")
        .execute(
            Tuple.from(
                new Object[] {
                  before.id(),
                  before.version(),
                  name,
                  description,
                  content,
                  LayoutContent.widgets(content).toArray(String[]::new),
                  who.user(),
                  fork == null ? null : fork.revision(),
                  fork == null ? null : fork.name()
                }))
        .compose(
            rows -> {
              if (rows.rowCount() == 0) {
                // saved by someone else since it was read: answer with what is there now
                return read(c, before.id(), false)
                    .<Void>map(
                        now -> {
                          if (now == null) {
                            throw LayoutRefusal.notFound(
                                "Layout " + before.id() + " was deleted while you were editing it");
                          }
                          throw stale(new Seen(now, seen.grant), before.version());
                        });
              }
              int version = rows.iterator().next().getInteger("version");
              return insertRevision(
                  c, before.id(), version, who.user(), action, name, description, content);
            })
        .compose(v -> read(c, before.id(), false))
        .map(after -> after.toJson(seen.grant, true));
  }

  private static Future<UUID> insert(
      SqlConnection c, UUID id, String owner, String savedBy, String file, Draft draft) {
    Layout.ForkedFrom fork = draft.forkedFrom();
    return c.preparedQuery(
            "INSERT INTO "
                + T_LAYOUTS
                + " (id, name, description, owner, version, content, widgets, "
                + "updated_by, forked_from_id, forked_from_revision, forked_from_name, provisioned_file) "
                + "VALUES ($1, $2, $3, $4, 1, $5, $6, $7, $8, $9, $10, $11)")
        .execute(
            Tuple.from(
                new Object[] {
                  id,
                  draft.name(),
                  draft.description(),
                  owner,
                  draft.content(),
                  LayoutContent.widgets(draft.content()).toArray(String[]::new),
                  savedBy,
                  fork == null ? null : fork.layoutId(),
                  fork == null ? null : fork.revision(),
                  fork == null ? null : fork.name(),
                  file
                }))
        .compose(
            v ->
                insertRevision(
                    c,
                    id,
                    1,
                    savedBy,
                    draft.action(),
                    draft.name(),
                    draft.description(),
                    draft.content()))
        .map(id);
  }

  private static Future<Void> insertRevision(
      SqlConnection c,
      UUID id,
      int revision,
      String savedBy,
      String action,
      String name,
      String description,
      JsonObject content) {
    return c.preparedQuery(
            "INSERT INTO "
                + T_REVISIONS
                + " (layout_id, revision, saved_at, saved_by, action, name, description, content) "
                + "VALUES ($1, $2, now(), $3, $4, $5, $6, $7)")
        .execute(Tuple.of(id, revision, savedBy, action, name, description, content))
        .mapEmpty();
  }

  /** The layout with its content and sharing, or null. {@code lock}: until the transaction ends. */
  private static Future<Layout> read(SqlConnection c, UUID id, boolean lock) {
    return c.preparedQuery(
            "SELECT "
                + SUMMARY_COLUMNS
                + ", l.content FROM "
                + T_LAYOUTS
                + " l WHERE l.id = $1"
                + (lock ? " FOR UPDATE" : ""))
        .execute(Tuple.of(id))
        .compose(
            rows -> {
              if (!rows.iterator().hasNext()) {
                return Future.succeededFuture(null);
              }
              Row row = rows.iterator().next();
              return c.preparedQuery(
                      "SELECT kind, name, token, role FROM "
                          + T_SHARES
                          + " WHERE layout_id = $1 ORDER BY kind, name")
                  .execute(Tuple.of(id))
                  .map(
                      shares -> {
                        List<Layout.Share> list = new ArrayList<>();
                        Layout.Link link = null;
                        for (Row share : shares) {
                          Access role = Access.valueOf(share.getString("role").toUpperCase());
                          if ("link".equals(share.getString("kind"))) {
                            link = new Layout.Link(role, share.getString("token"));
                          } else {
                            list.add(
                                new Layout.Share(
                                    share.getString("kind"), share.getString("name"), role));
                          }
                        }
                        return layout(row, true, list, link);
                      });
            });
  }

  /**
   * The original of a clone as the caller may see it now (their own rights, not the clone's link),
   * or null.
   */
  private static Future<Layout> original(SqlConnection c, Layout.ForkedFrom fork, Identity who) {
    return read(c, fork.layoutId(), false)
        .map(
            original ->
                original != null && Grant.of(original, who, null) != null ? original : null);
  }

  private static Future<Row> revisionRow(SqlConnection c, Layout layout, int revision) {
    return c.preparedQuery(
            "SELECT revision, saved_at, saved_by, action, name, description, content FROM "
                + T_REVISIONS
                + " WHERE layout_id = $1 AND revision = $2")
        .execute(Tuple.of(layout.id(), revision))
        .map(
            rows -> {
              if (!rows.iterator().hasNext()) {
                throw LayoutRefusal.notFound(
                    "Layout \""
                        + layout.name()
                        + "\" has no revision "
                        + revision
                        + "; its revisions are 1 to "
                        + layout.version());
              }
              return rows.iterator().next();
            });
  }

  /** Revisions after {@code after}, newest first. */
  private static Future<JsonArray> revisionSummaries(SqlConnection c, UUID id, int after) {
    return c.preparedQuery(
            "SELECT revision, saved_at, saved_by, action, name FROM "
                + T_REVISIONS
                + " WHERE layout_id = $1 AND revision > $2 ORDER BY revision DESC")
        .execute(Tuple.of(id, after))
        .map(
            rows -> {
              JsonArray revisions = new JsonArray();
              rows.forEach(row -> revisions.add(revisionSummary(row)));
              return revisions;
            });
  }

  private static JsonObject revisionSummary(Row row) {
    return new JsonObject()
        .put("revision", row.getInteger("revision"))
        .put("savedAt", row.getOffsetDateTime("saved_at").toInstant().toString())
        .put("savedBy", row.getString("saved_by"))
        .put("action", row.getString("action"))
        .put("name", row.getString("name"));
  }

  private static Layout layout(
      Row row, boolean withContent, List<Layout.Share> shares, Layout.Link link) {
    UUID forkedFrom = row.getUUID("forked_from_id");
    return new Layout(
        row.getUUID("id"),
        row.getString("name"),
        row.getString("description"),
        row.getString("owner"),
        row.getInteger("version"),
        row.getOffsetDateTime("created_at"),
        row.getOffsetDateTime("updated_at"),
        row.getString("updated_by"),
        withContent ? row.getJsonObject("content") : null,
        List.of(row.getArrayOfStrings("widgets")),
        forkedFrom == null
            ? null
            : new Layout.ForkedFrom(
                forkedFrom,
                row.getInteger("forked_from_revision"),
                row.getString("forked_from_name")),
        row.getString("provisioned_file"),
        shares,
        link);
  }

  private static void requireCreator(Identity who, String action) {
    if (!who.mayCreate()) {
      throw LayoutRefusal.forbidden(
          "You ("
              + who.user()
              + ") have the viewer role: viewers may open layouts shared "
              + "with them but not "
              + switch (action) {
                case "clone" -> "clone them";
                case "import" -> "import layouts";
                default -> "create layouts";
              }
              + "; ask an admin for the editor role");
    }
  }

  private static JsonObject changes(List<String> added, List<String> removed, boolean renamed) {
    return new JsonObject()
        .put("widgetsAdded", new JsonArray(added))
        .put("widgetsRemoved", new JsonArray(removed))
        .put("renamed", renamed);
  }

  private static List<String> minus(List<String> from, List<String> taken) {
    Set<String> gone = new HashSet<>(taken);
    return from.stream().filter(w -> !gone.contains(w)).toList();
  }

  /** 256 random bits, URL safe. */
  static String newToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  // ---- provisioning

  /** One layout file: its name and export document (already checked against the contract). */
  record ProvisionedFile(String file, String name, String description, JsonObject content) {}

  /**
   * Makes the provisioned layouts what the files say: new files are added, changed ones saved as a
   * new version, unchanged ones left alone, and layouts whose file is no longer in the folder
   * removed ({@code present} names every file found, readable or not: a broken file keeps its last
   * good version). Several gateways starting at once take turns (advisory lock).
   */
  Future<List<String>> provision(List<ProvisionedFile> files, Set<String> present) {
    return pool.withTransaction(
        c ->
            c.query("SELECT pg_advisory_xact_lock(hashtext('mesh.layouts.provisioning'))")
                .execute()
                .compose(
                    v -> {
                      List<String> report = new ArrayList<>();
                      Future<?> done = Future.succeededFuture();
                      for (ProvisionedFile file : files) {
                        done =
                            done.compose(x -> provisionOne(c, file))
                                .map(
                                    what -> {
                                      if (what != null) {
                                        report.add(file.file() + ": " + what);
                                      }
                                      return null;
                                    });
                      }
                      return done.compose(
                              x ->
                                  c.preparedQuery(
                                          "DELETE FROM "
                                              + T_LAYOUTS
                                              + " WHERE provisioned_file IS NOT NULL AND NOT (provisioned_file = ANY($1)) RETURNING provisioned_file")
                                      .execute(
                                          Tuple.tuple()
                                              .addArrayOfString(present.toArray(String[]::new))))
                          .map(
                              removed -> {
                                removed.forEach(
                                    row ->
                                        report.add(
                                            row.getString("provisioned_file")
                                                + ": removed (no such file any more)"));
                                return report;
                              });
                    }));
  }

  /** What happened to one file's layout, or null when it was already up to date. */
  private static Future<String> provisionOne(SqlConnection c, ProvisionedFile file) {
    Draft draft = new Draft(file.name(), file.description(), file.content(), null, "provision");
    return c.preparedQuery("SELECT id FROM " + T_LAYOUTS + " WHERE provisioned_file = $1")
        .execute(Tuple.of(file.file()))
        .compose(
            rows -> {
              if (!rows.iterator().hasNext()) {
                return insert(c, UUID.randomUUID(), null, PROVISIONER, file.file(), draft)
                    .map(id -> "added as layout " + id);
              }
              UUID id = rows.iterator().next().getUUID("id");
              return c.preparedQuery(
                      "UPDATE "
                          + T_LAYOUTS
                          + " SET name = $2, description = $3, content = $4, widgets = $5, "
                          + "version = version + 1, updated_at = now(), updated_by = $6 "
                          + "WHERE id = $1 AND (name, description, content) IS DISTINCT FROM ($2, $3, $4::jsonb) RETURNING version")
                  .execute(
                      Tuple.of(
                          id,
                          file.name(),
                          file.description(),
                          file.content(),
                          LayoutContent.widgets(file.content()).toArray(String[]::new),
                          PROVISIONER))
                  .compose(
                      (RowSet<Row> updated) -> {
                        if (updated.rowCount() == 0) {
                          return Future.succeededFuture((String) null);
                        }
                        int version = updated.iterator().next().getInteger("version");
                        return insertRevision(
                                c,
                                id,
                                version,
                                PROVISIONER,
                                "provision",
                                file.name(),
                                file.description(),
                                file.content())
                            .map("updated to version " + version);
                      });
            });
  }
}
