package dev.mesh.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * User agents as sent by real browsers, crawlers and tools, and what the collector makes of them.
 */
class BotsTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)",
        "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
        "Twitterbot/1.0",
        "Mozilla/5.0 (Linux; Android) a ROBOT",
        "Mozilla/5.0 (compatible; AhrefsSiteAudit; crawler)",
        "Mozilla/5.0 (compatible; Yahoo! Slurp; http://help.yahoo.com/help/us/ysearch/slurp)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "WhatsApp/2.23.20.0 A",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0 Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome-Lighthouse",
        "curl/8.5.0",
        "Wget/1.21.4",
        "python-requests/2.31.0",
        "Python/3.12 aiohttp/3.9.1",
        "Java/17.0.15",
        "okhttp/4.12.0",
        "Apache-HttpClient/5.3 (Java/17)",
        "Go-http-client/1.1",
        "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)",
        "axios/1.6.2",
        "Vert.x-WebClient/5.0.7",
        "Scrapy/2.11 (+https://scrapy.org)",
        "Pingdom.com_bot_version_1.4_(http://www.pingdom.com/)",
        "W3C_Validator/1.3 http://validator.w3.org/services",
        "short",
        "          ",
      })
  void automatedClientsAreBots(String userAgent) {
    assertThat(Bots.isBot(userAgent)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
        "Mozilla/5.0 (Linux; Android 12; Cubot KingKong 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Linux; Android 13; BOTTLE-X1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Linux; Android 13; botá) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36",
      })
  void browsersAreNot(String userAgent) {
    assertThat(Bots.isBot(userAgent)).isFalse();
  }

  @org.junit.jupiter.api.Test
  void noUserAgentIsABot() {
    assertThat(Bots.isBot(null)).isTrue();
  }
}
