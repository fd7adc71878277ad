package dev.mesh.gateway.layouts;

import dev.mesh.testing.Http;
import dev.mesh.testing.Layouts;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The layouts API as one person calls it, for the browser tests' set-up and for checking what the
 * server holds after the page did something: identity by the trusted headers the gateway honours
 * from loopback.
 */
final class LayoutsHttp {

  private final Http http;

  LayoutsHttp(String base, String user, String groups) {
    this.http = new Http(base).as(user, groups).with("Accept", "application/json");
  }

  Http.Answer call(String method, String path, JsonObject body, Integer ifMatch) {
    return http.sendJson(method, path, body, ifMatch(ifMatch));
  }

  /** Calls and fails unless the answer is {@code status}. */
  JsonObject expect(int status, String method, String path, JsonObject body, Integer ifMatch) {
    return http.expect(status, method, path, body, ifMatch(ifMatch));
  }

  private static String[] ifMatch(Integer version) {
    return version == null ? new String[0] : new String[] {"If-Match", "\"" + version + "\""};
  }

  /** Creates a layout of this golden-layout config (e.g. {@link Layouts#row(String...)}). */
  JsonObject create(String name, JsonObject config) {
    return expect(201, "POST", "/api/layouts", Layouts.layout(name, Layouts.content(config)), null);
  }

  JsonObject get(String id) {
    return expect(200, "GET", "/api/layouts/" + id, null, null);
  }

  JsonObject update(String id, int version, JsonObject changes) {
    return expect(200, "PUT", "/api/layouts/" + id, changes, version);
  }

  void share(String id, JsonArray shares, JsonObject link) {
    expect(
        200,
        "PUT",
        "/api/layouts/" + id + "/shares",
        new JsonObject().put("shares", shares).put("link", link),
        null);
  }
}
