package dev.mesh.tracker;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Turns what a browser sent (pixel parameters or a beacon) into a {@link Hit} record, or says why
 * it is dropped. No I/O: the verticle answers the browser whatever this decides.
 */
final class Collector {

  /**
   * What became of one request; every outcome but {@code ACCEPTED} is a drop, counted by reason.
   */
  enum Outcome {
    ACCEPTED("accepted"),
    BOT("bot"),
    DNT("dnt"),
    INVALID("invalid"),
    UNKNOWN_SITE("unknown-site"),
    NO_SALT("no-salt");

    final String tag;

    Outcome(String tag) {
      this.tag = tag;
    }
  }

  /** The outcome, the hit when accepted, and for refusals a message naming the problem. */
  record Result(Outcome outcome, Hit hit, String problem) {
    static Result drop(Outcome outcome, String problem) {
      return new Result(outcome, null, problem);
    }
  }

  /** The request's own facts: who asked, as far as the hash and the bot and DNT rules need. */
  record Client(String ip, String userAgent, String doNotTrack, String referer) {}

  static final String PAGEVIEW = "pageview";
  static final int MAX_NAME = 100;
  static final int MAX_PROPS = 30;
  static final int MAX_PROP_VALUE = 500;
  static final Pattern SCREEN = Pattern.compile("^[0-9]{1,5}x[0-9]{1,5}$");

  private final Sites sites;
  private final Salts salts;
  private final boolean honourDnt;
  private final Clock clock;

  Collector(Sites sites, Salts salts, boolean honourDnt, Clock clock) {
    this.sites = sites;
    this.salts = salts;
    this.honourDnt = honourDnt;
    this.clock = clock;
  }

  /**
   * A pixel request: {@code s} site, {@code p} page (a path or URL; else the embedding page from
   * the Referer header), {@code r} referrer, {@code sc} screen. Any other parameter, a cache-buster
   * included, is ignored.
   */
  Result pixel(MultiMap params, Client client) {
    Result refused = refusedClient(client);
    if (refused != null) {
      return refused;
    }
    String site = Sites.normalize(params.get("s"));
    String siteProblem = sites.problem(site);
    if (siteProblem != null) {
      return Result.drop(siteOutcome(site), siteProblem);
    }
    String pageParam = params.get("p");
    Pages.Url page = Pages.parse(pageParam != null ? pageParam : client.referer());
    if (page == null) {
      return Result.drop(
          Outcome.INVALID, "no page: send p=<path> or let the browser send the Referer");
    }
    String source = Pages.source(page, params.get("r"));
    return hit(site, PAGEVIEW, page, source, screen(params.get("sc")), null, "pixel", client);
  }

  /**
   * A beacon already checked against its contract (the verticle answers 400 otherwise). Unknown
   * sites are refused with a reason; bots and DNT are dropped without telling the sender.
   */
  Result beacon(JsonObject body, Client client) {
    String site = Sites.normalize(body.getString("site"));
    String siteProblem = sites.problem(site);
    if (siteProblem != null) {
      return Result.drop(siteOutcome(site), siteProblem);
    }
    Pages.Url page = Pages.parse(body.getString("url"));
    if (page == null) {
      return Result.drop(Outcome.INVALID, "url must be an http(s) URL or a path starting with /");
    }
    Result refused = refusedClient(client);
    if (refused != null) {
      return refused;
    }
    String name = Pages.clean(body.getString("name", PAGEVIEW), MAX_NAME);
    if (name.isEmpty()) {
      return Result.drop(Outcome.INVALID, "name must not be blank");
    }
    String source = Pages.source(page, body.getString("referrer"));
    return hit(
        site,
        name,
        page,
        source,
        screen(body.getString("screen")),
        props(body.getJsonObject("props")),
        "beacon",
        client);
  }

  private Result refusedClient(Client client) {
    if (Bots.isBot(client.userAgent())) {
      return Result.drop(Outcome.BOT, "automated client");
    }
    if (honourDnt && "1".equals(client.doNotTrack())) {
      return Result.drop(Outcome.DNT, "Do Not Track");
    }
    return null;
  }

  private Outcome siteOutcome(String site) {
    return Sites.ID.matcher(site).matches() ? Outcome.UNKNOWN_SITE : Outcome.INVALID;
  }

  private Result hit(
      String site,
      String name,
      Pages.Url page,
      String source,
      String screen,
      JsonObject props,
      String via,
      Client client) {
    Instant now = clock.instant();
    String visitor = salts.visitor(site, client.ip(), client.userAgent(), now);
    if (visitor == null) {
      return Result.drop(Outcome.NO_SALT, "no salt for today yet");
    }
    Hit hit =
        Hit.write(
            newId(),
            now.toEpochMilli(),
            site,
            name,
            page.path(),
            source,
            visitor,
            screen,
            via,
            props);
    return new Result(Outcome.ACCEPTED, hit, null);
  }

  /**
   * A random (version 4) UUID from the thread's fast generator rather than SecureRandom's, whose
   * cost showed in the collector's profile: the id tells hits apart downstream and guards nothing.
   */
  static String newId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L;
    long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(high, low).toString();
  }

  private static String screen(String value) {
    return value != null && SCREEN.matcher(value).matches() ? value : "";
  }

  /**
   * Properties as strings, at most {@value #MAX_PROPS}, values cut at {@value #MAX_PROP_VALUE}
   * characters.
   */
  private static JsonObject props(JsonObject raw) {
    if (raw == null) {
      return null;
    }
    JsonObject props = new JsonObject();
    for (Map.Entry<String, Object> entry : raw) {
      if (props.size() >= MAX_PROPS
          || entry.getValue() == null
          || entry.getKey().length() > MAX_NAME) {
        continue;
      }
      Object value = entry.getValue();
      if (value instanceof String || value instanceof Number || value instanceof Boolean) {
        props.put(entry.getKey(), Pages.clean(String.valueOf(value), MAX_PROP_VALUE));
      }
    }
    return props;
  }
}
