// Key figures of the selected region, written with Lit to show that a widget may use a framework:
// the build compiles it into one self-contained ES module that defines an ordinary custom element.
import { LitElement, css, html } from 'lit';
import { keyFigures, localeOf, money, monthName, percent, period, readSelection } from '../shared/sales.js';

const TAG = 'mesh-sales-kpis';

class MeshSalesKpis extends LitElement {
  static properties = {
    // the manifest's `locale` attribute: numbers and month names in that locale instead of the browser's
    locale: { type: String },
    // internal state: set only from a checked mesh:event payload
    _selection: { state: true },
  };

  static styles = css`
    :host {
      display: block;
      box-sizing: border-box;
      height: 100%;
      padding: 0.5rem;
      color: var(--mesh-fg, inherit);
      background: var(--mesh-bg, transparent);
      font-size: 0.875rem;
      font-variant-numeric: tabular-nums;
    }
    :host([hidden]) { display: none; }
    h2 { font-size: 1em; font-weight: 600; margin: 0 0.25rem 0.5rem; }
    .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(9.5rem, 1fr)); gap: 0.5rem; }
    .card {
      border: 1px solid var(--mesh-border, #e5e7eb);
      border-radius: var(--mesh-radius, 8px);
      padding: 0.6rem 0.75rem;
      min-width: 0;
    }
    .label { font-size: 0.75rem; text-transform: uppercase; letter-spacing: 0.04em; color: var(--mesh-muted, #6b7280); }
    .value { font-size: 1.35rem; font-weight: 600; margin: 0.15rem 0; overflow-wrap: anywhere; }
    .note { font-size: 0.75rem; color: var(--mesh-muted, #6b7280); }
    .up { color: var(--mesh-positive, #15803d); }
    .down { color: var(--mesh-negative, #b91c1c); }
    .empty {
      margin: 0; padding: 1.5rem 1rem; text-align: center; color: var(--mesh-muted, #6b7280);
      border: 1px dashed var(--mesh-border, #e5e7eb); border-radius: var(--mesh-radius, 8px);
    }
  `;

  constructor() {
    super();
    // set here, not as class fields: a field would hide the reactive accessor Lit defines
    this.locale = undefined;
    this._selection = null;
    this.addEventListener('mesh:event', (e) => {
      if (e.detail?.topic !== 'row-selected') return;
      const selection = readSelection(e.detail.payload);
      if (selection) this._selection = selection;
    });
  }

  /** The region shown, or null before the first selection; also reflected as `data-region`. */
  get region() {
    return this._selection?.region ?? null;
  }

  updated() {
    if (this.region) this.setAttribute('data-region', this.region);
    else this.removeAttribute('data-region');
  }

  render() {
    if (!this._selection) {
      return html`<p class="empty" role="status">Select a region in the sales table to see its key figures</p>`;
    }
    const locale = localeOf(this.locale);
    const { region, unit } = this._selection;
    const { total, best, half, months, sales } = keyFigures(this._selection);
    const change = half && half.before !== 0 ? half.recent / half.before - 1 : null;
    const range = (a, b) => `${monthName(months[a], locale)}–${monthName(months[b], locale)}`;
    return html`
      <h2>${region}</h2>
      <div class="cards">
        <section class="card" data-kpi="total" aria-label="Total">
          <div class="label">Total</div>
          <div class="value">${money(total, unit, locale)}</div>
          <div class="note">${period(months, locale)}</div>
        </section>
        <section class="card" data-kpi="best-month" aria-label="Best month">
          <div class="label">Best month</div>
          <div class="value">${monthName(months[best], locale, 'long')}</div>
          <div class="note">${money(sales[best], unit, locale)}</div>
        </section>
        <section class="card" data-kpi="half-year" aria-label="Half-year change">
          <div class="label">Half-year change</div>
          ${
            change === null
              ? html`<div class="value">–</div><div class="note">needs 12 months</div>`
              : html`
              <div class="value ${change >= 0 ? 'up' : 'down'}">${change >= 0 ? '▲' : '▼'} ${percent(change, locale)}</div>
              <div class="note">${range(months.length - 6, months.length - 1)} vs ${range(half.from, half.from + 5)}</div>`
          }
        </section>
      </div>`;
  }
}

if (!customElements.get(TAG)) customElements.define(TAG, MeshSalesKpis);
