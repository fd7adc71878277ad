// The header's line about the open layout: its name, owner, whether the page holds unsaved changes,
// and its version. `data-state` says which: scratch (this browser's unsaved layout), saved, unsaved,
// read-only, view, revision.
import { clock, h, setChildren } from './dom.js';

const STATES = {
  scratch: 'not saved · this browser only',
  saved: 'saved',
  unsaved: 'unsaved changes',
  'read-only': 'read only',
  view: '',
  revision: 'old version · read only',
};

/** root: the header's element; me: {user} or null. */
export function renderLayoutInfo(root, { layout, state, version, me, note }) {
  const owner = layout && layout.owner ? (me && me.user === layout.owner ? 'yours' : `by ${layout.owner}`) : null;
  const name = layout ? layout.name : 'Scratch layout';
  root.dataset.state = state;
  setChildren(
    root,
    h('span', { class: 'layout-name', title: layout && layout.description ? layout.description : name }, name),
    owner && state !== 'view' ? h('span', { class: 'layout-owner' }, owner) : null,
    STATES[state] ? h('span', { class: 'layout-state', 'data-state': state, role: 'status' }, STATES[state]) : null,
    version ? h('span', { class: 'layout-version', title: savedLine(layout) }, `v${version}`) : null,
    note ? h('span', { class: 'layout-note' }, note) : null,
  );
  document.title = layout ? `${layout.name} · Mesh` : 'Mesh';
}

function savedLine(layout) {
  if (!layout || !layout.updatedAt) return '';
  const date = new Date(layout.updatedAt);
  const day = Number.isNaN(date.getTime()) ? '' : date.toLocaleDateString();
  return `Saved ${day} ${clock(layout.updatedAt)}${layout.updatedBy ? ` by ${layout.updatedBy}` : ''}`;
}

/** "v3 saved by bob at 10:31 on 12/05/2025" */
export function describeVersion(version, by, at) {
  const date = at ? new Date(at) : null;
  const when = date && !Number.isNaN(date.getTime()) ? ` at ${clock(at)} on ${date.toLocaleDateString()}` : '';
  return `version ${version}${by ? ` saved by ${by}` : ''}${when}`;
}
