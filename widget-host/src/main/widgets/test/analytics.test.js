// The analytics widgets' logic without a DOM (shared/analytics-data.js): the attributes they accept,
// which `page-selected` events and live messages they take, how the tracker's answers become what
// the widget says, the site owner's snippet, and the number formats. `fetch` is replaced per test;
// `location` is the page's address, as in a browser.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import {
  RANGES,
  Unavailable,
  api,
  bucketLabel,
  compact,
  count,
  percent,
  rangeOf,
  readLive,
  readPageSelection,
  siteOf,
  snippets,
} from '../shared/analytics-data.js';

globalThis.location = new URL('https://dash.example/');

describe('attributes', () => {
  test('site: trimmed and lower case, or none when it is not a site id', () => {
    assert.equal(siteOf(' Shop.Example '), 'shop.example');
    assert.equal(siteOf('shop_example-2'), 'shop_example-2');
    for (const bad of ['', '-shop', 'shop example', 'shop/x', 'a'.repeat(101), null, 5])
      assert.equal(siteOf(bad), null);
  });

  test('range: one the picker offers, else the last 24 hours', () => {
    assert.equal(rangeOf('7d').label, 'Last 7 days');
    assert.equal(rangeOf('2w').id, '24h');
    assert.equal(rangeOf(null).id, '24h');
    assert.deepEqual(
      RANGES.map((r) => r.id),
      ['30m', '1h', '6h', '24h', '7d', '30d', '90d', '365d'],
    );
  });
});

describe('page-selected', () => {
  test('a page of a site, or all its pages', () => {
    assert.deepEqual(readPageSelection({ site: 'shop.example', page: '/pricing' }), {
      site: 'shop.example',
      page: '/pricing',
    });
    assert.deepEqual(readPageSelection({ site: 'shop.example', page: null }), { site: 'shop.example', page: null });
  });

  test('is ignored when it does not fit', () => {
    for (const payload of [
      null,
      'shop.example',
      { site: 'Shop.Example', page: '/' },
      { site: 'shop.example', page: 'pricing' },
      { site: 'shop.example' },
      { site: 'shop.example', page: `/${'x'.repeat(512)}` },
    ]) {
      assert.equal(readPageSelection(payload), null, JSON.stringify(payload));
    }
  });
});

describe('the live feed', () => {
  const message = {
    site: 'shop.example',
    at: 1735725600000,
    views: 3,
    events: 1,
    visitorsNow: 2,
    pages: { '/': 2, '/pricing': 1 },
    referrers: { '/': { 'news.example': 2 } },
  };

  test('a message that fits the contract, with its counts as Maps', () => {
    const read = readLive(message);

    assert.equal(read.views, 3);
    assert.deepEqual(
      [...read.pages],
      [
        ['/', 2],
        ['/pricing', 1],
      ],
    );
    assert.deepEqual([...read.referrers.get('/')], [['news.example', 2]]);
    assert.deepEqual(readLive({ ...message, referrers: undefined }).referrers, new Map());
  });

  test('a message that does not fit is dropped, not drawn', () => {
    for (const [what, body] of Object.entries({
      'no body': null,
      'a negative count': { ...message, views: -1 },
      'a fractional count': { ...message, visitorsNow: 1.5 },
      'no time': { ...message, at: 'now' },
      'no pages': { ...message, pages: undefined },
      'a page that is no path': { ...message, pages: { pricing: 1 } },
      'pages as a list': { ...message, pages: [1] },
      'a referrer of no page': { ...message, referrers: { pricing: { 'a.example': 1 } } },
      'a referrer count that is no count': { ...message, referrers: { '/': { 'a.example': '1' } } },
    })) {
      assert.equal(readLive(body), null, what);
    }
  });
});

describe('the tracker’s API, as the widget reports it', () => {
  const realFetch = globalThis.fetch;
  let requested;

  function respond(status, body) {
    globalThis.fetch = async (url, options) => {
      requested = { url: String(url), options };
      return {
        ok: status >= 200 && status < 300,
        status,
        json: async () => {
          if (body === undefined) throw new SyntaxError('not JSON');
          return body;
        },
      };
    };
  }

  beforeEach(() => {
    requested = null;
  });

  afterEach(() => {
    globalThis.fetch = realFetch;
  });

  test('asks the gateway’s origin, leaving out parameters that are null', async () => {
    respond(200, { sites: [] });

    assert.deepEqual(await api('sites', { range: '24h', page: null, limit: 10, site: undefined }), { sites: [] });
    assert.equal(requested.url, 'https://dash.example/api/tracker/sites?range=24h&limit=10');
    assert.equal(requested.options.headers.accept, 'application/json');
  });

  test('a question the API refuses is an error with its message: asking again will not help', async () => {
    respond(400, { message: 'unknown site "x"' });
    await assert.rejects(api('traffic'), (e) => !(e instanceof Unavailable) && e.message === 'unknown site "x"');

    respond(400, undefined);
    await assert.rejects(api('traffic'), { message: 'the tracker refused the question' });
  });

  test('a tracker that does not answer is unavailable: worth trying again', async () => {
    respond(503, undefined);
    await assert.rejects(api('traffic'), (e) => e instanceof Unavailable && e.message === 'the tracker answered 503');

    respond(200, undefined);
    await assert.rejects(api('traffic'), { message: 'the tracker answered 200' });

    globalThis.fetch = async () => {
      throw new TypeError('Failed to fetch');
    };
    await assert.rejects(
      api('traffic'),
      (e) => e instanceof Unavailable && e.message === 'the tracker cannot be reached',
    );
  });

  test('a request the widget aborted stays an abort', async () => {
    const abort = new AbortController();
    abort.abort();
    globalThis.fetch = async () => {
      throw abort.signal.reason;
    };

    await assert.rejects(api('traffic', {}, abort.signal), { name: 'AbortError' });
  });

  test('the snippet uses the collector’s paths on the gateway, asked once', async () => {
    let asked = 0;
    globalThis.fetch = async () => {
      asked++;
      return { ok: true, status: 200, json: async () => ({ script: '/t/script.js', pixel: '/t/p.gif' }) };
    };

    const { script, pixel } = await snippets('shop.example');
    await snippets('blog.example');

    assert.equal(script, '<script defer src="https://dash.example/t/script.js" data-site="shop.example"></script>');
    assert.equal(
      pixel,
      '<img src="https://dash.example/t/p.gif?s=shop.example" alt="" width="1" height="1" referrerpolicy="no-referrer-when-downgrade">',
    );
    assert.equal(asked, 1);
  });
});

describe('formats', () => {
  test('counts, short counts and signed changes', () => {
    assert.equal(count(1234567.4, 'en-US'), '1,234,567');
    assert.equal(compact(1234, 'en-US'), '1.2K');
    assert.equal(percent(0.125, 'en-US'), '+12.5%');
    assert.equal(percent(-0.4, 'en-US'), '-40%');
    assert.equal(percent(0, 'en-US'), '0%');
  });

  test('a day bucket is labelled with its UTC date', () => {
    assert.equal(bucketLabel(Date.UTC(2025, 0, 5), 'day', true, 'en-US'), 'Jan 5');
    assert.equal(bucketLabel(Date.UTC(2025, 0, 5, 23, 59), 'day', false, 'en-US'), 'Jan 5');
  });
});
