// Sales by region: a vanilla Web Component. It loads the data set shipped beside it, shows one row per
// region, and publishes the selected region as `row-selected` for any widget that listens.
import { isSalesData, localeOf, money, period, selectionOf, sum } from '../shared/sales.js';

// Resolved against this module's own URL, so the widget works under whatever versioned path the
// widget-host (or a CDN) serves it from.
const DATA_URL = new URL('./sales.json', import.meta.url);

const TAG = 'mesh-sales-table';

// Styles as a constructed stylesheet adopted by each shadow root: parsed once for every instance,
// and allowed by a strict Content-Security-Policy (no 'unsafe-inline'), unlike a <style> element.
const styles = new CSSStyleSheet();
styles.replaceSync(`
  :host {
    display: block;
    box-sizing: border-box;
    height: 100%;
    overflow: auto;
    color: var(--mesh-fg, inherit);
    background: var(--mesh-bg, transparent);
    font-size: 0.875rem;
    font-variant-numeric: tabular-nums;
  }
  :host([hidden]) { display: none; }
  .frame { container-type: inline-size; padding: 0.5rem; }
  .status { margin: 1rem 0.5rem; color: var(--mesh-muted, #6b7280); }
  .status.error { color: var(--mesh-negative, #b91c1c); }
  table { width: 100%; border-collapse: collapse; }
  caption { text-align: start; font-weight: 600; padding: 0 0.5rem 0.5rem; }
  caption small { font-weight: 400; color: var(--mesh-muted, #6b7280); margin-inline-start: 0.5rem; }
  th, td { padding: 0.4rem 0.5rem; text-align: end; white-space: nowrap; }
  th:first-child, td:first-child { text-align: start; }
  thead th {
    font-size: 0.75rem; font-weight: 600; text-transform: uppercase; letter-spacing: 0.04em;
    color: var(--mesh-muted, #6b7280); border-bottom: 1px solid var(--mesh-border, #e5e7eb);
  }
  tbody tr { cursor: pointer; border-bottom: 1px solid var(--mesh-border, #e5e7eb); outline: none; }
  tbody tr:hover { background: var(--mesh-hover, rgba(127, 127, 127, 0.08)); }
  tbody tr:focus-visible { box-shadow: inset 0 0 0 2px var(--mesh-accent, #2563eb); }
  tbody tr[aria-selected="true"] { background: var(--mesh-accent-soft, rgba(37, 99, 235, 0.12)); }
  tbody tr[aria-selected="true"] td:first-child { box-shadow: inset 3px 0 0 var(--mesh-accent, #2563eb); font-weight: 600; }
  tfoot td { font-weight: 600; border-top: 2px solid var(--mesh-border, #e5e7eb); }
  .trend { width: 4.5rem; }
  td.trend { color: var(--mesh-accent, #2563eb); }
  .trend svg { display: block; width: 4.5rem; height: 1.1rem; overflow: visible; }
  /* narrow frames keep region, trend and total; the quarters come back when there is room */
  @container (max-width: 30rem) { .q { display: none; } }
  @container (max-width: 18rem) { .trend { display: none; } }
`);

const template = document.createElement('template');
template.innerHTML = `
<div class="frame">
  <p class="status" role="status">Loading sales…</p>
  <table role="grid" aria-readonly="true" hidden>
    <caption></caption>
    <thead><tr>
      <th scope="col">Region</th><th scope="col" class="trend">Trend</th>
      <th scope="col" class="q">Q1</th><th scope="col" class="q">Q2</th>
      <th scope="col" class="q">Q3</th><th scope="col" class="q">Q4</th>
      <th scope="col">Total</th>
    </tr></thead>
    <tbody></tbody>
    <tfoot></tfoot>
  </table>
</div>`;

const SVG = 'http://www.w3.org/2000/svg';

/** A 12-point sparkline; decoration only (the numbers are in the row), so hidden from screen readers. */
function sparkline(values) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 100 24');
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('aria-hidden', 'true');
  const min = Math.min(...values);
  const span = Math.max(...values) - min || 1;
  const line = document.createElementNS(SVG, 'polyline');
  line.setAttribute(
    'points',
    values.map((v, i) => `${(i * 100) / Math.max(values.length - 1, 1)},${22 - ((v - min) / span) * 20}`).join(' '),
  );
  line.setAttribute('fill', 'none');
  line.setAttribute('stroke', 'currentColor');
  line.setAttribute('stroke-width', '2');
  line.setAttribute('vector-effect', 'non-scaling-stroke');
  line.setAttribute('stroke-linejoin', 'round');
  svg.append(line);
  return svg;
}

function cell(text, className, title) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  if (title) td.title = title;
  return td;
}

class MeshSalesTable extends HTMLElement {
  static get observedAttributes() {
    return ['locale'];
  }

  #root;
  #data = null;
  #selected = null;
  #loading = null;

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
    this.#root.adoptedStyleSheets = [styles];
    this.#root.append(template.content.cloneNode(true));
    const body = this.#root.querySelector('tbody');
    body.addEventListener('click', (e) => {
      const row = e.target.closest('tr[data-region]');
      if (row) this.#select(row);
    });
    body.addEventListener('keydown', (e) => this.#onKey(e));
  }

  /** The selected region's name, or null; also reflected as the `data-region` attribute. */
  get region() {
    return this.#selected;
  }

  connectedCallback() {
    if (!this.#data && !this.#loading) {
      this.setAttribute('data-state', 'loading');
      this.#loading = this.#load().finally(() => {
        this.#loading = null;
      });
    }
  }

  attributeChangedCallback() {
    if (this.#data) this.#render();
  }

  async #load() {
    try {
      const response = await fetch(DATA_URL);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const data = await response.json();
      if (!isSalesData(data)) throw new Error('unexpected format');
      this.#data = data;
      this.#render();
      this.setAttribute('data-state', 'ready');
    } catch (e) {
      const status = this.#root.querySelector('.status');
      status.textContent = `Sales data could not be loaded (${e.message}). Try reloading the page.`;
      status.classList.add('error');
      status.setAttribute('role', 'alert');
      this.setAttribute('data-state', 'error');
    }
  }

  #render() {
    const { unit, months, regions } = this.#data;
    const locale = localeOf(this.getAttribute('locale'));
    const quarter = (sales, q) => sum(sales.slice(q * 3, q * 3 + 3));
    const hasQuarters = months.length === 12;

    this.#root.querySelector('.status').hidden = true;
    const table = this.#root.querySelector('table');
    table.hidden = false;
    const caption = table.querySelector('caption');
    caption.textContent = this.#data.title || 'Sales by region';
    const note = document.createElement('small');
    note.textContent = `${period(months, locale)}, ${unit}`;
    caption.append(note);
    table.querySelectorAll('thead .q').forEach((th) => {
      th.hidden = !hasQuarters;
    });

    const rows = regions.map((r) => {
      const tr = document.createElement('tr');
      tr.dataset.region = r.region;
      const name = cell(r.region);
      name.setAttribute('role', 'rowheader');
      const trend = cell('', 'trend');
      trend.append(sparkline(r.sales));
      tr.append(name, trend);
      if (hasQuarters) {
        for (let q = 0; q < 4; q++) tr.append(cell(money(quarter(r.sales, q), unit, locale, 'short'), 'q'));
      }
      const total = sum(r.sales);
      tr.append(cell(money(total, unit, locale, 'short'), 'total', money(total, unit, locale)));
      return tr;
    });
    table.querySelector('tbody').replaceChildren(...rows);

    const foot = document.createElement('tr');
    const all = sum(regions.map((r) => sum(r.sales)));
    foot.append(cell('All regions'), cell('', 'trend'));
    if (hasQuarters) {
      for (let q = 0; q < 4; q++)
        foot.append(cell(money(sum(regions.map((r) => quarter(r.sales, q))), unit, locale, 'short'), 'q'));
    }
    foot.append(cell(money(all, unit, locale, 'short'), 'total', money(all, unit, locale)));
    table.querySelector('tfoot').replaceChildren(foot);

    this.#markSelection();
  }

  /** One tab stop for the whole table (the selected row, else the first); arrows move between rows. */
  #markSelection() {
    const rows = [...this.#root.querySelectorAll('tbody tr')];
    const current = rows.find((r) => r.dataset.region === this.#selected) || rows[0];
    for (const row of rows) {
      row.setAttribute('aria-selected', String(row.dataset.region === this.#selected));
      row.tabIndex = row === current ? 0 : -1;
    }
  }

  #onKey(e) {
    const row = e.target.closest('tr[data-region]');
    if (!row) return;
    const rows = [...this.#root.querySelectorAll('tbody tr')];
    const i = rows.indexOf(row);
    const target = { ArrowDown: rows[i + 1], ArrowUp: rows[i - 1], Home: rows[0], End: rows[rows.length - 1] }[e.key];
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault(); // Space would scroll the page
      this.#select(row);
    } else if (target) {
      e.preventDefault();
      row.tabIndex = -1;
      target.tabIndex = 0;
      target.focus();
    }
  }

  #select(row) {
    const r = this.#data.regions.find((x) => x.region === row.dataset.region);
    this.#selected = r.region;
    this.setAttribute('data-region', r.region);
    this.#markSelection();
    row.focus();
    // bubbles + composed: the event leaves the shadow root and reaches the dashboard, which forwards it
    this.dispatchEvent(
      new CustomEvent('mesh:publish', {
        bubbles: true,
        composed: true,
        detail: { topic: 'row-selected', payload: selectionOf(r.region, this.#data.unit, this.#data.months, r.sales) },
      }),
    );
  }
}

// A second copy of this module (another version of the widget on the same page) must not throw.
if (!customElements.get(TAG)) customElements.define(TAG, MeshSalesTable);
