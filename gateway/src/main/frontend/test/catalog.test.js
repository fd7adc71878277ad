// The registry's widgets as the dashboard knows them (src/dashboard/catalog.js): the first read of
// GET /api/widgets, the change feed, polling while the bridge is down, and why a widget is missing.
// fetch is replaced per test by a stand-in that answers like the gateway.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { CHANGES_ADDRESS, Catalog, unavailableReason } from '../src/dashboard/catalog.js';

/** The SDK's bus as the catalog uses it: watch an address, hear the bridge's status. */
class FakeBus {
  watched = new Map(); // address → handler
  statusListeners = [];

  watch(address, handler) {
    this.watched.set(address, handler);
    return () => this.watched.delete(address);
  }

  onStatus(listener) {
    this.statusListeners.push(listener);
  }

  status(status) {
    for (const listener of this.statusListeners) listener(status);
  }
}

const manifest = (id, extra = {}) => ({ id, label: id, version: '1.0.0', owner: 'team', ...extra });
const record = (id, extra) => ({ id, manifest: manifest(id, extra) });

const realFetch = globalThis.fetch;
let requests;
let answers;

/**
 * Answers the next GET /api/widgets with `body` (status 200 unless given), or throws `error`. The
 * answers are used in order; the last one is repeated.
 */
function answer(body, { status = 200, error } = {}) {
  answers.push({ body, status, error, used: false });
}

beforeEach(() => {
  requests = [];
  answers = [];
  globalThis.fetch = async (url, options) => {
    requests.push({ url, options });
    const next = answers.find((a) => !a.used) ?? answers.at(-1);
    if (!next) throw new Error('no answer set up for this request');
    next.used = true;
    if (next.error) throw next.error;
    return { ok: next.status >= 200 && next.status < 300, status: next.status, json: async () => next.body };
  };
});

afterEach(() => {
  globalThis.fetch = realFetch;
});

describe('reading the registry', () => {
  test('lists every widget of GET /api/widgets as available, and tells its listeners', async () => {
    answer({ widgets: [record('sales-table'), record('sales-chart')] });
    const catalog = new Catalog(new FakeBus());
    const events = [];
    catalog.onChange((e) => events.push(e.type));

    await catalog.refresh();

    assert.equal(requests[0].url, '/api/widgets');
    assert.equal(catalog.loaded, true);
    assert.equal(catalog.error, null);
    assert.deepEqual(
      catalog.entries().map((e) => [e.id, e.available]),
      [
        ['sales-table', true],
        ['sales-chart', true],
      ],
    );
    assert.equal(catalog.get('sales-chart').manifest.label, 'sales-chart');
    assert.equal(catalog.get('nope'), null);
    assert.deepEqual(events, ['reload']);
  });

  test('a widget missing from a later read stays known, as removed', async () => {
    answer({ widgets: [record('sales-table'), record('sales-chart')] });
    answer({ widgets: [record('sales-table')] });
    const catalog = new Catalog(new FakeBus());

    await catalog.refresh();
    await catalog.refresh();

    const gone = catalog.get('sales-chart');
    assert.equal(gone.available, false);
    assert.equal(gone.reason, 'removed');
    assert.match(unavailableReason(gone, 'sales-chart'), /^It was removed from the registry at .+\.$/);
    assert.equal(catalog.get('sales-table').available, true);
  });

  test('records without an id or a manifest are skipped', async () => {
    answer({ widgets: [null, { id: 'no-manifest' }, { manifest: manifest('no-id') }, record('ok')] });
    const catalog = new Catalog(new FakeBus());

    await catalog.refresh();

    assert.deepEqual(
      catalog.entries().map((e) => e.id),
      ['ok'],
    );
  });

  test('a refusal keeps the message of the registry, and what was known', async () => {
    answer({ widgets: [record('sales-table')] });
    answer({ message: 'the registry is starting' }, { status: 503 });
    const catalog = new Catalog(new FakeBus());
    await catalog.refresh();

    await catalog.refresh();

    assert.equal(catalog.error, 'the registry is starting');
    assert.equal(catalog.get('sales-table').available, true);
  });

  test('an error without a message says the status; an odd body and no connection say so', async () => {
    const catalog = new Catalog(new FakeBus());

    answer(null, { status: 502 });
    await catalog.refresh();
    assert.equal(catalog.error, 'HTTP 502');
    assert.equal(catalog.loaded, false);

    answer({ items: [] });
    await catalog.refresh();
    assert.equal(catalog.error, 'unexpected answer from the registry');

    answer(null, { error: new TypeError('Failed to fetch') });
    await catalog.refresh();
    assert.equal(catalog.error, 'Failed to fetch');
  });

  test('calls made while a read runs share that one request', async () => {
    answer({ widgets: [] });
    const catalog = new Catalog(new FakeBus());

    const first = catalog.refresh();
    const second = catalog.refresh();
    assert.equal(first, second);
    await first;

    assert.equal(requests.length, 1);
  });
});

describe('the change feed', () => {
  let catalog;
  let events;

  beforeEach(async () => {
    answer({ widgets: [record('sales-table'), record('sales-chart')] });
    catalog = new Catalog(new FakeBus());
    await catalog.refresh();
    events = [];
    catalog.onChange((e) => events.push(e));
  });

  test('a registered widget appears at once, an update replaces its manifest', () => {
    catalog.apply({ type: 'registered', id: 'top-pages', widget: record('top-pages'), at: '2025-01-01T10:00:00Z' });
    catalog.apply({ type: 'updated', id: 'sales-table', widget: record('sales-table', { version: '2.0.0' }) });

    assert.equal(catalog.get('top-pages').available, true);
    assert.equal(catalog.get('sales-table').manifest.version, '2.0.0');
    assert.deepEqual(
      events.map((e) => [e.type, e.id]),
      [
        ['registered', 'top-pages'],
        ['updated', 'sales-table'],
      ],
    );
    assert.equal(events[0].entry, catalog.get('top-pages'));
  });

  test('a change without the widget reads the whole list again', async () => {
    answer({ widgets: [record('sales-table'), record('sales-chart'), record('new-one')] });
    catalog.apply({ type: 'registered', id: 'new-one' });
    await catalog.refresh();

    assert.equal(requests.length, 2);
    assert.equal(catalog.get('new-one').available, true);
  });

  test('expired, its host left, or removed: unavailable, with the reason a frame shows', () => {
    catalog.apply({ type: 'expired', id: 'sales-table', at: '2025-01-01T10:00:00Z' });
    catalog.apply({ type: 'expired', id: 'sales-chart', reason: 'member-left' });
    catalog.apply({ type: 'removed', id: 'other', widget: record('other') });

    assert.equal(catalog.get('sales-table').reason, 'expired');
    assert.equal(catalog.get('sales-chart').reason, 'host-left');
    assert.equal(catalog.get('other').reason, 'removed');
    assert.equal(catalog.get('other').manifest.id, 'other', 'a widget first heard of as removed keeps its manifest');
    for (const id of ['sales-table', 'sales-chart', 'other']) assert.equal(catalog.get(id).available, false);
    assert.match(
      unavailableReason(catalog.get('sales-table'), 'sales-table'),
      /^Its registration expired at .+ \(no heartbeat\)\.$/,
    );
    assert.match(unavailableReason(catalog.get('sales-chart'), 'sales-chart'), /^Its host left at .+\.$/);
  });

  test('a widget that comes back after it expired is available again', () => {
    catalog.apply({ type: 'expired', id: 'sales-table' });
    catalog.apply({ type: 'registered', id: 'sales-table', widget: record('sales-table') });

    assert.equal(catalog.get('sales-table').available, true);
    assert.equal(catalog.get('sales-table').reason, null);
  });

  test('unknown or malformed changes are ignored', () => {
    catalog.apply({ type: 'renamed', id: 'sales-table' });
    catalog.apply({ type: 'removed' });
    catalog.apply(null);
    catalog.apply('removed');

    assert.deepEqual(events, []);
    assert.equal(catalog.get('sales-table').available, true);
  });

  test('a listener that throws does not keep the others from hearing', (t) => {
    t.mock.method(console, 'error', () => {});
    const heard = [];
    catalog.onChange(() => {
      throw new Error('boom');
    });
    catalog.onChange((e) => heard.push(e.id));

    catalog.apply({ type: 'removed', id: 'sales-chart' });

    assert.deepEqual(heard, ['sales-chart']);
  });

  test('onChange returns the function that stops listening', () => {
    const heard = [];
    const off = catalog.onChange((e) => heard.push(e.id));
    off();

    catalog.apply({ type: 'removed', id: 'sales-chart' });

    assert.deepEqual(heard, []);
  });
});

describe('start', () => {
  test('watches the change feed, polls every 5 s while the bridge is down, reads again when it opens', async (t) => {
    t.mock.timers.enable({ apis: ['setInterval'] });
    answer({ widgets: [record('sales-table')] });
    const bus = new FakeBus();
    const catalog = new Catalog(bus);

    await catalog.start();
    assert.equal(requests.length, 1);

    bus.watched.get(CHANGES_ADDRESS)({ type: 'removed', id: 'sales-table' });
    assert.equal(catalog.get('sales-table').available, false);

    bus.status('reconnecting');
    t.mock.timers.tick(4999);
    assert.equal(requests.length, 1);
    t.mock.timers.tick(1);
    await catalog.refresh(); // the read the timer started
    t.mock.timers.tick(5000);
    await catalog.refresh();
    assert.equal(requests.length, 3, 'one read per 5 s while down');

    bus.status('open');
    await catalog.refresh();
    assert.equal(requests.length, 4, 'one more read when the bridge opens');
    t.mock.timers.tick(20000);
    assert.equal(requests.length, 4, 'and no polling after');
  });
});

describe('unavailableReason', () => {
  test('says in words why a widget cannot be shown', () => {
    assert.equal(unavailableReason(null, 'sales-map'), 'No widget “sales-map” is registered.');
    assert.equal(unavailableReason({ reason: 'host-left', at: null }, 'x'), 'Its host left.');
    assert.equal(unavailableReason({ reason: 'expired', at: null }, 'x'), 'Its registration expired (no heartbeat).');
    assert.equal(unavailableReason({ reason: 'removed', at: null }, 'x'), 'It was removed from the registry.');
    assert.equal(unavailableReason({ reason: null, at: null }, 'x'), 'It is not in the registry right now.');
  });
});
