package dev.mesh.gateway.layouts;

import dev.mesh.common.Databases;
import dev.mesh.common.HttpErrors;
import dev.mesh.common.MeshConfig;
import dev.mesh.common.Setting;
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
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.PlatformHandler;
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
 * schema not migrated yet), then takes the caller's identity, reads and checks the body against the
 * contract, and hands over to the {@link LayoutStore}.
 */
public final class LayoutsApi {

  private static final System.Logger LOG = System.getLogger(LayoutsApi.class.getName());
  private static final Pattern IF_MATCH = Pattern.compile("^\\s*(?:W/)?\"?([0-9]{1,9})\"?\\s*$");
  private static final long FIRST_RETRY_MS = 2000;
  private static final long LAST_RETRY_MS = 60_000;
  private static final long OUTAGE_LOG_INTERVAL_NS = 10_000_000_000L;

  private final Vertx vertx;
  private final MeshConfig settings;
  private final LayoutStore store;
  private final Identities identities;
  private final int maxBytes;
  private final Promise<LayoutRequests> contract = Promise.promise();
  private volatile boolean ready;
  private volatile long lastOutageLog = System.nanoTime() - OUTAGE_LOG_INTERVAL_NS;
  private volatile String notReady = "their database schema is being prepared";

  private LayoutsApi(Vertx vertx, MeshConfig settings, Pool database, Identities identities) {
    this.vertx = vertx;
    this.settings = settings;
    this.store = database == null ? null : new LayoutStore(database);
    this.identities = identities;
    this.maxBytes = settings.positive(Setting.LAYOUT_MAX_BYTES);
  }

  /**
   * The layouts API on {@code database}, or, when there is none (null), routes that explain that
   * layouts need one. Call {@link #start()} after mounting it.
   */
  public static LayoutsApi on(
      Vertx vertx, MeshConfig settings, Pool database, Identities identities) {
    return new LayoutsApi(vertx, settings, database, identities);
  }

  /**
   * Loads the contract, then creates or upgrades the schema and provisions the layout files. A
   * database that cannot be reached does not stop the gateway: layouts answer 503 and the schema is
   * tried again, less and less often, until it works.
   */
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
                        retry(requests, FIRST_RETRY_MS);
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

  private void retry(LayoutRequests requests, long delayMs) {
    vertx.setTimer(
        delayMs,
        id ->
            prepare(requests)
                .onFailure(again -> retry(requests, Math.min(delayMs * 2, LAST_RETRY_MS))));
  }

  /**
   * Routes of {@code /api/layouts}; they answer 503 until {@link #start()} has prepared the
   * database.
   */
  public void mount(Router router) {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(maxBytes);
    router.route("/api/layouts*").failureHandler(this::failed);
    on(router, HttpMethod.GET, "/api/layouts", "listLayouts", null, this::list);
    on(router, HttpMethod.POST, "/api/layouts", "createLayout", body, this::create);
    on(router, HttpMethod.POST, "/api/layouts/import", "importLayout", body, this::importLayout);
    on(router, HttpMethod.GET, "/api/layouts/:id", "getLayout", null, this::get);
    on(router, HttpMethod.PUT, "/api/layouts/:id", "updateLayout", body, this::update);
    on(router, HttpMethod.DELETE, "/api/layouts/:id", "deleteLayout", null, this::delete);
    on(router, HttpMethod.POST, "/api/layouts/:id/clone", "cloneLayout", body, this::copy);
    on(
        router,
        HttpMethod.GET,
        "/api/layouts/:id/revisions",
        "listRevisions",
        null,
        this::revisions);
    on(
        router,
        HttpMethod.GET,
        "/api/layouts/:id/revisions/:n",
        "getRevision",
        null,
        this::revision);
    on(
        router,
        HttpMethod.POST,
        "/api/layouts/:id/revisions/:n/restore",
        "restoreRevision",
        body,
        this::restore);
    on(router, HttpMethod.GET, "/api/layouts/:id/upstream", "getUpstream", null, this::upstream);
    on(router, HttpMethod.POST, "/api/layouts/:id/pull", "pullUpstream", body, this::pull);
    on(router, HttpMethod.GET, "/api/layouts/:id/shares", "getShares", null, this::sharing);
    on(router, HttpMethod.PUT, "/api/layouts/:id/shares", "putShares", body, this::share);
    on(router, HttpMethod.GET, "/api/layouts/:id/export", "exportLayout", null, this::export);
  }

  private void on(
      Router router,
      HttpMethod method,
      String path,
      String operationId,
      BodyHandler body,
      Handler<RoutingContext> handler) {
    // Vert.x Web runs platform and security-policy handlers before the body is read, user handlers
    // after
    Route route =
        router
            .route(method, path)
            .handler((PlatformHandler) this::available)
            .handler(identities.required());
    if (body != null) {
      route.handler(body);
    }
    String what =
        switch (operationId) {
          case "importLayout" -> "an export document";
          case "putShares" -> "the shares";
          case "cloneLayout" -> "the copy's name";
          case "restoreRevision", "pullUpstream" -> "the version";
          default -> "the layout";
        };
    route.handler(ctx -> checked(ctx, operationId, what)).handler(handler);
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
