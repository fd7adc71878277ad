package dev.mesh.gateway.layouts;

import dev.mesh.gateway.identity.Identity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The caller's access to one layout and, when it is less than editing, why: the reason a 403 gives.
 * Who sees what: the owner and admins everything; users and groups it is shared with, and link
 * holders, with the share's role; everybody, read only, a provisioned layout.
 */
record Grant(Access access, String reason) {

  /** The caller's access, or null when they may not see the layout at all. */
  static Grant of(Layout layout, Identity who, String linkToken) {
    if (layout.provisioned()) {
      return new Grant(
          Access.VIEWER,
          "This layout is provisioned from the file "
              + layout.provisionedFile()
              + " and read only for everybody: clone it to change it");
    }
    if (who.user().equals(layout.owner())) {
      return new Grant(Access.OWNER, null);
    }
    if (who.isAdmin()) {
      return new Grant(Access.ADMIN, null);
    }
    Grant best = null;
    for (Layout.Share share : layout.shares()) {
      boolean mine =
          "user".equals(share.kind()) ? who.user().equals(share.name()) : who.inGroup(share.name());
      if (mine) {
        String with = "user".equals(share.kind()) ? "you" : "the group " + share.name();
        best =
            better(
                best,
                new Grant(
                    share.role(),
                    layout.owner()
                        + " shared this layout with "
                        + with
                        + " as a "
                        + share.role().json()));
      }
    }
    if (linkToken != null && layout.link() != null && sameToken(linkToken, layout.link().token())) {
      best =
          better(
              best,
              new Grant(
                  layout.link().role(),
                  "The link you opened gives " + layout.link().role().json() + " access"));
    }
    return best;
  }

  /** The caller's access from a listing, where the database already picked the best share role. */
  static Grant listed(Layout layout, Identity who, Access sharedAs) {
    if (layout.provisioned()) {
      return new Grant(Access.VIEWER, null);
    }
    if (who.user().equals(layout.owner())) {
      return new Grant(Access.OWNER, null);
    }
    if (who.isAdmin()) {
      return new Grant(Access.ADMIN, null);
    }
    return new Grant(sharedAs == null ? Access.VIEWER : sharedAs, null);
  }

  private static Grant better(Grant current, Grant candidate) {
    return current == null || candidate.access.compareTo(current.access) > 0 ? candidate : current;
  }

  /** Compared in constant time, so a token cannot be guessed from how long a refusal takes. */
  private static boolean sameToken(String given, String actual) {
    return MessageDigest.isEqual(
        given.getBytes(StandardCharsets.UTF_8), actual.getBytes(StandardCharsets.UTF_8));
  }

  /** Refuses unless the caller may save new versions of the layout. */
  void requireEdit() {
    if (!access.mayEdit()) {
      throw LayoutRefusal.forbidden(reason + "; you may open and clone it, not change it");
    }
  }

  /** Refuses unless the caller owns the layout or is an admin (sharing, deleting). */
  void requireManage(Layout layout, String what) {
    if (layout.provisioned()) {
      throw LayoutRefusal.forbidden(reason);
    }
    if (!access.mayManage()) {
      throw LayoutRefusal.forbidden(
          "Only the owner ("
              + layout.owner()
              + ") or an admin may "
              + what
              + "; "
              + Character.toLowerCase(reason.charAt(0))
              + reason.substring(1));
    }
  }
}
