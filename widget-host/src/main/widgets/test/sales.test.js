// The sales examples' shared logic (shared/sales.js): the `row-selected` payload the table publishes
// and the chart and KPIs accept, the check of the table's data file, the key figures, and the number
// and month formats (in a fixed locale, so that the tests do not depend on the machine's).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import {
  isSalesData,
  keyFigures,
  localeOf,
  money,
  monthName,
  percent,
  period,
  readSelection,
  selectionOf,
  sum,
} from '../shared/sales.js';

const MONTHS = Array.from({ length: 12 }, (_, i) => `2025-${String(i + 1).padStart(2, '0')}`);
const SALES = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120];
const data = JSON.parse(await readFile(new URL('../sales-table/sales.json', import.meta.url), 'utf8'));

/** Intl writes no-break or thin spaces (around a range's dash, before a currency sign), by ICU version. */
const spaces = (text) => text.replace(/\s/g, ' ');

describe('row-selected', () => {
  test('the table publishes a region with its total computed from the months', () => {
    const months = ['2025-01', '2025-02'];
    const sales = [100, 250.5];
    const payload = selectionOf('Nordics', 'EUR', months, sales);

    assert.deepEqual(payload, { region: 'Nordics', unit: 'EUR', months, sales, total: 350.5 });
    sales.push(1);
    assert.equal(payload.sales.length, 2, 'a copy: the table’s data stays its own');
  });

  test('every region of the shipped data makes a payload the listeners accept', () => {
    assert.ok(isSalesData(data));
    for (const { region, sales } of data.regions) {
      const payload = selectionOf(region, data.unit, data.months, sales);
      assert.deepEqual(readSelection(payload), payload, region);
    }
  });

  test('a listener refuses what does not have the declared shape', () => {
    const good = selectionOf('Nordics', 'EUR', MONTHS, SALES);
    const refused = {
      'no payload': null,
      'a string': 'Nordics',
      'an empty region': { ...good, region: '  ' },
      'a unit that is no currency code': { ...good, unit: 'euro' },
      'months and sales of different lengths': { ...good, sales: SALES.slice(1) },
      'no months': { ...good, months: [], sales: [] },
      'more than ten years': { ...good, months: Array(121).fill('2025-01'), sales: Array(121).fill(1) },
      'a month that is not YYYY-MM': { ...good, months: ['2025-13', ...MONTHS.slice(1)] },
      'an amount that is not a number': { ...good, sales: ['10', ...SALES.slice(1)] },
      'an infinite amount': { ...good, sales: [Infinity, ...SALES.slice(1)] },
      'no total': { ...good, total: undefined },
    };
    for (const [what, payload] of Object.entries(refused)) assert.equal(readSelection(payload), null, what);
  });

  test('what a listener keeps is a copy, without extra fields', () => {
    const payload = { ...selectionOf('Nordics', 'EUR', MONTHS, SALES), extra: 'x' };
    const read = readSelection(payload);
    payload.sales[0] = -1;

    assert.equal(read.sales[0], 10);
    assert.equal('extra' in read, false);
  });
});

describe('the table’s data file', () => {
  test('is refused when it cannot be drawn', () => {
    const region = data.regions[0];
    assert.ok(!isSalesData(null));
    assert.ok(!isSalesData({ ...data, unit: 5 }));
    assert.ok(!isSalesData({ ...data, months: [] }));
    assert.ok(!isSalesData({ ...data, regions: [{ ...region, sales: region.sales.slice(1) }] }));
    assert.ok(!isSalesData({ ...data, regions: [{ ...region, sales: [NaN, ...region.sales.slice(1)] }] }));
    assert.ok(!isSalesData({ ...data, regions: [null] }));
  });
});

describe('key figures', () => {
  test('total, best month, and the last six months against the six before', () => {
    const figures = keyFigures(selectionOf('Nordics', 'EUR', MONTHS, SALES));

    assert.equal(figures.total, 780);
    assert.equal(figures.best, 11, 'December');
    assert.deepEqual(figures.half, { recent: 570, before: 210, from: 0 });
  });

  test('the first best month wins a tie; under twelve months there is no half-year change', () => {
    const figures = keyFigures(selectionOf('Nordics', 'EUR', MONTHS.slice(0, 3), [5, 9, 9]));

    assert.equal(figures.best, 1);
    assert.equal(figures.half, null);
  });

  test('the half-year compares the last twelve months of a longer series', () => {
    const months = [...MONTHS, '2026-01', '2026-02'];
    const figures = keyFigures(selectionOf('Nordics', 'EUR', months, [...SALES, 1, 1]));

    assert.deepEqual(figures.half, {
      recent: sum([90, 100, 110, 120, 1, 1]),
      before: sum([30, 40, 50, 60, 70, 80]),
      from: 2,
    });
  });
});

describe('formats', () => {
  test('amounts: whole units, short for cells (one decimal), short for chart axes', () => {
    assert.equal(money(1234567.4, 'EUR', 'en-US'), '€1,234,567');
    assert.equal(money(1234567, 'EUR', 'en-US', 'short'), '€1.2M');
    assert.equal(money(2000000, 'EUR', 'en-US', 'short'), '€2.0M');
    assert.equal(money(500000, 'EUR', 'en-US', 'axis'), '€500K');
    assert.equal(spaces(money(1234567, 'EUR', 'de-DE')), '1.234.567 €', 'a no-break space before the sign');
  });

  test('a change, signed, with one decimal', () => {
    assert.equal(percent(0.1234, 'en-US'), '+12.3%');
    assert.equal(percent(-0.4, 'en-US'), '-40.0%');
    assert.equal(percent(0, 'en-US'), '0.0%');
  });

  test('months by name, in UTC, and a period as the locale writes a range', () => {
    assert.equal(monthName('2025-12', 'en-US'), 'Dec');
    assert.equal(monthName('2025-01', 'de-DE', 'long'), 'Januar');
    assert.equal(spaces(period(MONTHS, 'en-US')), 'Jan – Dec 2025');
  });

  test('the locale attribute: a valid tag, else the browser’s', () => {
    assert.equal(localeOf('de-de'), 'de-DE');
    assert.equal(localeOf('not a locale!'), undefined);
    assert.equal(localeOf(''), undefined);
    assert.equal(localeOf(null), undefined);
  });
});
