// What the web-analytics widgets (site-traffic, top-pages) know without a DOM: the ranges, reading the
// tracker's query API and its live feed, checking what they receive, formatting numbers and times, the
// site owner's snippet. analytics.js re-exports all of it beside the element the widgets build on.
import { cached } from './formatters.js';

/** The tracker's live feed: one message per site at most every 750 ms (docs/tracker.md). */
export const LIVE_ADDRESS = 'mesh.tracker.live';

export const RANGES = [
  { id: '30m', label: 'Last 30 minutes', previous: 'the 30 minutes before' },
  { id: '1h', label: 'Last hour', previous: 'the hour before' },
  { id: '6h', label: 'Last 6 hours', previous: 'the 6 hours before' },
  { id: '24h', label: 'Last 24 hours', previous: 'the 24 hours before' },
  { id: '7d', label: 'Last 7 days', previous: 'the 7 days before' },
  { id: '30d', label: 'Last 30 days', previous: 'the 30 days before' },
  { id: '90d', label: 'Last 90 days', previous: 'the 90 days before' },
  { id: '365d', label: 'Last 365 days', previous: 'the 365 days before' },
];
export const DEFAULT_RANGE = '24h';
export const PAGE_SELECTED = 'page-selected';

const SITE = /^[a-z0-9][a-z0-9._-]{0,99}$/;

/** The `site` attribute as the API wants it (lower case), or null when absent or not a site id. */
export function siteOf(value) {
  const site = typeof value === 'string' ? value.trim().toLowerCase() : '';
  return SITE.test(site) ? site : null;
}

/** A range the picker offers, else the default: a typo in a layout falls back instead of breaking. */
export function rangeOf(value) {
  return RANGES.find((r) => r.id === value) ?? RANGES.find((r) => r.id === DEFAULT_RANGE);
}

/** The `locale` attribute as Intl wants it: undefined (the browser's) when absent or not a tag. */
export function localeOf(value) {
  if (!value) return undefined;
  try {
    return Intl.getCanonicalLocales(value)[0];
  } catch {
    return undefined;
  }
}

function isPage(value) {
  return typeof value === 'string' && value.startsWith('/') && value.length <= 512;
}

function isCount(value) {
  return Number.isInteger(value) && value >= 0;
}

/** `{site, page}` of a `page-selected` payload (page null: all pages), or null when it does not fit. */
export function readPageSelection(payload) {
  if (payload === null || typeof payload !== 'object') return null;
  const site = siteOf(payload.site);
  if (!site || payload.site !== site) return null;
  if (payload.page !== null && !isPage(payload.page)) return null;
  return { site, page: payload.page };
}

function counts(value, ok) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const map = new Map();
  for (const [key, n] of Object.entries(value)) {
    if (!ok(key) || !isCount(n)) return null;
    map.set(key, n);
  }
  return map;
}

/**
 * A live message as the contract (tracker-live.schema.json) describes it, with its maps as Maps, or
 * null: the feed is read by pages, so whatever does not fit is dropped rather than drawn.
 */
export function readLive(body) {
  if (body === null || typeof body !== 'object') return null;
  const { site, at, views, events, visitorsNow } = body;
  if (typeof site !== 'string' || !Number.isFinite(at) || !isCount(views) || !isCount(events) || !isCount(visitorsNow))
    return null;
  const pages = counts(body.pages, isPage);
  if (!pages) return null;
  const referrers = new Map();
  for (const [page, sources] of Object.entries(body.referrers ?? {})) {
    const bySource = isPage(page) ? counts(sources, (s) => s.length <= 253) : null;
    if (!bySource) return null;
    referrers.set(page, bySource);
  }
  return { site, at, views, events, pages, referrers, visitorsNow };
}

/** The tracker did not answer (down, restarting, not routed): worth trying again later. */
export class Unavailable extends Error {}

/**
 * GET /api/tracker/<path> on the page's origin (the gateway routes it to the tracker's query API),
 * with the parameters that are not null. Throws Unavailable when the tracker cannot answer, an Error
 * with the API's message when it refuses the question.
 */
export async function api(path, params = {}, signal) {
  const url = new URL(`/api/tracker/${path}`, location.origin);
  for (const [name, value] of Object.entries(params)) {
    if (value !== null && value !== undefined) url.searchParams.set(name, String(value));
  }
  let response;
  try {
    response = await fetch(url, { signal, headers: { accept: 'application/json' }, cache: 'no-store' });
  } catch (e) {
    if (signal?.aborted) throw e;
    throw new Unavailable('the tracker cannot be reached');
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    // a proxy's error page, or nothing: the status says enough
  }
  if (response.ok && body) return body;
  // 400 is a question the API refuses (a site id it does not take): asking again will not help
  if (response.status === 400)
    throw new Error(typeof body?.message === 'string' ? body.message : 'the tracker refused the question');
  throw new Unavailable(`the tracker answered ${response.status}`);
}

let collector = null;

/** The collector's paths (`/api/tracker/collector`), asked once per page and bundle. */
function collectorPaths() {
  if (!collector)
    collector = api('collector').catch((e) => {
      collector = null;
      throw e;
    });
  return collector;
}

/** The site owner's snippet for `site`, with paths from the tracker's configuration, as plain text. */
export async function snippets(site) {
  const paths = await collectorPaths();
  const origin = location.origin;
  return {
    script: `<script defer src="${origin}${paths.script}" data-site="${site}"></script>`,
    pixel: `<img src="${origin}${paths.pixel}?s=${site}" alt="" width="1" height="1" referrerpolicy="no-referrer-when-downgrade">`,
  };
}

// --- numbers and times, in the widget's locale

export function count(n, locale) {
  return cached(`n|${locale}`, () => new Intl.NumberFormat(locale, { maximumFractionDigits: 0 })).format(n);
}

/** Short numbers for chart ticks ("1.2K"). */
export function compact(n, locale) {
  return cached(
    `c|${locale}`,
    () => new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 }),
  ).format(n);
}

/** A signed change as a percentage ("+12.5%", "−40%"). */
export function percent(ratio, locale) {
  return cached(
    `p|${locale}`,
    () =>
      new Intl.NumberFormat(locale, {
        style: 'percent',
        signDisplay: 'exceptZero',
        maximumFractionDigits: 1,
      }),
  ).format(ratio);
}

/** The clock time of `ms` ("14:05"), for notes such as "as of". */
export function clock(ms, locale) {
  return cached(`t|${locale}`, () => new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit' })).format(
    ms,
  );
}

export const BUCKET_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/**
 * The label of a bucket starting at `ms`: the time for minutes and hours (with the day when the range
 * spans several), the date for days. Days are UTC days (the API's buckets), so shown in UTC.
 */
export function bucketLabel(ms, bucket, severalDays, locale) {
  if (bucket === 'day') {
    return cached(
      `d|${locale}`,
      () => new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' }),
    ).format(ms);
  }
  if (severalDays) {
    return cached(
      `wh|${locale}`,
      () => new Intl.DateTimeFormat(locale, { weekday: 'short', hour: 'numeric', minute: '2-digit' }),
    ).format(ms);
  }
  return clock(ms, locale);
}
