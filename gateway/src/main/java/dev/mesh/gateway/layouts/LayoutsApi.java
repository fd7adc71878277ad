package dev.mesh.gateway.layouts;

import dev.mesh.common.Databases;
import dev.mesh.common.HttpErrors;
import dev.mesh.common.MeshConfig;
import dev.mesh.common.Setting;
import dev.mesh.gateway.Schemas;
import dev.mesh.gateway.doors.AccessRule;
import dev.mesh.gateway.doors.Concern;
import dev.mesh.gateway.doors.Door;
import dev.mesh.gateway.identity.Identities;
import dev.mesh.gateway.identity.Identity;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.SecurityPolicyHandler;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /api/layouts}: the HTTP side of layouts, as described in {@code openapi/layouts.yaml} and
 * docs/layouts.md. Each route answers 503 while there is no database (none configured, or its
 * schema not migrated yet), then reads and checks the body against the contract, and hands over to
 * the {@link LayoutStore}; the caller's identity is on the request by then, put there by the check
 * the gateway's route table makes at each door.
 */
public final class LayoutsApi implements Concern {

  private static final System.Logger LOG = System.getLogger(LayoutsApi.class.getName());
  private static final Pattern IF_MATCH = Pattern.compile("^\\s*(?:W/)?\"?([0-9]{1,9})\"?\\s*$");
  private static final long FIRST_RETRY_MS = 2000;
  private static final long LAST_RETRY_MS = 60_000;
  private static final long OUTAGE_LOG_INTERVAL_NS = 10_000_000_000L;

  private final Vertx vertx;
  private final MeshConfig settings;
  private final LayoutStore store;
  private final int maxBytes;
  private final List<Door> doors;
  private final Promise<LayoutRequests> contract = Promise.promise();
  private volatile boolean ready;
  private volatile long lastOutageLog = System.nanoTime() - OUTAGE_LOG_INTERVAL_NS;
  private volatile String notReady = "their database schema is being prepared";

  private LayoutsApi(Vertx vertx, MeshConfig settings, Pool database) {
    this.vertx = vertx;
    this.settings = settings;
    this.store = database == null ? null : new LayoutStore(database);
    this.maxBytes = settings.positive(Setting.LAYOUT_MAX_BYTES);
    this.doors = makeDoors();
  }

  /**
   * The layouts API on {@code database}, or, when there is none (null), doors that explain that
   * layouts need one. The gateway serves its doors once {@link #start()} is done.
   */
  public static LayoutsApi on(Vertx vertx, MeshConfig settings, Pool database) {
    return new LayoutsApi(vertx, settings, database);
  }

  /**
   * Loads the contract, then creates or upgrades the schema and provisions the layout files. A
   * database that cannot be reached does not stop the gateway: layouts answer 503 and the schema is
   * tried again, less and less often, until it works.
   */
  @Override
  public Future<Void> start() {
    return LayoutRequests.load(vertx)
        .onComplete(contract)
        .compose(
            requests -> {
              if (store == null) {
                return Future.succeededFuture();
              }
              return prepare(requests)
                  .recover(
                      failure -> {
                        Schemas.retry(
                            vertx, () -> prepare(requests), FIRST_RETRY_MS, LAST_RETRY_MS);
                        return Future.succeededFuture();
                      });
            });
  }

  private Future<Void> prepare(LayoutRequests requests) {
    return LayoutSchema.migrate(vertx, settings)
        .compose(
            migrated ->
                settings.isSet(Setting.LAYOUTS_DIR)
                    ? LayoutProvisioning.run(
                        vertx,
                        Path.of(settings.string(Setting.LAYOUTS_DIR)),
                        maxBytes,
                        requests,
                        store)
                    : Future.<Void>succeededFuture())
        .onSuccess(v -> ready = true)
        .onFailure(
            failure -> {
              notReady =
                  "their database cannot be reached or prepared yet (the gateway's log says why)";
              LOG.log(
                  System.Logger.Level.WARNING,
                  "Layouts are unavailable until their database schema can be prepared: "
                      + failure.getMessage());
            });
  }

  @Override
  public String name() {
    return "layouts";
  }

  /**
   * The doors of {@code /api/layouts}: each answers 503 until {@link #start()} has prepared the
   * database, then reads (where it takes one) and checks the body, then answers. Creating and
   * importing need the editor role; everything else any signed-in caller, whose access to the
   * layout itself {@link Grant} decides (and cloning the editor role too, once the layout is found
   * visible, so that a layout the caller cannot see stays a 404).
   */
  @Override
  public List<Door> doors() {
    return doors;
  }

  private List<Door> makeDoors() {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(maxBytes);
    AccessRule signedIn = AccessRule.SIGNED_IN;
    AccessRule editor = AccessRule.EDITOR;
    return List.of(
        door(HttpMethod.GET, "/api/layouts", signedIn, "listLayouts", null, this::list),
        door(HttpMethod.POST, "/api/layouts", editor, "createLayout", body, this::create),
        door(
            HttpMethod.POST,
            "/api/layouts/import",
            editor,
            "importLayout",
            body,
            this::importLayout),
        door(HttpMethod.GET, "/api/layouts/:id", signedIn, "getLayout", null, this::get),
        door(HttpMethod.PUT, "/api/layouts/:id", signedIn, "updateLayout", body, this::update),
        door(HttpMethod.DELETE, "/api/layouts/:id", signedIn, "deleteLayout", null, this::delete),
        // a viewer may not clone either, but a layout they cannot see must stay a 404, as on every
        // URL of it: the store checks the role once it has found the layout visible
        door(HttpMethod.POST, "/api/layouts/:id/clone", signedIn, "cloneLayout", body, this::copy),
        door(
            HttpMethod.GET,
            "/api/layouts/:id/revisions",
            signedIn,
            "listRevisions",
            null,
            this::revisions),
        door(
            HttpMethod.GET,
            "/api/layouts/:id/revisions/:n",
            signedIn,
            "getRevision",
            null,
            this::revision),
        door(
            HttpMethod.POST,
            "/api/layouts/:id/revisions/:n/restore",
            signedIn,
            "restoreRevision",
            body,
            this::restore),
        door(
            HttpMethod.GET,
            "/api/layouts/:id/upstream",
            signedIn,
            "getUpstream",
            null,
            this::upstream),
        door(HttpMethod.POST, "/api/layouts/:id/pull", signedIn, "pullUpstream", body, this::pull),
        door(HttpMethod.GET, "/api/layouts/:id/shares", signedIn, "getShares", null, this::sharing),
        door(HttpMethod.PUT, "/api/layouts/:id/shares", signedIn, "putShares", body, this::share),
        door(
            HttpMethod.GET,
            "/api/layouts/:id/export",
            signedIn,
            "exportLayout",
            null,
            this::export));
  }

  private Door door(
      HttpMethod method,
      String path,
      AccessRule access,
      String operationId,
      BodyHandler body,
      Handler<RoutingContext> handler) {
    String what =
        switch (operationId) {
          case "importLayout" -> "an export document";
          case "putShares" -> "the shares";
          case "cloneLayout" -> "the copy's name";
          case "restoreRevision", "pullUpstream" -> "the version";
          default -> "the layout";
        };
    // Vert.x Web runs security-policy handlers (the door's check first, then this one) before the
    // body is read, user handlers after
    Door door = Door.on(method, path, access).through((SecurityPolicyHandler) this::available);
    if (body != null) {
      door = door.through(body);
    }
    return door.through(ctx -> checked(ctx, operationId, what), handler).onFailure(this::failed);
  }

  private void checked(RoutingContext ctx, String operationId, String what) {
    // the contract is loaded before the server listens; the future is only here to keep mount()
    // synchronous
    contract.future().result().check(operationId, what).handle(ctx);
  }

  private void available(RoutingContext ctx) {
    if (store == null) {
      HttpErrors.send(
          ctx,
          503,
          "Layouts need a database, and this gateway has none: set "
              + Setting.DATABASE_URL.key()
              + " (the all-in-one starts an embedded PostgreSQL by itself)");
    } else if (!ready) {
      ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "5");
      HttpErrors.send(
          ctx, 503, "Layouts are not available yet: " + notReady + "; try again in a moment");
    } else {
      ctx.next();
    }
  }

  // ---- the operations

  private void list(RoutingContext ctx) {
    LayoutStore.Scope scope =
        LayoutStore.Scope.valueOf(
            ctx.queryParams().get("scope") == null
                ? "ALL"
                : ctx.queryParams().get("scope").toUpperCase(Locale.ROOT));
    reply(
        ctx,
        store
            .list(Identity.of(ctx), scope)
            .map(layouts -> new JsonObject().put("layouts", new JsonArray(layouts))),
        200);
  }

  private void create(RoutingContext ctx) {
    JsonObject body = LayoutRequests.body(ctx);
    LayoutStore.Draft draft =
        new LayoutStore.Draft(
            LayoutContent.name(body.getString("name"), "/name"),
            body.getString("description", ""),
            body.getJsonObject("content"),
            null,
            "create");
    created(ctx, store.create(Identity.of(ctx), draft));
  }

  private void importLayout(RoutingContext ctx) {
    JsonObject document = LayoutRequests.body(ctx);
    LayoutStore.Draft draft =
        new LayoutStore.Draft(
            LayoutContent.name(document.getString("name"), "/name"),
            document.getString("description", ""),
            document.getJsonObject("content"),
            null,
            "import");
    created(ctx, store.create(Identity.of(ctx), draft));
  }

  private void get(RoutingContext ctx) {
    reply(ctx, store.get(id(ctx), Identity.of(ctx), link(ctx)), 200);
  }

  private void update(RoutingContext ctx) {
    JsonObject body = LayoutRequests.body(ctx);
    String name = body.getString("name");
    LayoutStore.Change change =
        new LayoutStore.Change(
            name == null ? null : LayoutContent.name(name, "/name"),
            body.getString("description"),
            body.getJsonObject("content"));
    reply(
        ctx, store.update(id(ctx), Identity.of(ctx), link(ctx), expected(ctx, body), change), 200);
  }

  private void delete(RoutingContext ctx) {
    store
        .delete(id(ctx), Identity.of(ctx), link(ctx), expected(ctx, null))
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(failure -> fail(ctx, failure));
  }

  private void copy(RoutingContext ctx) {
    JsonObject body = LayoutRequests.body(ctx);
    String name =
        body == null || body.getString("name") == null
            ? null
            : LayoutContent.name(body.getString("name"), "/name");
    created(ctx, store.copy(id(ctx), Identity.of(ctx), link(ctx), name));
  }

  private void revisions(RoutingContext ctx) {
    reply(
        ctx,
        store
            .revisions(id(ctx), Identity.of(ctx), link(ctx))
            .map(list -> new JsonObject().put("revisions", list)),
        200);
  }

  private void revision(RoutingContext ctx) {
    reply(ctx, store.revision(id(ctx), revisionNumber(ctx), Identity.of(ctx), link(ctx)), 200);
  }

  private void restore(RoutingContext ctx) {
    reply(
        ctx,
        store.restore(
            id(ctx),
            revisionNumber(ctx),
            Identity.of(ctx),
            link(ctx),
            expected(ctx, LayoutRequests.body(ctx))),
        200);
  }

  private void upstream(RoutingContext ctx) {
    reply(ctx, store.upstream(id(ctx), Identity.of(ctx), link(ctx)), 200);
  }

  private void pull(RoutingContext ctx) {
    reply(
        ctx,
        store.pull(id(ctx), Identity.of(ctx), link(ctx), expected(ctx, LayoutRequests.body(ctx))),
        200);
  }

  private void sharing(RoutingContext ctx) {
    reply(ctx, store.sharing(id(ctx), Identity.of(ctx), link(ctx)), 200);
  }

  private void share(RoutingContext ctx) {
    JsonObject body = LayoutRequests.body(ctx);
    List<Layout.Share> shares = shares(body.getJsonArray("shares"));
    boolean linkGiven = body.containsKey("link");
    JsonObject link = body.getJsonObject("link");
    Access role =
        link == null ? null : Access.valueOf(link.getString("role").toUpperCase(Locale.ROOT));
    boolean reset =
        body.getBoolean("resetToken", false)
            || (link != null && link.getBoolean("resetToken", false));
    reply(
        ctx,
        store.share(id(ctx), Identity.of(ctx), link(ctx), shares, linkGiven, role, reset),
        200);
  }

  private void export(RoutingContext ctx) {
    store
        .export(id(ctx), Identity.of(ctx), link(ctx))
        .onSuccess(
            document ->
                ctx.response()
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                    .putHeader(
                        "Content-Disposition",
                        "attachment; filename=\"" + fileName(document.getString("name")) + "\"")
                    .end(document.encodePrettily()))
        .onFailure(failure -> fail(ctx, failure));
  }

  // ---- reading requests

  private static UUID id(RoutingContext ctx) {
    return UUID.fromString(ctx.pathParam("id"));
  }

  private static int revisionNumber(RoutingContext ctx) {
    return Integer.parseInt(ctx.pathParam("n"));
  }

  private static String link(RoutingContext ctx) {
    return ctx.queryParams().get("link");
  }

  /**
   * The version the change is based on, from If-Match or the body's {@code version}; they must
   * agree.
   */
  private static LayoutStore.Expected expected(RoutingContext ctx, JsonObject body) {
    String header = ctx.request().getHeader(HttpHeaders.IF_MATCH);
    Integer fromBody = body == null ? null : body.getInteger("version");
    Integer fromHeader = null;
    if (header != null && !header.isBlank()) {
      Matcher matcher = IF_MATCH.matcher(header);
      if (!matcher.matches()) {
        throw LayoutRefusal.badRequest(
            "If-Match must name one version, as the ETag gave it: \"3\"; got "
                + header
                + (header.trim().equals("*")
                    ? " (a save must say which version it changes, so * is not accepted)"
                    : ""));
      }
      fromHeader = Integer.parseInt(matcher.group(1));
    }
    if (fromHeader != null && fromBody != null && !fromHeader.equals(fromBody)) {
      throw LayoutRefusal.badRequest(
          "If-Match names version " + fromHeader + " but the body's version is " + fromBody);
    }
    return new LayoutStore.Expected(fromHeader != null ? fromHeader : fromBody);
  }

  private static List<Layout.Share> shares(JsonArray list) {
    if (list == null) {
      return null;
    }
    List<Layout.Share> shares = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      JsonObject share = list.getJsonObject(i);
      String name = share.getString("name").strip();
      String problem = Identities.problem(name);
      if (problem != null) {
        throw LayoutRefusal.badField("/shares/" + i + "/name", problem);
      }
      if (!seen.add(share.getString("kind") + ":" + name)) {
        throw LayoutRefusal.badField(
            "/shares/" + i, "the " + share.getString("kind") + " " + name + " is listed twice");
      }
      shares.add(
          new Layout.Share(
              share.getString("kind"),
              name,
              Access.valueOf(share.getString("role").toUpperCase(Locale.ROOT))));
    }
    return shares;
  }

  private static String fileName(String name) {
    String slug =
        name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
    return (slug.isEmpty() ? "layout" : slug.length() > 60 ? slug.substring(0, 60) : slug)
        + ".json";
  }

  // ---- answering

  private void created(RoutingContext ctx, Future<JsonObject> layout) {
    layout
        .onSuccess(
            created ->
                ctx.response()
                    .putHeader(HttpHeaders.LOCATION, "/api/layouts/" + created.getString("id"))
                    .putHeader(HttpHeaders.ETAG, etag(created))
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                    .setStatusCode(201)
                    .end(created.encode()))
        .onFailure(failure -> fail(ctx, failure));
  }

  private void reply(RoutingContext ctx, Future<JsonObject> answer, int status) {
    answer
        .onSuccess(
            json -> {
              if (json.getValue("version") instanceof Integer && json.containsKey("id")) {
                ctx.response().putHeader(HttpHeaders.ETAG, etag(json));
              }
              ctx.response()
                  .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                  .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                  .setStatusCode(status)
                  .end(json.encode());
            })
        .onFailure(failure -> fail(ctx, failure));
  }

  private static String etag(JsonObject layout) {
    return "\"" + layout.getInteger("version") + "\"";
  }

  private void fail(RoutingContext ctx, Throwable failure) {
    if (failure instanceof LayoutRefusal refusal) {
      if (!ctx.response().headWritten()) {
        ctx.response()
            .setStatusCode(refusal.status())
            .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
            .end(refusal.toJson().encode());
      }
    } else if (Databases.unreachable(failure)) {
      long now = System.nanoTime();
      if (now - lastOutageLog > OUTAGE_LOG_INTERVAL_NS) {
        // one line per interval, not one per request, while the database is away
        lastOutageLog = now;
        LOG.log(System.Logger.Level.WARNING, "Layouts database unreachable: " + failure);
      }
      ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "5");
      HttpErrors.send(
          ctx,
          503,
          "The layouts database cannot be reached right now; nothing was changed, try again in a moment");
    } else {
      ctx.fail(failure);
    }
  }

  /** Refusals thrown while reading a request, and bodies over the limit, on any layouts route. */
  private void failed(RoutingContext ctx) {
    if (ctx.failure() instanceof LayoutRefusal refusal) {
      fail(ctx, refusal);
    } else if (ctx.statusCode() == 413) {
      HttpErrors.send(
          ctx,
          413,
          "The request body is larger than the limit of "
              + maxBytes
              + " bytes ("
              + Setting.LAYOUT_MAX_BYTES.key()
              + "); nothing was saved");
    } else {
      ctx.next();
    }
  }
}
