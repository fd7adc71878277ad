// What the marketplace lists (src/dashboard/market-view.js, drawn by marketplace.js): the registry's
// widgets grouped by data-mesh domain, the search, and the sentences above or instead of the list.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { countText, emptyText, marketView } from '../src/dashboard/market-view.js';

function entry(id, manifest, available = true) {
  return { id, manifest: manifest && { id, version: '1.0.0', owner: 'team', ...manifest }, available };
}

const CATALOG = [
  entry('sales-table', { label: 'Sales table', domain: 'sales', description: 'Sales of 2025 per region' }),
  entry('sales-chart', { label: 'Sales chart', domain: 'sales', owner: 'charts-team' }),
  entry('sales-kpis', { label: 'Key figures', domain: 'sales', domainKind: 'consumer-aligned' }),
  entry('site-traffic', { label: 'Site traffic', domain: 'web-analytics', tags: { source: 'tracker' } }),
  entry('top-pages', { label: 'Top pages', domain: 'web-analytics' }),
  entry('hello-widget', { label: 'Hello widget' }),
];

/** [domain, [labels…]] per group, as the panel shows them from top to bottom. */
const shown = (view) => view.groups.map((g) => [g.domain, g.entries.map((e) => e.manifest.label)]);

describe('grouping', () => {
  test('widgets are listed under their domain, domains and labels in alphabetical order', () => {
    const view = marketView(CATALOG, new Map(), '');

    assert.deepEqual(shown(view), [
      ['sales', ['Key figures', 'Sales chart', 'Sales table']],
      ['unassigned', ['Hello widget']],
      ['web-analytics', ['Site traffic', 'Top pages']],
    ]);
    assert.equal(view.total, 6);
    assert.equal(view.shown, 6);
  });

  test('a widget without a label is sorted by its id', () => {
    const view = marketView(
      [entry('zeta', { domain: 'd', label: 'Alpha' }), entry('beta', { domain: 'd' })],
      new Map(),
      '',
    );

    assert.deepEqual(
      view.groups[0].entries.map((e) => e.id),
      ['zeta', 'beta'],
    );
  });

  test('a widget that left the registry is listed only while it is placed, and does not count', () => {
    const catalog = [...CATALOG, entry('old-map', { label: 'Old map', domain: 'sales' }, false)];

    assert.equal(marketView(catalog, new Map(), '').groups[0].entries.length, 3);

    const view = marketView(catalog, new Map([['old-map', 2]]), '');
    const sales = view.groups.find((g) => g.domain === 'sales').entries;
    assert.deepEqual(
      sales.map((e) => [e.manifest.label, e.available]),
      [
        ['Key figures', true],
        ['Old map', false],
        ['Sales chart', true],
        ['Sales table', true],
      ],
    );
    assert.equal(view.total, 6, 'the count is of available widgets');
    assert.equal(view.shown, 7);
  });

  test('an entry the catalog knows without a manifest is not listed', () => {
    const view = marketView([entry('ghost', null, false), entry('ok', { domain: 'd' })], new Map([['ghost', 1]]), '');

    assert.deepEqual(
      view.groups.flatMap((g) => g.entries.map((e) => e.id)),
      ['ok'],
    );
  });
});

describe('search', () => {
  const labels = (query) => shown(marketView(CATALOG, new Map(), query)).flatMap(([, list]) => list);

  test('finds a widget by label, id, description, domain, owner, kind or tag', () => {
    assert.deepEqual(labels('chart'), ['Sales chart']);
    assert.deepEqual(labels('top-pages'), ['Top pages']);
    assert.deepEqual(labels('per region'), ['Sales table']);
    assert.deepEqual(labels('web-analytics'), ['Site traffic', 'Top pages']);
    assert.deepEqual(labels('charts-team'), ['Sales chart']);
    assert.deepEqual(labels('consumer-aligned'), ['Key figures']);
    assert.deepEqual(labels('tracker'), ['Site traffic'], 'a tag value');
    assert.deepEqual(labels('source'), ['Site traffic'], 'a tag name');
  });

  test('is case-insensitive for the text searched (the query comes lower case)', () => {
    assert.deepEqual(labels('sales table'), ['Sales table']);
  });

  test('keeps the domain groups of what matches, and counts it', () => {
    const view = marketView(CATALOG, new Map(), 'team');

    assert.equal(view.shown, 6);
    assert.equal(marketView(CATALOG, new Map(), 'nothing like this').shown, 0);
    assert.deepEqual(marketView(CATALOG, new Map(), 'nothing like this').groups, []);
  });
});

describe('what the panel says', () => {
  const loaded = { loaded: true, error: null };

  test('while the registry has not answered', () => {
    assert.equal(countText({ loaded: false, error: null }, { total: 0, shown: 0 }, ''), 'Loading the registry…');
    assert.equal(
      countText({ loaded: false, error: 'HTTP 503' }, { total: 0, shown: 0 }, 'sales'),
      'The registry cannot be reached (HTTP 503); trying again…',
    );
  });

  test('how many widgets there are, or match the search as typed', () => {
    assert.equal(countText(loaded, { total: 6, shown: 6 }, ''), '6 widgets in the registry');
    assert.equal(countText(loaded, { total: 1, shown: 1 }, ''), '1 widget in the registry');
    assert.equal(countText(loaded, { total: 6, shown: 3 }, 'Sales'), '3 of 6 widgets match “Sales”');
    assert.equal(countText(loaded, { total: 1, shown: 0 }, 'x'), '0 of 1 widget match “x”');
  });

  test('instead of an empty list', () => {
    assert.equal(
      emptyText(0),
      'No widget is registered yet. Drop one into the widgets folder and it appears here within seconds.',
    );
    assert.equal(emptyText(4), 'No widget matches.');
  });
});
