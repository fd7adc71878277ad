// The dashboard's own addresses (src/dashboard/page-url.js): what `/?layout=…` asks for, and the
// links the page builds.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pageUrl, requested } from '../src/dashboard/page-url.js';

test('an address asks for a layout, a mode, a link token and a revision', () => {
  assert.deepEqual(requested('?layout=sales&mode=view&link=tok&revision=4'), {
    id: 'sales',
    mode: 'view',
    link: 'tok',
    revision: 4,
  });
  assert.deepEqual(requested(''), { id: null, mode: 'edit', link: null, revision: null });
});

test('an unknown mode is edit, and a revision that is not a positive whole number is none', () => {
  assert.equal(requested('?layout=a&mode=print').mode, 'edit');
  for (const revision of ['0', '-1', '1.5', 'x'])
    assert.equal(requested(`?layout=a&revision=${revision}`).revision, null);
});

test('the page builds the addresses it reads', () => {
  assert.equal(pageUrl({}), '/');
  assert.equal(pageUrl({ id: 'sales' }), '/?layout=sales');
  assert.equal(pageUrl({ id: 'sales', mode: 'edit' }), '/?layout=sales');
  const url = pageUrl({ id: 'q3 sales', mode: 'view', revision: 2, link: 'a&b' });
  assert.equal(url, '/?layout=q3+sales&mode=view&revision=2&link=a%26b');
  assert.deepEqual(requested(url.slice(1)), { id: 'q3 sales', mode: 'view', link: 'a&b', revision: 2 });
});

test('without a layout, mode, revision and link are left out', () => {
  assert.equal(pageUrl({ mode: 'view', revision: 3, link: 'tok' }), '/');
});
