// What this browser keeps about saved layouts, in localStorage: the working copy of a layout that
// has unsaved changes (a draft, so that a reload or a crash never loses an edit), and the layout it
// used last (what `/` opens).
//
//   mesh.layout.draft.<id>.<tab>   {format, baseVersion, baseline, config, changedAt}
//   mesh.tab.alive.<tab>           when that tab last said it is open (every few seconds)
//   mesh.dashboard.last            {id, link}
//
// Drafts are per tab (the tab's id lives in sessionStorage, which survives a reload), so that two tabs
// editing one layout never overwrite each other's changes: each saves its own, and the second save
// gets the 409 dialog. A tab that opens a layout takes over the newest draft that a closed tab left.

const DRAFT_PREFIX = 'mesh.layout.draft.';
const ALIVE_PREFIX = 'mesh.tab.alive.';
const LAST_KEY = 'mesh.dashboard.last';
const FORMAT = 1;
const ALIVE_EVERY = 4000;
const GONE_AFTER = 12000;

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

function keys(prefix) {
  const found = [];
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (key && key.startsWith(prefix)) found.push(key);
    }
  } catch {
    // no storage
  }
  return found;
}

function isAlive(tab) {
  const at = Number(read(ALIVE_PREFIX + tab));
  return Number.isFinite(at) && Date.now() - at < GONE_AFTER;
}

let tab = null;

/** This tab's id: kept over reloads; a new one when another open tab has the same (a duplicated tab). */
function tabId() {
  if (tab) return tab;
  try {
    tab = sessionStorage.getItem('mesh.tab');
  } catch {
    tab = null;
  }
  if (!tab || isAlive(tab)) {
    tab = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    try {
      sessionStorage.setItem('mesh.tab', tab);
    } catch {
      // no session storage: drafts are per page load
    }
  }
  return tab;
}

let aliveTimer = null;

/** Tells other tabs that this one is open (so that they do not take over its drafts). */
export function keepAlive() {
  if (aliveTimer !== null) return;
  const key = ALIVE_PREFIX + tabId();
  const beat = () => write(key, Date.now());
  beat();
  aliveTimer = setInterval(beat, ALIVE_EVERY);
  window.addEventListener('pagehide', () => {
    clearInterval(aliveTimer);
    write(key, null);
  });
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) {
      beat();
      aliveTimer = setInterval(beat, ALIVE_EVERY);
    }
  });
}

function valid(draft) {
  return draft &&
    draft.format === FORMAT &&
    draft.config &&
    typeof draft.config === 'object' &&
    Number.isInteger(draft.baseVersion)
    ? draft
    : null;
}

/**
 * The draft of layout `id` for this tab: {baseVersion, baseline, config, changedAt} or null; this
 * tab's own, else the newest one a closed tab left (then it becomes this tab's). `baseVersion` is
 * the saved version the changes start from; `baseline` the fingerprint of that version.
 */
export function readDraft(id) {
  const own = valid(read(`${DRAFT_PREFIX}${id}.${tabId()}`));
  if (own) return own;
  let newest = null;
  for (const key of keys(`${DRAFT_PREFIX}${id}.`)) {
    const other = key.slice(`${DRAFT_PREFIX}${id}.`.length);
    const draft = valid(read(key));
    if (!draft || isAlive(other)) continue;
    if (!newest || String(draft.changedAt) > String(newest.draft.changedAt)) newest = { key, draft };
  }
  if (!newest) return null;
  write(`${DRAFT_PREFIX}${id}.${tabId()}`, newest.draft);
  write(newest.key, null);
  return newest.draft;
}

/** Whether this tab holds unsaved changes of layout `id`. */
export function hasOwnDraft(id) {
  return Boolean(valid(read(`${DRAFT_PREFIX}${id}.${tabId()}`)));
}

export function writeDraft(id, { baseVersion, baseline, config }) {
  return write(`${DRAFT_PREFIX}${id}.${tabId()}`, {
    format: FORMAT,
    baseVersion,
    baseline,
    config,
    changedAt: new Date().toISOString(),
  });
}

/** Forgets this tab's draft of layout `id`; every tab's with `everyTab` (the layout is gone). */
export function removeDraft(id, everyTab = false) {
  if (everyTab) for (const key of keys(`${DRAFT_PREFIX}${id}.`)) write(key, null);
  else write(`${DRAFT_PREFIX}${id}.${tabId()}`, null);
}

/** The layout this browser opened last for editing: {id, link} or null. */
export function lastLayout() {
  const last = read(LAST_KEY);
  return last && typeof last.id === 'string' && last.id
    ? { id: last.id, link: typeof last.link === 'string' ? last.link : null }
    : null;
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
    return [
      node.type,
      node.size,
      node.sizeUnit,
      node.activeItemIndex,
      Boolean(node.maximised),
      (Array.isArray(node.content) ? node.content : []).map(item),
    ];
  };
  const popouts = (Array.isArray(config.openPopouts) ? config.openPopouts : []).map((p) => item(p && p.root));
  return JSON.stringify([item(config.root), popouts]);
}

function sortedEntries(object) {
  if (!object || typeof object !== 'object') return [];
  return Object.keys(object)
    .sort()
    .map((key) => [key, object[key]]);
}
