package dev.mesh.gateway.identity;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** Who is calling: a user name, their groups and the role these give them. */
public record Identity(String user, List<String> groups, Role role) {

  private static final String KEY = "mesh.identity";

  public Identity {
    groups = List.copyOf(groups);
  }

  public boolean isAdmin() {
    return role == Role.ADMIN;
  }

  /** Editors and admins make layouts of their own; viewers only open other people's. */
  public boolean mayCreate() {
    return role != Role.VIEWER;
  }

  public boolean inGroup(String group) {
    return groups.contains(group);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("user", user)
        .put("groups", new JsonArray(groups))
        .put("role", role.json());
  }

  /** The identity the door's check ({@link Identities#admitting}) put on the request. */
  public static Identity of(RoutingContext ctx) {
    Identity identity = ctx.get(KEY);
    if (identity == null) {
      throw new IllegalStateException(
          "No identity on "
              + ctx.request().path()
              + ": its door's rule must ask who is calling (AccessRule.SIGNED_IN or higher)");
    }
    return identity;
  }

  void attachTo(RoutingContext ctx) {
    ctx.put(KEY, this);
  }
}
