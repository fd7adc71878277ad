// What this browser keeps about saved layouts, in localStorage: the working copy of each layout that
// has unsaved changes (a draft, so that a reload or a crash never loses an edit), and the layout it
// used last (what `/` opens).
//
//   mesh.layout.draft.<id>   {format, baseVersion, baseline, config, changedAt}
//   mesh.dashboard.last      {id, link}

const DRAFT_PREFIX = 'mesh.layout.draft.';
const LAST_KEY = 'mesh.dashboard.last';
const FORMAT = 1;

function read(key) {
  try {
    const raw = localStorage.getItem(key);
    return raw ? JSON.parse(raw) : null;
  } catch {
    return null;
  }
}

function write(key, value) {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
    return true;
  } catch (e) {
    console.warn('[mesh] localStorage refused', key, e);
    return false;
  }
}

/**
 * The draft of layout `id`: {baseVersion, baseline, config, changedAt} or null. `baseVersion` is the
 * saved version the changes start from; `baseline` the fingerprint of that version as this page saw it.
 */
export function readDraft(id) {
  const draft = read(DRAFT_PREFIX + id);
  if (!draft || draft.format !== FORMAT || !draft.config || typeof draft.config !== 'object' || !Number.isInteger(draft.baseVersion)) return null;
  return draft;
}

export function writeDraft(id, { baseVersion, baseline, config }) {
  return write(DRAFT_PREFIX + id, { format: FORMAT, baseVersion, baseline, config, changedAt: new Date().toISOString() });
}

export function removeDraft(id) {
  write(DRAFT_PREFIX + id, null);
}

/** The layout this browser opened last for editing: {id, link} or null. */
export function lastLayout() {
  const last = read(LAST_KEY);
  return last && typeof last.id === 'string' && last.id ? { id: last.id, link: typeof last.link === 'string' ? last.link : null } : null;
}

export function rememberLast(id, link) {
  write(LAST_KEY, id ? { id, link: link || null } : null);
}

export function forgetLast(id) {
  const last = lastLayout();
  if (last && (!id || last.id === id)) write(LAST_KEY, null);
}

/**
 * What makes two arrangements the same for a person: the tree of rows, columns and stacks with their
 * sizes and active windows, and each window's widget and settings; not titles (frames take them from
 * the widget's manifest), ids or header settings. `config` is golden-layout's resolved config.
 */
export function fingerprint(config) {
  if (!config || typeof config !== 'object') return '';
  const item = (node) => {
    if (!node || typeof node !== 'object') return null;
    if (node.type === 'component') {
      const state = node.componentState && typeof node.componentState === 'object' ? node.componentState : {};
      return ['w', node.size, node.sizeUnit, state.widget || '', sortedEntries(state.attributes)];
    }
    return [node.type, node.size, node.sizeUnit, node.activeItemIndex, Boolean(node.maximised),
      (Array.isArray(node.content) ? node.content : []).map(item)];
  };
  const popouts = (Array.isArray(config.openPopouts) ? config.openPopouts : []).map((p) => item(p && p.root));
  return JSON.stringify([item(config.root), popouts]);
}

function sortedEntries(object) {
  if (!object || typeof object !== 'object') return [];
  return Object.keys(object).sort().map((key) => [key, object[key]]);
}
