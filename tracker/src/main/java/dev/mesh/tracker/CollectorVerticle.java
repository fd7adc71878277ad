package dev.mesh.tracker;

import dev.mesh.common.Contract;
import dev.mesh.common.Databases;
import dev.mesh.common.Health;
import dev.mesh.common.HttpErrors;
import dev.mesh.common.JsonBodies;
import dev.mesh.common.MeshVerticle;
import dev.mesh.common.Setting;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * The collector, on the tracker's port (reached through the gateway): the pixel, the JSON beacon
 * and the tracking script. Whatever a pixel request holds, it is answered with the same 43-byte GIF
 * at once; accepted hits are handed to the {@link HitPublisherVerticle} on the local bus, never
 * waited for.
 */
public final class CollectorVerticle extends MeshVerticle {

  /**
   * Name of the tracker's HTTP endpoint record, which the gateway routes the collector's paths to.
   */
  public static final String SERVICE_NAME = "tracker";

  /** A transparent 1x1 GIF89a: the smallest image every browser accepts. */
  static final Buffer GIF =
      Buffer.buffer(
          new byte[] {
            'G',
            'I',
            'F',
            '8',
            '9',
            'a',
            1,
            0,
            1,
            0,
            (byte) 0x80,
            0,
            0,
            0,
            0,
            0,
            (byte) 0xff,
            (byte) 0xff,
            (byte) 0xff,
            0x21,
            (byte) 0xf9,
            4,
            1,
            0,
            0,
            0,
            0,
            0x2c,
            0,
            0,
            0,
            0,
            1,
            0,
            1,
            0,
            0,
            2,
            2,
            0x44,
            1,
            0,
            0x3b
          });

  static final String DROPPED_HEADER = "X-Mesh-Dropped";
  private static final long SALT_REFRESH_MS = 60_000;
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);
  private static final System.Logger LOG = System.getLogger(CollectorVerticle.class.getName());

  private final Clock clock;
  private Pool pool;
  private Salts salts;
  private Collector collector;
  private TrackerMetrics metrics;
  private int proxyHops;
  private Contract beaconContract;

  public CollectorVerticle() {
    this(Clock.systemUTC());
  }

  /** With the clock that stamps hits and picks the day's salt (tests move it across midnight). */
  CollectorVerticle(Clock clock) {
    this.clock = clock;
  }

  @Override
  protected Future<?> startService() {
    pool = Databases.pool(vertx, settings);
    salts = new Salts(pool, clock);
    collector =
        new Collector(
            new Sites(settings.list(Setting.TRACKER_SITES)),
            salts,
            settings.flag(Setting.TRACKER_HONOUR_DNT),
            clock);
    metrics = new TrackerMetrics(node.meterRegistry());
    Hit.useOn(vertx.eventBus());
    proxyHops = settings.positive(Setting.TRACKER_PROXY_HOPS);
    beaconContract = Contract.load(TrackerContracts.BEACON);
    int maxBeacon = settings.positive(Setting.TRACKER_MAX_BEACON_BYTES);

    // ready without the database: the day's salts are in memory and the pixel must keep answering
    Router router = router(maxBeacon, Health.of(vertx));
    String pixelPath = path(Setting.TRACKER_PIXEL_PATH);
    router.route(HttpMethod.GET, pixelPath).handler(this::pixel);
    router.route(HttpMethod.HEAD, pixelPath).handler(this::pixel);
    String beaconPath = path(Setting.TRACKER_BEACON_PATH);
    router.options(beaconPath).handler(this::preflight);
    router
        .post(beaconPath)
        .handler(BodyHandler.create(false).setBodyLimit(maxBeacon))
        .handler(this::beacon);
    router.get(path(Setting.TRACKER_SCRIPT_PATH)).handler(script(beaconPath));

    return TrackerSchema.migrate(vertx, settings)
        .compose(v -> salts.refresh())
        .onSuccess(v -> vertx.setPeriodic(SALT_REFRESH_MS, id -> refreshSalts()))
        .compose(v -> serve(router, Setting.TRACKER_PORT, SERVICE_NAME));
  }

  /**
   * Loads the salts again, on this verticle's event loop (every minute; tests call it after moving
   * the clock).
   */
  Future<Void> refreshSalts() {
    Promise<Void> refreshed = Promise.promise();
    context.runOnContext(
        v ->
            salts
                .refresh()
                .onFailure(
                    e ->
                        LOG.log(
                            System.Logger.Level.WARNING,
                            "Cannot refresh the visitor salts, will try again: " + e.getMessage()))
                .onComplete(refreshed));
    return refreshed.future();
  }

  private String path(Setting setting) {
    String path = settings.string(setting);
    if (!path.startsWith("/")
        || path.contains("?")
        || path.contains("#")
        || path.contains("*")
        || path.contains(":")) {
      throw new IllegalArgumentException(
          setting.key() + " must be a plain path starting with /, got '" + path + "'");
    }
    return path;
  }

  /**
   * Without compression: nothing the collector sends gains from it (a 43-byte GIF, {@code {}}, a
   * 1.8 KB script cached for an hour), and the compressor in the pipeline cost 9% of the event
   * loop's time per pixel in the profile (bench/profile-collector.sh, docs/benchmarks.md). Nor
   * WebSocket extensions: the collector has no WebSocket, and their handler looked at every
   * request.
   */
  @Override
  protected HttpServerOptions httpServerOptions() {
    return super.httpServerOptions()
        .setCompressionSupported(false)
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false);
  }

  /** Always the GIF, never an error: a broken pixel would show on the site owner's page. */
  private void pixel(RoutingContext ctx) {
    if (ctx.request().method() == HttpMethod.GET) {
      try {
        accept(collector.pixel(ctx.queryParams(), client(ctx)));
      } catch (RuntimeException e) {
        // e.g. a query string that does not decode: dropped and counted like any other bad input
        metrics.received(Collector.Outcome.INVALID);
      }
    }
    HttpServerResponse response = ctx.response();
    response
        .putHeader(HttpHeaders.CONTENT_TYPE, "image/gif")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store, max-age=0")
        // embeddable by pages that isolate themselves (COEP)
        .putHeader("Cross-Origin-Resource-Policy", "cross-origin")
        .putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(GIF.length()));
    if (ctx.request().method() == HttpMethod.HEAD) {
      response.end();
    } else {
      response.end(GIF);
    }
  }

  /**
   * Like Plausible's events API: 202 for an accepted hit and, with a header saying so, for one
   * dropped as a bot or by DNT; 400 with the reason for a beacon that is not one (or names an
   * unknown site).
   */
  private void beacon(RoutingContext ctx) {
    cors(ctx.response());
    JsonObject body = JsonBodies.object(ctx, "the beacon");
    if (body == null) {
      metrics.received(Collector.Outcome.INVALID);
      return;
    }
    if (!ContractFastPath.isPlainBeacon(body)) {
      JsonArray problems = beaconContract.problems(body);
      if (!problems.isEmpty()) {
        metrics.received(Collector.Outcome.INVALID);
        HttpErrors.send(ctx, 400, "Invalid beacon: " + Contract.describe(problems), problems);
        return;
      }
    }
    Collector.Result result = accept(collector.beacon(body, client(ctx)));
    switch (result.outcome()) {
      case ACCEPTED -> accepted(ctx, null);
      case BOT, DNT -> accepted(ctx, result.outcome().tag);
      case NO_SALT -> {
        ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "10");
        HttpErrors.send(
            ctx,
            503,
            "The tracker cannot count visitors right now ("
                + result.problem()
                + "); try again shortly");
      }
      default -> HttpErrors.send(ctx, 400, "Invalid beacon: " + result.problem());
    }
  }

  private static void accepted(RoutingContext ctx, String dropped) {
    if (dropped != null) {
      ctx.response().putHeader(DROPPED_HEADER, dropped);
    }
    ctx.response()
        .setStatusCode(202)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end("{}");
  }

  private void preflight(RoutingContext ctx) {
    cors(ctx.response())
        .putHeader("Access-Control-Allow-Methods", "POST")
        .putHeader("Access-Control-Allow-Headers", "Content-Type")
        .putHeader("Access-Control-Max-Age", "86400")
        .setStatusCode(204)
        .end();
  }

  /** Beacons come from the tracked sites' origins; they carry no credentials and read no answer. */
  private static HttpServerResponse cors(HttpServerResponse response) {
    return response.putHeader("Access-Control-Allow-Origin", "*");
  }

  private Collector.Result accept(Collector.Result result) {
    metrics.received(result.outcome());
    if (result.outcome() == Collector.Outcome.ACCEPTED) {
      vertx.eventBus().send(HitPublisherVerticle.HITS, result.hit(), LOCAL);
    }
    return result;
  }

  /**
   * The client's address: the {@code X-Forwarded-For} entry written by the outermost of the proxies
   * in front of us (counted from the end, since each proxy appends), so that what a client writes
   * into the header itself is never taken; the connection's address when no proxy wrote one.
   */
  private Collector.Client client(RoutingContext ctx) {
    SocketAddress peer = ctx.request().remoteAddress();
    String ip =
        clientAddress(
            ctx.request().getHeader("X-Forwarded-For"),
            proxyHops,
            peer == null ? "" : peer.hostAddress());
    return new Collector.Client(
        ip,
        ctx.request().getHeader(HttpHeaders.USER_AGENT),
        ctx.request().getHeader("DNT"),
        ctx.request().getHeader(HttpHeaders.REFERER));
  }

  static String clientAddress(String forwarded, int proxyHops, String peer) {
    if (forwarded == null) {
      return peer;
    }
    // counted from the end, skipping empty entries; the first entry when there are fewer than the
    // hops
    String[] entries = forwarded.split(",");
    String earliest = null;
    int counted = 0;
    for (int i = entries.length - 1; i >= 0; i--) {
      String entry = entries[i].trim();
      if (!entry.isEmpty()) {
        earliest = entry;
        if (++counted == proxyHops) {
          return entry;
        }
      }
    }
    return earliest != null ? earliest : peer;
  }

  /** The tracking script, with the beacon's path written in; cached by browsers for an hour. */
  private static io.vertx.core.Handler<RoutingContext> script(String beaconPath) {
    String source;
    try (InputStream in = CollectorVerticle.class.getResourceAsStream("/tracker/tracker.js")) {
      if (in == null) {
        throw new IllegalStateException("tracker/tracker.js is missing from the tracker's jar");
      }
      source =
          new String(in.readAllBytes(), StandardCharsets.UTF_8)
              .replace("__BEACON_PATH__", beaconPath);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Buffer body = Buffer.buffer(source);
    return ctx ->
        ctx.response()
            .putHeader(HttpHeaders.CONTENT_TYPE, "text/javascript; charset=utf-8")
            .putHeader(HttpHeaders.CACHE_CONTROL, "public, max-age=3600")
            .putHeader("Cross-Origin-Resource-Policy", "cross-origin")
            .end(body);
  }

  @Override
  protected Future<?> stopService() {
    return pool == null ? Future.succeededFuture() : pool.close();
  }
}
