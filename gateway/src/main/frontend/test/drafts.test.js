// What this browser keeps about saved layouts (src/dashboard/drafts.js): each tab's unsaved changes,
// taking over what a closed tab left, the layout opened last, and the fingerprint that tells whether
// an arrangement changed. localStorage and sessionStorage are in-memory stand-ins of Web Storage.
import assert from 'node:assert/strict';
import { before, beforeEach, describe, test } from 'node:test';
import {
  fingerprint,
  forgetLast,
  hasOwnDraft,
  lastLayout,
  readDraft,
  removeDraft,
  rememberLast,
  writeDraft,
} from '../src/dashboard/drafts.js';

/** Web Storage's interface, in memory; `full` makes setItem throw as a full quota does. */
class MemoryStorage {
  #items = new Map();
  full = false;

  get length() {
    return this.#items.size;
  }

  key(i) {
    return [...this.#items.keys()][i] ?? null;
  }

  getItem(key) {
    return this.#items.has(key) ? this.#items.get(key) : null;
  }

  setItem(key, value) {
    if (this.full) throw new Error('QuotaExceededError');
    this.#items.set(key, String(value));
  }

  removeItem(key) {
    this.#items.delete(key);
  }

  clear() {
    this.#items.clear();
  }

  keys() {
    return [...this.#items.keys()];
  }
}

globalThis.localStorage = new MemoryStorage();
globalThis.sessionStorage = new MemoryStorage();

const CONFIG = { root: { type: 'row', content: [] } };

/** This tab's id, as drafts.js chose it (kept in sessionStorage). */
const ownTab = () => sessionStorage.getItem('mesh.tab');

/** A draft left in localStorage by tab `tab`. */
function leave(tab, layout, draft) {
  localStorage.setItem(
    `mesh.layout.draft.${layout}.${tab}`,
    JSON.stringify({
      format: 1,
      baseVersion: 3,
      baseline: 'b',
      config: CONFIG,
      changedAt: '2025-01-01T10:00:00.000Z',
      ...draft,
    }),
  );
}

// drafts.js picks this tab's id on first use
before(() => hasOwnDraft('any'));

beforeEach(() => {
  localStorage.clear();
  localStorage.full = false;
});

describe('this tab’s draft', () => {
  test('is read back after a reload, until it is removed', () => {
    assert.equal(writeDraft('sales', { baseVersion: 3, baseline: 'fp', config: CONFIG }), true);

    const draft = readDraft('sales');
    assert.equal(draft.baseVersion, 3);
    assert.equal(draft.baseline, 'fp');
    assert.deepEqual(draft.config, CONFIG);
    assert.ok(hasOwnDraft('sales'));
    assert.ok(!hasOwnDraft('other'));

    removeDraft('sales');
    assert.equal(readDraft('sales'), null);
    assert.ok(!hasOwnDraft('sales'));
  });

  test('is kept per tab: the key names this tab', () => {
    writeDraft('sales', { baseVersion: 1, baseline: 'fp', config: CONFIG });

    assert.deepEqual(localStorage.keys(), [`mesh.layout.draft.sales.${ownTab()}`]);
  });

  test('a full storage is no error: the write says it failed', (t) => {
    const warn = t.mock.method(console, 'warn', () => {});
    localStorage.full = true;

    assert.equal(writeDraft('sales', { baseVersion: 1, baseline: 'fp', config: CONFIG }), false);
    assert.equal(warn.mock.callCount(), 1);
  });

  test('what is not a draft of this format is ignored', () => {
    for (const broken of [{ format: 2 }, { config: null }, { baseVersion: '3' }, { baseVersion: 1.5 }]) {
      localStorage.clear();
      leave(ownTab(), 'sales', broken);
      assert.equal(readDraft('sales'), null, JSON.stringify(broken));
    }
    localStorage.setItem(`mesh.layout.draft.sales.${ownTab()}`, '{not json');
    assert.equal(readDraft('sales'), null);
  });
});

describe('a draft another tab left', () => {
  test('is taken over when that tab is closed, and leaves its old place', () => {
    leave('closed-tab', 'sales', { baseVersion: 7 });

    const draft = readDraft('sales');

    assert.equal(draft.baseVersion, 7);
    assert.deepEqual(localStorage.keys(), [`mesh.layout.draft.sales.${ownTab()}`]);
    assert.ok(hasOwnDraft('sales'));
  });

  test('the newest of several closed tabs wins', () => {
    leave('tab-a', 'sales', { baseVersion: 1, changedAt: '2025-01-01T10:00:00.000Z' });
    leave('tab-b', 'sales', { baseVersion: 2, changedAt: '2025-01-02T10:00:00.000Z' });
    leave('tab-c', 'sales', { baseVersion: 3, changedAt: '2024-12-31T10:00:00.000Z' });

    assert.equal(readDraft('sales').baseVersion, 2);
  });

  test('is left alone while that tab is open (it said so in the last 12 s)', () => {
    leave('open-tab', 'sales', {});
    localStorage.setItem('mesh.tab.alive.open-tab', String(Date.now() - 5000));

    assert.equal(readDraft('sales'), null);
    assert.ok(localStorage.getItem('mesh.layout.draft.sales.open-tab'));
  });

  test('is taken over once that tab has been silent for 12 s', () => {
    leave('silent-tab', 'sales', {});
    localStorage.setItem('mesh.tab.alive.silent-tab', String(Date.now() - 13000));

    assert.ok(readDraft('sales'));
  });

  test('of another layout is not taken', () => {
    leave('closed-tab', 'other', {});

    assert.equal(readDraft('sales'), null);
  });

  test('every tab’s drafts of a layout go when the layout is deleted, not those of others', () => {
    writeDraft('sales', { baseVersion: 1, baseline: 'fp', config: CONFIG });
    leave('tab-a', 'sales', {});
    leave('tab-a', 'other', {});

    removeDraft('sales', true);

    assert.deepEqual(localStorage.keys(), ['mesh.layout.draft.other.tab-a']);
  });
});

describe('the layout opened last', () => {
  test('is remembered with its link, and forgotten', () => {
    assert.equal(lastLayout(), null);

    rememberLast('sales', 'token-1');
    assert.deepEqual(lastLayout(), { id: 'sales', link: 'token-1' });

    rememberLast('traffic');
    assert.deepEqual(lastLayout(), { id: 'traffic', link: null });

    forgetLast('sales');
    assert.deepEqual(lastLayout(), { id: 'traffic', link: null }, 'forgetting another layout keeps it');
    forgetLast('traffic');
    assert.equal(lastLayout(), null);

    rememberLast('sales');
    forgetLast();
    assert.equal(lastLayout(), null, 'forgetLast() forgets whichever it is');
  });

  test('what is stored that is not a layout reads as none', () => {
    localStorage.setItem('mesh.dashboard.last', JSON.stringify({ id: '' }));
    assert.equal(lastLayout(), null);
    localStorage.setItem('mesh.dashboard.last', JSON.stringify({ id: 'sales', link: 5 }));
    assert.deepEqual(lastLayout(), { id: 'sales', link: null });
  });
});

describe('fingerprint: whether two arrangements are the same for a person', () => {
  const pane = (widget, size, attributes = {}, extra = {}) => ({
    type: 'component',
    size,
    sizeUnit: '%',
    title: widget,
    id: `id-${widget}`,
    componentState: { widget, attributes, frame: `f-${widget}` },
    ...extra,
  });
  const arrangement = (...windows) => ({
    root: { type: 'row', size: 100, sizeUnit: '%', content: windows },
    header: { show: 'top' },
  });

  test('titles, ids, frame ids and header settings do not count', () => {
    const a = arrangement(pane('sales-table', 50), pane('sales-chart', 50));
    const b = structuredClone(a);
    b.root.content[0].title = 'Renamed';
    b.root.content[0].id = 'other';
    b.root.content[0].componentState.frame = 'f-other';
    b.header = { show: false };

    assert.equal(fingerprint(a), fingerprint(b));
  });

  test('the order of a window’s settings does not count, their values do', () => {
    const a = arrangement(pane('sales-table', 100, { locale: 'de', theme: 'dark' }));
    const b = arrangement(pane('sales-table', 100, { theme: 'dark', locale: 'de' }));
    const c = arrangement(pane('sales-table', 100, { theme: 'dark', locale: 'fr' }));

    assert.equal(fingerprint(a), fingerprint(b));
    assert.notEqual(fingerprint(a), fingerprint(c));
  });

  test('sizes, widgets, order and popped-out windows count', () => {
    const base = arrangement(pane('sales-table', 50), pane('sales-chart', 50));
    const variants = [
      arrangement(pane('sales-table', 60), pane('sales-chart', 40)),
      arrangement(pane('sales-table', 50), pane('sales-kpis', 50)),
      arrangement(pane('sales-chart', 50), pane('sales-table', 50)),
      { ...base, openPopouts: [{ root: pane('top-pages', 100) }] },
    ];
    for (const variant of variants) assert.notEqual(fingerprint(variant), fingerprint(base));
  });

  test('no config has an empty fingerprint', () => {
    assert.equal(fingerprint(null), '');
    assert.equal(fingerprint('row'), '');
  });
});
