// What the person may do with the open layout, and why not, from `GET /api/me` (role) and the
// layout's `access`. The server enforces the same rules; the page only hides or explains.

const EDITING = ['owner', 'admin', 'editor'];

/**
 * me: {user, groups, role} or null (unknown: meError says why); layout: the open layout or null (the
 * scratch layout); link: whether it was opened with a link token.
 */
export function accessOf({ me, meError, layout, link }) {
  const role = me ? me.role : null;
  const unavailable = me ? null : `Layouts are unavailable: ${meError || 'the server did not say who you are.'}`;
  const canCreate = role === 'editor' || role === 'admin';
  const createWhy =
    unavailable || (canCreate ? null : 'Your role is viewer: you can open layouts shared with you, not create them.');
  if (!layout) {
    return {
      role,
      unavailable,
      canCreate,
      createWhy,
      canEdit: false,
      editWhy: 'Save this layout first.',
      canManage: false,
      manageWhy: 'Save this layout first.',
    };
  }
  let editWhy = null;
  if (layout.provisioned) editWhy = 'Provisioned from a file: clone it to change it.';
  else if (role === 'viewer') editWhy = 'Your role is viewer: you can look at layouts, not change them.';
  else if (!EDITING.includes(layout.access)) {
    editWhy = link
      ? 'The link you opened lets you view this layout, not change it: clone it to change it.'
      : `${layout.owner} shared this layout with you as a viewer: clone it to change it.`;
  }
  const canManage = !layout.provisioned && (layout.access === 'owner' || layout.access === 'admin');
  let manageWhy = null;
  if (layout.provisioned) manageWhy = 'Provisioned from a file: everybody sees it, nobody changes it here.';
  else if (!canManage) manageWhy = `Only its owner (${layout.owner}) can do that.`;
  return { role, unavailable, canCreate, createWhy, canEdit: editWhy === null, editWhy, canManage, manageWhy };
}
