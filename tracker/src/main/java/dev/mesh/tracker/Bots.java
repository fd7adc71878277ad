package dev.mesh.tracker;

import java.util.List;

/**
 * Tells automated clients from people by their user agent, as the anchors do (Plausible and Umami
 * drop bot traffic before counting): crawlers and link previewers name themselves, headless
 * browsers and HTTP libraries say what they are. A request without a user agent is no browser
 * either. The rules are listed in docs/tracker.md; hits they match are dropped and counted, never
 * stored.
 *
 * <p>This runs for every pixel request, so it is plain substring search over the lower-cased agent:
 * one case-insensitive regular expression of these alternatives cost tens of microseconds per
 * request (docs/benchmarks.md), more than everything else the collector does.
 */
final class Bots {

  /** Found anywhere in the lower-cased user agent. */
  static final List<String> TOKENS =
      List.of(
          "crawl",
          "spider",
          "slurp",
          "archiver",
          "facebookexternalhit",
          "embedly",
          "whatsapp",
          "headless",
          "phantomjs",
          "selenium",
          "puppeteer",
          "playwright",
          "lighthouse",
          "pagespeed",
          "pingdom",
          "uptime",
          "statuscake",
          "curl/",
          "wget/",
          "httpie",
          "python-",
          "python/",
          "java/",
          "okhttp",
          "apache-httpclient",
          "go-http-client",
          "node-fetch",
          "axios/",
          "undici",
          "libwww",
          "vert.x",
          "scrapy",
          "feedfetcher",
          "validator",
          "http_request");

  private Bots() {}

  static boolean isBot(String userAgent) {
    if (userAgent == null || userAgent.length() < 10 || userAgent.isBlank()) {
      return true;
    }
    String agent = asciiLowerCase(userAgent);
    for (String token : TOKENS) {
      if (agent.contains(token)) {
        return true;
      }
    }
    return hasBotWord(agent);
  }

  /**
   * "bot" ending a word ({@code Googlebot/2.1}, {@code bingbot;}, {@code robot}), except the phone
   * brand Cubot; not inside a word ({@code bottle}).
   */
  private static boolean hasBotWord(String agent) {
    for (int at = agent.indexOf("bot"); at >= 0; at = agent.indexOf("bot", at + 1)) {
      int end = at + 3;
      boolean endsWord = end == agent.length() || !isWordChar(agent.charAt(end));
      boolean cubot = at >= 2 && agent.startsWith("cu", at - 2);
      if (endsWord && !cubot) {
        return true;
      }
    }
    return false;
  }

  private static boolean isWordChar(char c) {
    return c == '_' || Character.isLetterOrDigit(c);
  }

  /** Lower-cases A to Z only, so that no other character turns into one of the tokens' letters. */
  private static String asciiLowerCase(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        char[] chars = value.toCharArray();
        for (int j = i; j < chars.length; j++) {
          if (chars[j] >= 'A' && chars[j] <= 'Z') {
            chars[j] += 'a' - 'A';
          }
        }
        return new String(chars);
      }
    }
    return value;
  }
}
