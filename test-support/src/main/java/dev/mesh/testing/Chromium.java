package dev.mesh.testing;

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
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The machine's own Chromium (Debian's {@code chromium}) driven by Playwright: never a browser that
 * Playwright would download. Each {@link #newPage()} is a page in a fresh context (no cookies or
 * storage shared between tests) whose console errors and uncaught exceptions are recorded, so that
 * a test can say "and nothing went wrong in the page" with {@link #assertNoProblems(Page)}.
 *
 * <p>In a test class, one browser for the class (2 cores: one browser at a time), as a JUnit
 * extension: {@code @RegisterExtension static final Chromium chromium = Chromium.forClass();}
 * launches it before the class's {@code @BeforeAll} methods, closes the contexts a test opened
 * after that test, and closes the browser after the class. Elsewhere (a benchmark program) {@link
 * #launch()} and {@link #close()}.
 */
public final class Chromium
    implements AutoCloseable, BeforeAllCallback, AfterEachCallback, AfterAllCallback {

  /**
   * The system property surefire sets to the executable (the parent pom's {@code chromium.path}).
   */
  public static final String EXECUTABLE_PROPERTY = "mesh.test.chromium";

  /** The flags of every launch: headless, and nothing that would reach out to the network. */
  public static final List<String> ARGS =
      List.of(
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--no-first-run");

  private final Map<Page, List<String>> problems = new ConcurrentHashMap<>();
  private Playwright playwright;
  private Browser browser;

  private Chromium() {}

  /** A browser for the test class that registers it as an extension; not launched yet. */
  public static Chromium forClass() {
    return new Chromium();
  }

  /** Launches the executable named by {@value #EXECUTABLE_PROPERTY} (default /usr/bin/chromium). */
  public static Chromium launch() {
    return launch(executable());
  }

  /** Launches {@code executable} (a benchmark's --chromium). */
  public static Chromium launch(Path executable) {
    Chromium chromium = new Chromium();
    chromium.start(executable);
    return chromium;
  }

  /** The executable named by {@value #EXECUTABLE_PROPERTY}, /usr/bin/chromium by default. */
  public static Path executable() {
    Path executable = Path.of(System.getProperty(EXECUTABLE_PROPERTY, "/usr/bin/chromium"));
    if (!Files.isExecutable(executable)) {
      throw new IllegalStateException(
          "No Chromium at "
              + executable
              + " (install Debian's chromium package, or set -D"
              + EXECUTABLE_PROPERTY
              + ")");
    }
    return executable;
  }

  private void start(Path executable) {
    // the variable also stops the driver from fetching browsers when run outside surefire (an IDE)
    playwright =
        Playwright.create(
            new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    try {
      browser =
          playwright
              .chromium()
              .launch(
                  new BrowserType.LaunchOptions()
                      .setExecutablePath(executable)
                      .setHeadless(true)
                      .setArgs(ARGS));
    } catch (RuntimeException e) {
      playwright.close();
      playwright = null;
      throw e;
    }
  }

  /**
   * The context options of a desktop browser window, 1400 x 900 (what the dashboard tests use; add
   * a locale, reduced motion or headers to them).
   */
  public static Browser.NewContextOptions desktop() {
    return new Browser.NewContextOptions().setViewportSize(1400, 900);
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

  /** Closes every context (and so every page) opened so far. */
  public void closePages() {
    if (browser != null) {
      for (BrowserContext context : browser.contexts()) {
        context.close();
      }
    }
  }

  @Override
  public void close() {
    if (playwright == null) {
      return;
    }
    try {
      closePages();
      browser.close();
    } finally {
      playwright.close();
      playwright = null;
      browser = null;
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    start(executable());
  }

  @Override
  public void afterEach(ExtensionContext context) {
    closePages();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }
}
