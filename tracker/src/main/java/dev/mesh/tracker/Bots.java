package dev.mesh.tracker;

import java.util.regex.Pattern;

/**
 * Tells automated clients from people by their user agent, as the anchors do (Plausible and Umami drop
 * bot traffic before counting): crawlers and link previewers name themselves, headless browsers and
 * HTTP libraries say what they are. A request without a user agent is no browser either.
 * The patterns are listed in docs/tracker.md; hits they match are dropped and counted, never stored.
 */
final class Bots {

  static final Pattern PATTERN = Pattern.compile(String.join("|",
    "(?<!cu)bot\\b", "crawl", "spider", "slurp", "archiver", "facebookexternalhit", "embedly", "whatsapp",
    "headless", "phantomjs", "selenium", "puppeteer", "playwright", "lighthouse", "pagespeed", "pingdom",
    "uptime", "statuscake", "curl/", "wget/", "httpie", "python-", "python/", "java/", "okhttp",
    "apache-httpclient", "go-http-client", "node-fetch", "axios/", "undici", "libwww", "vert\\.x",
    "scrapy", "feedfetcher", "validator", "http_request"), Pattern.CASE_INSENSITIVE);

  private Bots() {
  }

  static boolean isBot(String userAgent) {
    return userAgent == null || userAgent.isBlank() || userAgent.length() < 10 || PATTERN.matcher(userAgent).find();
  }
}
