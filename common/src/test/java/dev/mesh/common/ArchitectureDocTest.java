package dev.mesh.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/architecture.md names only what exists: its classes, settings, files and event-bus addresses
 * are checked against the source tree, read from disk (not the classpath), so that the page cannot
 * drift from the code unnoticed. The repository root is the nearest folder above the working
 * directory whose pom.xml is {@code mesh-parent} itself (not a module naming it as its parent); the
 * modules are the ones that pom lists.
 *
 * <p>The rules, applied to each span in backticks outside fenced code blocks, in this order:
 *
 * <ol>
 *   <li>A span with white space in it is a command or phrase and is not checked as a whole (the
 *       settings in it still are, see below).
 *   <li>{@code MESH_...}: a setting; every {@code MESH_[A-Z0-9_]+} anywhere in the page, fenced
 *       blocks included, must be the key of a {@link Setting} ({@code MESH_X_*} stands for the
 *       settings that start with {@code MESH_X_}).
 *   <li>A span starting with {@code /} or holding {@code ://} is a URL or route: not checked.
 *   <li>A span with a {@code /} in it, or ending in a file extension ({@code .md}, {@code .java},
 *       {@code .json}, {@code .yaml}, ...), is a file or folder. Query ({@code ?...}) and anchor
 *       ({@code #...}) are cut off. It must exist relative to the repository root, or to docs/, or
 *       under some module's {@code src/main/resources} (so {@code openapi/layouts.yaml} is found in
 *       the gateway's resources); a bare file name with no {@code /} may be anywhere in the tree.
 *       Only the segments before the first placeholder ({@code <...>}, {@code *}, {@code ...}) or
 *       build output folder ({@code target}) are checked.
 *   <li>{@code mesh.*} or {@code session.*} (lower case, dotted): an event-bus address, which must
 *       appear as a string literal in some module's {@code src/main/java}; with a placeholder, as
 *       in {@code mesh.session.<scope>.<topic>}, a literal must start with the part before the
 *       first {@code <}.
 *   <li>{@code dev.mesh...} in lower case: a package, which must be a folder under some module's
 *       {@code src/main/java}.
 *   <li>A class: an optional lower-case package, then an UpperCamelCase identifier ({@code
 *       [A-Z][a-z]+\w*}, so ALL_CAPS words such as {@code GET} or {@code JSON}, numbers such as
 *       {@code 409} and hyphenated names such as {@code Retry-After} are not classes), optionally
 *       followed by {@code .member}, {@code #member} or {@code .member()}. It must be a .java file
 *       of that name under some module's {@code src/main/java} (with a package, at that package's
 *       path), or, for the browser side, a {@code class} declared in a .js or .mjs file under some
 *       module's {@code src/main} (node_modules left out). A member must appear in the class's
 *       file. So a capitalised word that is not a class (a header such as Origin) is written
 *       without backticks.
 *   <li>Anything else (lower-case words, JSON, metric names) is not checked.
 * </ol>
 *
 * <p>Every relative markdown link ({@code [text](target)}) must name a file or folder relative to
 * docs/, and an anchor in a link to a markdown file must be one of its headings.
 */
class ArchitectureDocTest {

  private static final String PAGE = "docs/architecture.md";

  private static final Pattern FENCED = Pattern.compile("(?ms)^\\s*```.*?^\\s*```[ \\t]*$");
  private static final Pattern SPAN = Pattern.compile("`([^`]+)`");
  private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
  private static final Pattern SETTING_NAME = Pattern.compile("\\bMESH_[A-Z0-9_]+\\*?");
  private static final Pattern FILE_EXTENSION =
      Pattern.compile(
          "\\.(md|java|js|mjs|cjs|json|ya?ml|sql|html|css|sh|xml|jar|properties|tpl|txt|svg)$");
  private static final Pattern ADDRESS = Pattern.compile("^(mesh|session)\\.[A-Za-z0-9._:<>-]*$");
  private static final Pattern PACKAGE = Pattern.compile("^dev\\.mesh(\\.[a-z][a-z0-9_]*)*$");
  private static final Pattern CLASS =
      Pattern.compile(
          "^((?:[a-z][a-z0-9_]*\\.)*)([A-Z][a-z]+\\w*)(?:[.#]([A-Za-z_]\\w*)(?:\\(\\))?)?$");
  private static final Pattern JS_CLASS =
      Pattern.compile("(?m)^\\s*(?:export\\s+)?(?:default\\s+)?class\\s+([A-Z]\\w*)");
  private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6}\\s+(.+?)\\s*#*\\s*$");
  private static final Set<String> SKIPPED_FOLDERS = Set.of(".git", "target", "node_modules");

  private static Path root;
  private static List<String> modules;
  private static String page;
  private static String prose;

  /** Java files under the modules' src/main/java, by simple class name. */
  private static final Map<String, List<Path>> javaClasses = new HashMap<>();

  /** Qualified names of those classes. */
  private static final Set<String> qualifiedClasses = new LinkedHashSet<>();

  /** Front-end files under the modules' src/main, by the names of the classes they declare. */
  private static final Map<String, List<Path>> scriptClasses = new HashMap<>();

  /** Names of every file and folder of the tree (outside .git, target, node_modules). */
  private static final Set<String> fileNames = new LinkedHashSet<>();

  /** The Java sources of the modules' src/main/java, one after the other. */
  private static String javaSources;

  @BeforeAll
  static void readThePageAndTheTree() throws IOException {
    root = repositoryRoot();
    modules = modules(Files.readString(root.resolve("pom.xml")));
    page = Files.readString(root.resolve(PAGE));
    prose = FENCED.matcher(page).replaceAll("");
    StringBuilder sources = new StringBuilder();
    for (String module : modules) {
      Path java = root.resolve(module).resolve("src/main/java");
      for (Path file : files(java)) {
        if (file.toString().endsWith(".java")) {
          String name = file.getFileName().toString().replaceFirst("\\.java$", "");
          javaClasses.computeIfAbsent(name, n -> new ArrayList<>()).add(file);
          qualifiedClasses.add(
              java.relativize(file)
                  .toString()
                  .replace('\\', '/')
                  .replaceFirst("\\.java$", "")
                  .replace('/', '.'));
          sources.append(Files.readString(file)).append('\n');
        }
      }
      for (Path file : files(root.resolve(module).resolve("src/main"))) {
        String name = file.getFileName().toString();
        if (name.endsWith(".js") || name.endsWith(".mjs")) {
          Matcher declared = JS_CLASS.matcher(Files.readString(file));
          while (declared.find()) {
            scriptClasses.computeIfAbsent(declared.group(1), n -> new ArrayList<>()).add(file);
          }
        }
      }
    }
    javaSources = sources.toString();
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
            if (!dir.equals(root) && SKIPPED_FOLDERS.contains(dir.getFileName().toString())) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            fileNames.add(dir.getFileName().toString());
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
            fileNames.add(file.getFileName().toString());
            return FileVisitResult.CONTINUE;
          }
        });
  }

  @Test
  void everyClassItNamesExists() {
    List<String> named = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (String span : spans()) {
      if (kind(span) != Kind.CLASS) {
        continue;
      }
      named.add(span);
      Matcher parts = CLASS.matcher(span);
      parts.matches();
      String packagePrefix = parts.group(1);
      String name = parts.group(2);
      String member = parts.group(3);
      List<Path> files = new ArrayList<>();
      if (!packagePrefix.isEmpty()) {
        if (qualifiedClasses.contains(packagePrefix + name)) {
          files.addAll(javaClasses.get(name));
        }
      } else {
        files.addAll(javaClasses.getOrDefault(name, List.of()));
        files.addAll(scriptClasses.getOrDefault(name, List.of()));
      }
      if (files.isEmpty()) {
        missing.add(
            "`"
                + span
                + "`: no "
                + (packagePrefix.isEmpty() ? name : packagePrefix.replace('.', '/') + name)
                + ".java under any module's src/main/java"
                + (packagePrefix.isEmpty() ? ", nor a front-end class " + name : ""));
      } else if (member != null && files.stream().noneMatch(f -> mentions(read(f), member))) {
        missing.add("`" + span + "`: " + name + " has no " + member);
      }
    }
    assertThat(named).as("classes named in " + PAGE).isNotEmpty();
    assertThat(missing)
        .withFailMessage(
            "%s names classes that do not exist:%n  %s", PAGE, String.join("\n  ", missing))
        .isEmpty();
  }

  @Test
  void everySettingItNamesIsASetting() {
    Set<String> keys =
        Arrays.stream(Setting.values()).map(Setting::key).collect(Collectors.toSet());
    Set<String> named = new LinkedHashSet<>();
    Matcher settings = SETTING_NAME.matcher(page);
    while (settings.find()) {
      named.add(settings.group());
    }
    List<String> missing = new ArrayList<>();
    for (String name : named) {
      boolean known =
          name.endsWith("*")
              ? keys.stream().anyMatch(k -> k.startsWith(name.substring(0, name.length() - 1)))
              : keys.contains(name);
      if (!known) {
        missing.add(name + ": no such Setting in common");
      }
    }
    assertThat(named).as("settings named in " + PAGE).isNotEmpty();
    assertThat(missing)
        .withFailMessage(
            "%s names settings that do not exist:%n  %s", PAGE, String.join("\n  ", missing))
        .isEmpty();
  }

  @Test
  void everyFileFolderAndLinkItNamesExists() {
    List<String> named = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (String span : spans()) {
      if (kind(span) == Kind.PATH) {
        named.add(span);
        if (!pathExists(span)) {
          missing.add(
              "`"
                  + span
                  + "`: not in the repository, docs/, any src/main/resources"
                  + (span.contains("/") ? "" : " nor anywhere in the tree"));
        }
      }
    }
    Matcher links = LINK.matcher(prose);
    while (links.find()) {
      String target = links.group(1);
      if (target.startsWith("http:")
          || target.startsWith("https:")
          || target.startsWith("mailto:")
          || target.startsWith("#")) {
        continue;
      }
      named.add(target);
      int hash = target.indexOf('#');
      String file = hash < 0 ? target : target.substring(0, hash);
      Path resolved = root.resolve("docs").resolve(file).normalize();
      if (!Files.exists(resolved)) {
        missing.add("link " + target + ": no " + root.relativize(resolved));
      } else if (hash >= 0 && file.endsWith(".md")) {
        String anchor = target.substring(hash + 1);
        if (!anchors(read(resolved)).contains(anchor)) {
          missing.add("link " + target + ": no heading #" + anchor + " in " + file);
        }
      }
    }
    assertThat(named).as("files and links named in " + PAGE).isNotEmpty();
    assertThat(missing)
        .withFailMessage(
            "%s names files, folders or links that do not exist:%n  %s",
            PAGE, String.join("\n  ", missing))
        .isEmpty();
  }

  @Test
  void everyBusAddressItNamesIsInTheCode() {
    List<String> named = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (String span : spans()) {
      if (kind(span) != Kind.ADDRESS) {
        continue;
      }
      named.add(span);
      int placeholder = span.indexOf('<');
      String literal = placeholder < 0 ? "\"" + span + "\"" : "\"" + span.substring(0, placeholder);
      if (!javaSources.contains(literal)) {
        missing.add(
            "`"
                + span
                + "`: no string literal "
                + (placeholder < 0 ? literal : literal + "...\"")
                + " in any module's src/main/java");
      }
    }
    assertThat(named).as("event-bus addresses named in " + PAGE).isNotEmpty();
    assertThat(missing)
        .withFailMessage(
            "%s names event-bus addresses the code does not have:%n  %s",
            PAGE, String.join("\n  ", missing))
        .isEmpty();
  }

  @Test
  void everyPackageItNamesExists() {
    List<String> missing = new ArrayList<>();
    for (String span : spans()) {
      if (kind(span) == Kind.PACKAGE
          && modules.stream()
              .noneMatch(
                  m ->
                      Files.isDirectory(
                          root.resolve(m)
                              .resolve("src/main/java")
                              .resolve(span.replace('.', '/'))))) {
        missing.add("`" + span + "`: no such package under any module's src/main/java");
      }
    }
    assertThat(missing)
        .withFailMessage(
            "%s names packages that do not exist:%n  %s", PAGE, String.join("\n  ", missing))
        .isEmpty();
  }

  @Test
  void theRulesTellNamesApart() {
    assertThat(kind("ServiceProxy")).isEqualTo(Kind.CLASS);
    assertThat(kind("dev.mesh.gateway.bridge.SessionBridge")).isEqualTo(Kind.CLASS);
    assertThat(kind("Addresses.SCOPE_HEADER")).isEqualTo(Kind.CLASS);
    assertThat(kind("Router.publish")).isEqualTo(Kind.CLASS);
    assertThat(kind("GET")).isEqualTo(Kind.OTHER);
    assertThat(kind("JSON")).isEqualTo(Kind.OTHER);
    assertThat(kind("409")).isEqualTo(Kind.OTHER);
    assertThat(kind("Retry-After")).isEqualTo(Kind.OTHER);
    assertThat(kind("MESH_CSP_INLINE_STYLES")).isEqualTo(Kind.SETTING);
    assertThat(kind("openapi/layouts.yaml")).isEqualTo(Kind.PATH);
    assertThat(kind("gateway/src/main/frontend")).isEqualTo(Kind.PATH);
    assertThat(kind("README.md")).isEqualTo(Kind.PATH);
    assertThat(kind("/api/tracker/*")).isEqualTo(Kind.URL);
    assertThat(kind("mesh.registry.changes")).isEqualTo(Kind.ADDRESS);
    assertThat(kind("mesh.session.<scope>.<topic>")).isEqualTo(Kind.ADDRESS);
    assertThat(kind("mesh:publish")).isEqualTo(Kind.OTHER);
    assertThat(kind("dev.mesh.gateway.layouts")).isEqualTo(Kind.PACKAGE);
    assertThat(kind("TrackerMain pinot-setup")).isEqualTo(Kind.PHRASE);
  }

  /** What a span in backticks names, by the rules of the class comment. */
  private enum Kind {
    PHRASE,
    SETTING,
    URL,
    PATH,
    ADDRESS,
    PACKAGE,
    CLASS,
    OTHER
  }

  static Kind kind(String span) {
    if (span.chars().anyMatch(Character::isWhitespace)) {
      return Kind.PHRASE;
    }
    if (span.startsWith("MESH_")) {
      return Kind.SETTING;
    }
    if (span.startsWith("/") || span.contains("://")) {
      return Kind.URL;
    }
    if (span.contains("/") || FILE_EXTENSION.matcher(withoutQueryOrAnchor(span)).find()) {
      return Kind.PATH;
    }
    if (ADDRESS.matcher(span).matches()) {
      return Kind.ADDRESS;
    }
    if (PACKAGE.matcher(span).matches()) {
      return Kind.PACKAGE;
    }
    if (CLASS.matcher(span).matches()) {
      return Kind.CLASS;
    }
    return Kind.OTHER;
  }

  /** The spans in backticks outside fenced code blocks, in order, each once. */
  private static Set<String> spans() {
    Set<String> spans = new LinkedHashSet<>();
    Matcher matcher = SPAN.matcher(prose);
    while (matcher.find()) {
      spans.add(matcher.group(1).replace('\n', ' ').trim());
    }
    return spans;
  }

  private static boolean pathExists(String span) {
    String path = withoutQueryOrAnchor(span);
    List<String> concrete = new ArrayList<>();
    for (String segment : path.split("/")) {
      if (segment.isEmpty()) {
        continue;
      }
      if (segment.contains("<")
          || segment.contains("*")
          || segment.contains("...")
          || segment.contains("…")
          || segment.equals("target")) {
        break;
      }
      concrete.add(segment);
    }
    if (concrete.isEmpty()) {
      return true;
    }
    String known = String.join("/", concrete);
    if (Files.exists(root.resolve(known)) || Files.exists(root.resolve("docs").resolve(known))) {
      return true;
    }
    for (String module : modules) {
      if (Files.exists(root.resolve(module).resolve("src/main/resources").resolve(known))) {
        return true;
      }
    }
    return !span.contains("/") && fileNames.contains(known);
  }

  private static String withoutQueryOrAnchor(String span) {
    int end = span.length();
    for (char c : new char[] {'?', '#'}) {
      int at = span.indexOf(c);
      if (at >= 0) {
        end = Math.min(end, at);
      }
    }
    return span.substring(0, end);
  }

  /** Whether a source file mentions a member (a field, method or constant) by its name. */
  private static boolean mentions(String source, String member) {
    return Pattern.compile("\\b" + Pattern.quote(member) + "\\b").matcher(source).find();
  }

  /** The anchors GitHub makes of a markdown file's headings. */
  private static Set<String> anchors(String markdown) {
    Set<String> anchors = new LinkedHashSet<>();
    Matcher headings = HEADING.matcher(FENCED.matcher(markdown).replaceAll(""));
    while (headings.find()) {
      anchors.add(
          headings
              .group(1)
              .toLowerCase(Locale.ROOT)
              .replaceAll("[^\\p{L}\\p{N} _-]", "")
              .replace(' ', '-'));
    }
    return anchors;
  }

  /** The folder whose pom.xml is mesh-parent itself, at or above the working directory. */
  private static Path repositoryRoot() throws IOException {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path pom = dir.resolve("pom.xml");
      if (Files.isRegularFile(pom)) {
        String own = Files.readString(pom).replaceAll("(?s)<parent>.*?</parent>", "");
        if (own.contains("<artifactId>mesh-parent</artifactId>")) {
          return dir;
        }
      }
    }
    throw new IllegalStateException(
        "No folder at or above " + Path.of("").toAbsolutePath() + " holds the mesh-parent pom.xml");
  }

  private static List<String> modules(String parentPom) {
    List<String> modules = new ArrayList<>();
    Matcher module = Pattern.compile("<module>\\s*([^<\\s]+)\\s*</module>").matcher(parentPom);
    while (module.find()) {
      modules.add(module.group(1));
    }
    return modules;
  }

  /** Regular files under a folder, outside .git, target and node_modules; none if it is absent. */
  private static List<Path> files(Path folder) throws IOException {
    List<Path> files = new ArrayList<>();
    if (!Files.isDirectory(folder)) {
      return files;
    }
    Files.walkFileTree(
        folder,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
            return SKIPPED_FOLDERS.contains(dir.getFileName().toString())
                ? FileVisitResult.SKIP_SUBTREE
                : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
            files.add(file);
            return FileVisitResult.CONTINUE;
          }
        });
    return files;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
