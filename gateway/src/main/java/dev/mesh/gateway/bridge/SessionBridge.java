package dev.mesh.gateway.bridge;

import dev.mesh.common.Addresses;
import dev.mesh.gateway.doors.AccessRule;
import dev.mesh.gateway.doors.Concern;
import dev.mesh.gateway.doors.Door;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import io.vertx.ext.web.handler.sockjs.impl.EventBusBridgeImpl;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The SockJS event-bus bridge at {@code /eventbus}, deny by default.
 *
 * <p>Every socket gets a scope of its own from the server. The page names its addresses {@code
 * session.<topic>}; the bridge rewrites them to {@code mesh.session.<scope>.<topic>} on the way in
 * and back on the way out, so a page can neither name nor reach another page's addresses, whatever
 * it sends. Besides its own scope a socket may only listen to the feeds a service exposes (outbound
 * only), and call page services ({@code mesh.api.*}, request/reply only, its scope stamped in a
 * header). Every event a page publishes is also published, with its scope, on {@link
 * #SESSION_EVENTS}, so server-side verticles can react and answer on the scope's addresses. Origins
 * are checked, addresses, handlers and messages bounded, and every refusal counted: the hook's own,
 * those vert.x's bridge makes before the hook ({@link CountingSocket}) and those of the WebSocket
 * limits.
 *
 * <p>A page listening to a feed is registered on this gateway's relay of it ({@code
 * mesh.bridge.feed.<feed>}), which one cluster-wide consumer per feed fills with local-only
 * publishes. Were every socket a consumer of the feed itself, each of them would be a registration
 * in the cluster's subscription map, which every publisher reads on every message: 10 000 listening
 * pages made each change feed message fetch and serialise 10 000 entries (docs/benchmarks.md,
 * bridge fan-out).
 *
 * <p>Its doors ({@code /eventbus/*}) are for signed-in callers only: the gateway's route table asks
 * who is calling before SockJS sees the request, so a stranger's info request, WebSocket upgrade or
 * XHR poll is a 401 and no socket is opened.
 */
public final class SessionBridge implements Handler<BridgeEvent>, Concern {

  public static final String PATH = "/eventbus";

  /** Where server-side verticles hear page events: {@code {scope, topic, payload}}. */
  public static final String SESSION_EVENTS = "mesh.session.events";

  static final String CLIENT_PREFIX = "session.";
  static final String SERVER_PREFIX = "mesh.session.";
  static final int MAX_MESSAGE_CHARS = 64 * 1024;
  static final int MAX_HANDLERS_PER_SOCKET = 64;
  static final int MAX_ADDRESS_LENGTH = 200;

  /**
   * SockJS bridge clients draw UUIDs; vert.x refuses longer reply addresses, we refuse (and count)
   * them first.
   */
  static final int MAX_REPLY_ADDRESS_LENGTH = 36;

  private static final Pattern TOPIC = Pattern.compile("^[a-z0-9][a-z0-9._:-]{0,127}$");
  private static final String SCOPED =
      "mesh\\.session\\.[0-9a-f-]{36}\\.[a-z0-9][a-z0-9._:-]{0,127}";
  static final String FEED_RELAY_PREFIX = "mesh.bridge.feed.";
  private static final Pattern SERVICE =
      Pattern.compile(
          "^" + Pattern.quote(Addresses.PAGE_SERVICES_PREFIX) + "[a-z0-9][a-z0-9._:-]{0,127}$");

  private final Vertx vertx;
  private final Set<String> exposedFeeds;
  private final MeterRegistry meters;
  private final Map<SockJSSocket, String> scopes = new ConcurrentHashMap<>();

  /** The addresses each socket listens on, as the hook let them register. */
  private final Map<SockJSSocket, Set<String>> handlers = new ConcurrentHashMap<>();

  private final Map<String, Counter> refusals = new ConcurrentHashMap<>();
  private final List<Door> doors;

  private SessionBridge(Vertx vertx, Set<String> exposedFeeds, MeterRegistry meters) {
    this.vertx = vertx;
    this.exposedFeeds = Set.copyOf(exposedFeeds);
    this.meters = meters;
    Gauge.builder("mesh_bridge_sockets", this, SessionBridge::sockets)
        .description("Bridge sockets open on this gateway")
        .register(meters);
    SockJSBridgeOptions options =
        new SockJSBridgeOptions()
            .setMaxAddressLength(MAX_ADDRESS_LENGTH)
            // the hook enforces (and counts) the limit of handlers; vert.x's own check, which
            // refuses
            // silently before the hook runs, only stays as a second line one above it
            .setMaxHandlersPerSocket(MAX_HANDLERS_PER_SOCKET + 1)
            .addInboundPermitted(new PermittedOptions().setAddressRegex(SCOPED))
            .addInboundPermitted(new PermittedOptions().setAddressRegex(SERVICE.pattern()));
    options.addOutboundPermitted(new PermittedOptions().setAddressRegex(SCOPED));
    exposedFeeds.forEach(
        feed -> options.addOutboundPermitted(new PermittedOptions().setAddress(relay(feed))));
    // the bridge built as SockJSHandler.bridge(options, bridge) builds it (vertx-web's impl
    // package), to hand
    // it sockets that count what it refuses before the hook
    EventBusBridgeImpl eventBus = new EventBusBridgeImpl(vertx, null, options, this);
    Router sockJs =
        SockJSHandler.create(vertx, new SockJSHandlerOptions())
            .socketHandler(
                socket -> eventBus.handle(new CountingSocket(vertx, socket, this::count)));
    // SockJS's XHR transports (browsers without WebSocket) post their frames: they need the body
    // read.
    // POST only: a WebSocket upgrade (a GET) must reach SockJS with its request unread.
    // Both ask who is calling: the SockJS info request, the WebSocket upgrade and the XHR polls
    // carry the page's headers and cookies like any other request of it.
    doors =
        List.of(
            Door.on(HttpMethod.POST, PATH + "/*", AccessRule.SIGNED_IN)
                .through(BodyHandler.create(false).setBodyLimit(2L * MAX_MESSAGE_CHARS)),
            Door.any(PATH + "/*", AccessRule.SIGNED_IN).into(sockJs));
  }

  /**
   * The bridge, exposing the given feeds to pages (read only): its doors are the gateway's {@code
   * /eventbus/*}.
   */
  public static SessionBridge on(Vertx vertx, Set<String> exposedFeeds, MeterRegistry meters) {
    return new SessionBridge(vertx, exposedFeeds, meters);
  }

  @Override
  public String name() {
    return "bridge";
  }

  @Override
  public List<Door> doors() {
    return doors;
  }

  /** Completes once this gateway relays the exposed feeds. */
  @Override
  public Future<Void> start() {
    return Future.all(exposedFeeds.stream().map(feed -> relayFeed(vertx, feed)).toList())
        .mapEmpty();
  }

  /** One consumer of the feed for this gateway, handing each message to its pages' sockets here. */
  private static Future<Void> relayFeed(Vertx vertx, String feed) {
    String relay = relay(feed);
    return vertx
        .eventBus()
        .consumer(
            feed,
            message ->
                vertx
                    .eventBus()
                    .publish(
                        relay,
                        message.body(),
                        new DeliveryOptions().setLocalOnly(true).setHeaders(message.headers())))
        .completion();
  }

  private static String relay(String feed) {
    return FEED_RELAY_PREFIX + feed;
  }

  /** How many sockets are open now. */
  int sockets() {
    return scopes.size();
  }

  @Override
  public void handle(BridgeEvent event) {
    BridgeEventType type = event.type();
    switch (type) {
      case SOCKET_CREATED -> opened(event);
      case SOCKET_CLOSED -> {
        scopes.remove(event.socket());
        handlers.remove(event.socket());
        event.complete(true);
      }
      case SEND, PUBLISH -> inbound(event, true);
      case REGISTER -> inbound(event, false);
      case UNREGISTER -> inbound(event, false);
      case RECEIVE -> outbound(event);
      case SOCKET_ERROR -> failed(event);
      default -> event.complete(true);
    }
  }

  /**
   * A socket failed. Past the WebSocket limits vert.x fails it before any frame reaches the bridge:
   * a message over 256 KiB leaves the socket open but without its bridge state (no idle timeout any
   * more, the next register fails inside vert.x), so it is closed here; a frame over 64 KiB closes
   * the connection itself. Other failures (the connection lost) are no refusal. SOCKET_CLOSED
   * follows either way.
   */
  private void failed(BridgeEvent event) {
    String failure =
        event.getRawMessage() != null
                && event.getRawMessage().getValue("message") instanceof String m
            ? m
            : "";
    event.complete(true);
    if (failure.startsWith("Cannot process ") && failure.contains("max message size")) {
      count("message-too-large");
      event.socket().close();
    } else if (failure.startsWith("Max frame length of ")) {
      count("frame-too-large");
    }
  }

  private void opened(BridgeEvent event) {
    String origin = event.socket().headers().get("Origin");
    String host = event.socket().headers().get("Host");
    if (origin != null && !sameOrigin(origin, host)) {
      refuse(event, "origin");
      return;
    }
    scopes.put(event.socket(), UUID.randomUUID().toString());
    event.complete(true);
  }

  /**
   * A page's own message: its session address is rewritten into its scope; nothing else goes in.
   */
  private void inbound(BridgeEvent event, boolean carriesBody) {
    JsonObject raw = event.getRawMessage();
    String scope = scopes.get(event.socket());
    String address = raw == null ? null : raw.getString("address");
    if (scope == null || address == null) {
      refuse(event, "no-scope");
      return;
    }
    if (carriesBody && raw.encode().length() > MAX_MESSAGE_CHARS) {
      refuse(event, "too-large");
      return;
    }
    String replyAddress = raw.getValue("replyAddress") instanceof String reply ? reply : null;
    if (carriesBody && replyAddress != null && replyAddress.length() > MAX_REPLY_ADDRESS_LENGTH) {
      refuse(event, "reply-address");
      return;
    }
    if (event.type() == BridgeEventType.REGISTER || event.type() == BridgeEventType.UNREGISTER) {
      // the bridge itself unregisters a closing socket's handlers, by their scoped or relay address
      boolean ownCleanUp =
          event.type() == BridgeEventType.UNREGISTER
              && (address.startsWith(SERVER_PREFIX + scope + ".") || isRelayOfAFeed(address));
      if (ownCleanUp) {
        event.complete(true);
        return;
      }
      if (exposedFeeds.contains(address)) {
        raw.put("address", relay(address));
        listen(event, address);
        return;
      }
    }
    if (SERVICE.matcher(address).matches()) {
      toService(event, raw, scope);
      return;
    }
    String topic =
        address.startsWith(CLIENT_PREFIX) ? address.substring(CLIENT_PREFIX.length()) : null;
    if (topic == null || !TOPIC.matcher(topic).matches()) {
      refuse(event, "address");
      return;
    }
    // rewritten in place: the bridge reads the address from this message once the hook agrees
    raw.put("address", SERVER_PREFIX + scope + "." + topic);
    if (event.type() == BridgeEventType.REGISTER || event.type() == BridgeEventType.UNREGISTER) {
      listen(event, SERVER_PREFIX + scope + "." + topic);
      return;
    }
    if (event.type() == BridgeEventType.PUBLISH || event.type() == BridgeEventType.SEND) {
      vertx
          .eventBus()
          .publish(
              SESSION_EVENTS,
              new JsonObject()
                  .put("scope", scope)
                  .put("topic", topic)
                  .put("payload", raw.getValue("body")));
    }
    event.complete(true);
  }

  /**
   * A page starting or stopping to listen on {@code address}: at most {@link
   * #MAX_HANDLERS_PER_SOCKET} addresses at once, each once (the bridge would refuse a second
   * handler on one address, uncounted).
   */
  private void listen(BridgeEvent event, String address) {
    Set<String> own = handlers.computeIfAbsent(event.socket(), s -> ConcurrentHashMap.newKeySet());
    if (event.type() == BridgeEventType.UNREGISTER) {
      own.remove(address);
      event.complete(true);
    } else if (own.contains(address)) {
      refuse(event, "already-registered");
    } else if (own.size() >= MAX_HANDLERS_PER_SOCKET) {
      refuse(event, "handlers");
    } else {
      own.add(address);
      event.complete(true);
    }
  }

  /**
   * A page calling a service: point to point only (a publish would reach every instance, a listener
   * would overhear other pages' calls), with the page's scope in a header the page cannot forge.
   */
  private void toService(BridgeEvent event, JsonObject raw, String scope) {
    if (event.type() != BridgeEventType.SEND) {
      refuse(event, "service-" + event.type().name().toLowerCase(Locale.ROOT));
      return;
    }
    raw.put("headers", new JsonObject().put(Addresses.SCOPE_HEADER, scope));
    event.complete(true);
  }

  /** A message on its way to a page: scope addresses go back to the page's own names. */
  private void outbound(BridgeEvent event) {
    JsonObject raw = event.getRawMessage();
    String scope = scopes.get(event.socket());
    String address = raw.getString("address", "");
    String own = scope == null ? null : SERVER_PREFIX + scope + ".";
    if (own != null && address.startsWith(own)) {
      raw.put("address", CLIENT_PREFIX + address.substring(own.length()));
    } else if (isRelayOfAFeed(address)) {
      raw.put("address", address.substring(FEED_RELAY_PREFIX.length()));
    }
    event.complete(true);
  }

  private boolean isRelayOfAFeed(String address) {
    return address.startsWith(FEED_RELAY_PREFIX)
        && exposedFeeds.contains(address.substring(FEED_RELAY_PREFIX.length()));
  }

  private void refuse(BridgeEvent event, String reason) {
    count(reason);
    event.complete(false);
  }

  private void count(String reason) {
    refusals
        .computeIfAbsent(
            reason,
            r ->
                Counter.builder("mesh_bridge_refused")
                    .description("Bridge messages and sockets refused, by reason")
                    .tag("reason", r)
                    .register(meters))
        .increment();
  }

  /**
   * The page's origin must be the gateway's own host (behind a TLS proxy the scheme differs, the
   * host not).
   */
  static boolean sameOrigin(String origin, String host) {
    if (host == null) {
      return false;
    }
    try {
      URI uri = URI.create(origin);
      String authority = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
      return authority != null
          && (authority.equalsIgnoreCase(host) || hostOnly(host).equalsIgnoreCase(authority));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String hostOnly(String host) {
    for (String standard : List.of(":80", ":443")) {
      if (host.endsWith(standard)) {
        return host.substring(0, host.length() - standard.length());
      }
    }
    return host;
  }
}
