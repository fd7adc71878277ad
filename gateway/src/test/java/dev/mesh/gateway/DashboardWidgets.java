package dev.mesh.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Small widgets for the dashboard's browser tests, written into widget folders: one that greets the
 * selected region (with an attribute to keep), a kit of modules that fail in each possible way, and
 * a pair whose payload schemas do not fit. The kit's modules are registered by REST under ids of
 * their own, served from the kit folder at {@code /w/test-kit/<file>}.
 */
final class DashboardWidgets {

  static final String KIT = "test-kit";

  private DashboardWidgets() {}

  /**
   * A widget folder {@code greeter}: "Hello, world!", then the selected region; attribute {@code
   * greeting}.
   */
  static Path writeGreeter(Path widgets) {
    return write(
        widgets.resolve("greeter"),
        Map.of(
            "manifest.json",
                """
        {"tag": "mesh-test-greeter", "label": "Greeter", "description": "Greets the region selected in the sales table.",
         "module": "greeter.js", "version": "1.0.0", "owner": "qa", "domain": "testing", "domainKind": "consumer-aligned",
         "attributes": [{"name": "greeting", "type": "string", "description": "What to say", "default": "Hello"}],
         "listens": [{"topic": "row-selected", "schema": {"type": "object", "required": ["region"],
                      "properties": {"region": {"type": "string"}}}}]}
        """,
            "greeter.js",
                """
        const TAG = 'mesh-test-greeter';
        class Greeter extends HTMLElement {
          static observedAttributes = ['greeting'];
          #region = null;
          constructor() {
            super();
            this.addEventListener('mesh:event', (e) => {
              const region = e.detail && e.detail.payload && e.detail.payload.region;
              if (typeof region === 'string') { this.#region = region; this.#render(); }
            });
          }
          connectedCallback() { this.#render(); }
          attributeChangedCallback() { this.#render(); }
          #render() { this.textContent = `${this.getAttribute('greeting') || 'Hello'}, ${this.#region || 'world'}!`; }
        }
        if (!customElements.get(TAG)) customElements.define(TAG, Greeter);
        """));
  }

  /**
   * The kit folder: a harmless widget of its own, and the modules the REST registrations point at.
   */
  static Path writeKit(Path widgets) {
    return write(
        widgets.resolve(KIT),
        Map.of(
            "manifest.json",
                """
        {"tag": "mesh-test-kit", "label": "Test kit", "module": "kit.js", "version": "1.0.0", "owner": "qa",
         "domain": "testing", "domainKind": "consumer-aligned"}
        """,
            "kit.js",
                """
        if (!customElements.get('mesh-test-kit')) customElements.define('mesh-test-kit', class extends HTMLElement {});
        """,
            "throws-on-load.js", "throw new Error('this module fails on purpose');\n",
            "ctor-throws.js",
                """
        customElements.define('mesh-test-ctor-throws', class extends HTMLElement {
          constructor() { super(); throw new Error('the constructor fails on purpose'); }
        });
        """,
            "connected-throws.js",
                """
        customElements.define('mesh-test-connected-throws', class extends HTMLElement {
          connectedCallback() { throw new Error('connectedCallback fails on purpose'); }
        });
        """,
            "later-throws.js",
                """
        customElements.define('mesh-test-later-throws', class extends HTMLElement {
          connectedCallback() {
            const button = document.createElement('button');
            button.type = 'button';
            button.textContent = 'fail';
            button.addEventListener('click', () => { throw new Error('the click handler fails on purpose'); });
            this.replaceChildren(button);
          }
        });
        """,
            "price-ticker.js",
                """
        customElements.define('mesh-test-price-ticker', class extends HTMLElement {
          connectedCallback() { this.textContent = 'ticker'; }
        });
        """,
            "price-board.js",
                """
        customElements.define('mesh-test-price-board', class extends HTMLElement {
          connectedCallback() { this.textContent = 'board'; }
        });
        """));
  }

  /** A REST manifest for a widget whose module is a file of the kit. */
  static String kitManifest(String tag, String label, String file, String extra) {
    return """
      {"tag": "%s", "label": "%s", "module": "/w/%s/%s", "version": "1.0.0", "owner": "qa",
       "domain": "testing", "domainKind": "consumer-aligned"%s}
      """
        .formatted(tag, label, KIT, file, extra.isEmpty() ? "" : ", " + extra);
  }

  static final String TICKER_EMITS =
      """
    "emits": [{"topic": "price-changed", "schema": {"type": "object", "required": ["price"],
               "properties": {"price": {"type": "string"}}}}]""";

  static final String BOARD_LISTENS =
      """
    "listens": [{"topic": "price-changed", "schema": {"type": "object", "required": ["price", "currency"],
                 "properties": {"price": {"type": "number"}, "currency": {"type": "string"}}}}]""";

  /** PUT /api/widgets/{id} through the gateway; fails unless the registry took it. */
  static void register(String base, String id, String manifest) {
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(base + "/api/widgets/" + id))
                      .header("Content-Type", "application/json")
                      .PUT(HttpRequest.BodyPublishers.ofString(manifest))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw new IllegalStateException(
            "PUT " + id + ": " + response.statusCode() + " " + response.body());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Path write(Path folder, Map<String, String> files) {
    try {
      Path staging = Files.createTempDirectory(folder.getParent(), ".staging-");
      for (Map.Entry<String, String> file : files.entrySet()) {
        Files.writeString(staging.resolve(file.getKey()), file.getValue());
      }
      // one rename: the widget-host never sees a half-written folder
      Files.move(staging, folder);
      return folder;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
