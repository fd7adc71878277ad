// Who the header says is signed in, from `GET /api/me`: `alice · editor`, with the groups in the
// tooltip; and, in identity mode accounts (docs/identity.md), where to sign out. The server names
// that place (`signOut`, present only where there is a session to end), so a page in mode local
// shows no Sign out at all.

/**
 * me: {user, groups, role, signOut?} or null (unknown: meError says why). Answers {text, title,
 * signOut}: the badge's text and tooltip, and the path a form posts to to sign out, or null.
 */
export function signedIn(me, meError) {
  if (!me) return { text: 'not signed in', title: meError || '', signOut: null };
  const groups = Array.isArray(me.groups) && me.groups.length > 0 ? ` (${me.groups.join(', ')})` : '';
  return {
    text: `${me.user} · ${me.role}`,
    title: `Signed in as ${me.user}${groups}`,
    signOut: gatewayPath(me.signOut),
  };
}

/** A path of the gateway itself ("/auth/sign-out"), never another site's ("//host", "https:…"). */
function gatewayPath(path) {
  return typeof path === 'string' && path.startsWith('/') && !path.startsWith('//') && !path.startsWith('/\\')
    ? path
    : null;
}
