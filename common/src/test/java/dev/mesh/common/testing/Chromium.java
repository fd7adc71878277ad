package dev.mesh.common.testing;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.ConsoleMessage;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The machine's own Chromium (Debian's {@code chromium}) driven by Playwright, for one test class:
 * never a browser that Playwright would download. Each {@link #newPage()} is a page in a fresh
 * context (no cookies or storage shared between tests) whose console errors and uncaught exceptions
 * are recorded, so that a test can say "and nothing went wrong in the page" with {@link
 * #assertNoProblems(Page)}. Start it once per class (2 cores: one browser at a time) and close it
 * after the class.
 */
public final class Chromium implements AutoCloseable {

  /**
   * The system property surefire sets to the executable (the parent pom's {@code chromium.path}).
   */
  public static final String EXECUTABLE_PROPERTY = "mesh.test.chromium";

  private static final List<String> ARGS =
      List.of(
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--no-first-run");

  private final Playwright playwright;
  private final Browser browser;
  private final Map<Page, List<String>> problems = new ConcurrentHashMap<>();

  private Chromium(Playwright playwright, Browser browser) {
    this.playwright = playwright;
    this.browser = browser;
  }

  /** Launches the executable named by {@value #EXECUTABLE_PROPERTY} (default /usr/bin/chromium). */
  public static Chromium launch() {
    Path executable = Path.of(System.getProperty(EXECUTABLE_PROPERTY, "/usr/bin/chromium"));
    if (!Files.isExecutable(executable)) {
      throw new IllegalStateException(
          "No Chromium at "
              + executable
              + " (install Debian's chromium package, or set -D"
              + EXECUTABLE_PROPERTY
              + ")");
    }
    // the variable also stops the driver from fetching browsers when run outside surefire (an IDE)
    Playwright playwright =
        Playwright.create(
            new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    try {
      Browser browser =
          playwright
              .chromium()
              .launch(
                  new BrowserType.LaunchOptions()
                      .setExecutablePath(executable)
                      .setHeadless(true)
                      .setArgs(ARGS));
      return new Chromium(playwright, browser);
    } catch (RuntimeException e) {
      playwright.close();
      throw e;
    }
  }

  public Browser browser() {
    return browser;
  }

  /** A page in a new context with Playwright's defaults. */
  public Page newPage() {
    return newPage(new Browser.NewContextOptions());
  }

  /** A page in a new context with these options (viewport, locale, reduced motion...). */
  public Page newPage(Browser.NewContextOptions options) {
    BrowserContext context = browser.newContext(options);
    Page page = context.newPage();
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    problems.put(page, seen);
    page.onConsoleMessage(
        message -> {
          if ("error".equals(message.type())) {
            seen.add("console error: " + message.text() + where(message));
          }
        });
    page.onPageError(error -> seen.add("page error: " + error));
    page.onClose(p -> problems.remove(p));
    return page;
  }

  /** The console errors and uncaught exceptions of {@code page} so far, oldest first. */
  public List<String> problems(Page page) {
    List<String> seen = problems.get(page);
    if (seen == null) {
      throw new IllegalArgumentException("Not an open page of this Chromium");
    }
    synchronized (seen) {
      return List.copyOf(seen);
    }
  }

  /** Fails with every console error and uncaught exception of {@code page}, if there was any. */
  public void assertNoProblems(Page page) {
    List<String> seen = problems(page);
    if (!seen.isEmpty()) {
      throw new AssertionError(
          "The page at " + page.url() + " reported:\n  " + String.join("\n  ", seen));
    }
  }

  private static String where(ConsoleMessage message) {
    String location = message.location();
    return location == null || location.isEmpty() ? "" : " (" + location + ")";
  }

  @Override
  public void close() {
    try {
      for (BrowserContext context : browser.contexts()) {
        context.close();
      }
      browser.close();
    } finally {
      playwright.close();
    }
  }
}
