// Helpers shared by the sales examples. Each bundle gets its own copy (esbuild inlines it), so the
// widgets stay independent: nothing here is global or shared at run time.
import { cached } from './formatters.js';

/**
 * The `row-selected` payload if it has the shape the manifests' schema describes, else null: a
 * listener must survive whatever another widget publishes, so it checks before it draws. The schema
 * cannot say that `months` and `sales` have the same length; this does.
 */
export function readSelection(payload) {
  if (payload === null || typeof payload !== 'object') return null;
  const { region, unit, months, sales, total } = payload;
  if (typeof region !== 'string' || region.trim() === '') return null;
  if (typeof unit !== 'string' || !/^[A-Z]{3}$/.test(unit)) return null;
  if (!Array.isArray(months) || !Array.isArray(sales)) return null;
  if (months.length === 0 || months.length > 120 || months.length !== sales.length) return null;
  if (!months.every((m) => typeof m === 'string' && /^\d{4}-(0[1-9]|1[0-2])$/.test(m))) return null;
  if (!sales.every((v) => typeof v === 'number' && Number.isFinite(v))) return null;
  if (typeof total !== 'number' || !Number.isFinite(total)) return null;
  return { region, unit, months: [...months], sales: [...sales], total };
}

/** The payload the table publishes for one region; total is computed here, never trusted from the data file. */
export function selectionOf(region, unit, months, sales) {
  return { region, unit, months: [...months], sales: [...sales], total: sum(sales) };
}

export function sum(values) {
  return values.reduce((a, b) => a + b, 0);
}

/** Checks the data file before anything is drawn from it, so a bad file is a message, not a broken table. */
export function isSalesData(data) {
  return (
    data &&
    typeof data === 'object' &&
    typeof data.unit === 'string' &&
    Array.isArray(data.months) &&
    data.months.length > 0 &&
    Array.isArray(data.regions) &&
    data.regions.every(
      (r) =>
        r &&
        typeof r.region === 'string' &&
        Array.isArray(r.sales) &&
        r.sales.length === data.months.length &&
        r.sales.every((v) => typeof v === 'number' && Number.isFinite(v)),
    )
  );
}

/** Total, best month and the last six months against the six before (when there are twelve or more). */
export function keyFigures({ months, sales, total }) {
  let best = 0;
  sales.forEach((v, i) => {
    if (v > sales[best]) best = i;
  });
  const n = sales.length;
  const half =
    n >= 12 ? { recent: sum(sales.slice(n - 6)), before: sum(sales.slice(n - 12, n - 6)), from: n - 12 } : null;
  return { total, best, half, months, sales };
}

/**
 * An amount: whole currency units ("€1,234,567"), `short` for table cells ("€1.2M", always one decimal
 * so that a column lines up) or `axis` for chart ticks ("€500K", no needless ".0").
 */
export function money(value, unit, locale, style = 'full') {
  return cached(
    `m|${locale}|${unit}|${style}`,
    () =>
      new Intl.NumberFormat(locale, {
        style: 'currency',
        currency: unit,
        notation: style === 'full' ? 'standard' : 'compact',
        minimumFractionDigits: style === 'short' ? 1 : 0,
        maximumFractionDigits: style === 'full' ? 0 : 1,
      }),
  ).format(value);
}

/** A signed change as a percentage with one decimal ("+12.3%"). */
export function percent(ratio, locale) {
  return cached(
    `p|${locale}`,
    () =>
      new Intl.NumberFormat(locale, {
        style: 'percent',
        signDisplay: 'exceptZero',
        minimumFractionDigits: 1,
        maximumFractionDigits: 1,
      }),
  ).format(ratio);
}

function utc(month) {
  const [y, m] = month.split('-').map(Number);
  return Date.UTC(y, m - 1, 1);
}

/** The name of a "YYYY-MM" month ("Dec" or "December"); UTC so that no time zone moves it. */
export function monthName(month, locale, style = 'short') {
  return cached(
    `d|${locale}|${style}`,
    () => new Intl.DateTimeFormat(locale, { month: style, timeZone: 'UTC' }),
  ).format(utc(month));
}

/** The span of a list of "YYYY-MM" months, as the locale writes a range ("Jan – Dec 2025"). */
export function period(months, locale) {
  return cached(
    `r|${locale}`,
    () => new Intl.DateTimeFormat(locale, { month: 'short', year: 'numeric', timeZone: 'UTC' }),
  ).formatRange(utc(months[0]), utc(months[months.length - 1]));
}

/**
 * The `locale` attribute as Intl wants it: undefined (the browser's) when absent or not a valid tag,
 * so that a typo in a layout falls back instead of breaking the widget.
 */
export function localeOf(value) {
  if (!value) return undefined;
  try {
    return Intl.getCanonicalLocales(value)[0];
  } catch {
    return undefined;
  }
}
