// Monthly sales of one region as a bar chart (Chart.js, bundled). It draws whatever region another
// widget publishes as `row-selected`; it owns no data of its own.
import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip } from 'chart.js';
import { localeOf, money, monthName, period, readSelection } from '../shared/sales.js';

// Only what a bar chart needs, so that the rest of Chart.js is left out of the bundle. The registry
// belongs to this bundle's own copy of Chart.js, not to the page.
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

const TAG = 'mesh-sales-chart';

// Styles as a constructed stylesheet adopted by each shadow root: parsed once for every instance,
// and allowed by a strict Content-Security-Policy (no 'unsafe-inline'), unlike a <style> element.
const styles = new CSSStyleSheet();
styles.replaceSync(`
  :host {
    display: block;
    height: 100%;
    min-height: 12rem;
    color: var(--mesh-fg, inherit);
    background: var(--mesh-bg, transparent);
    font-size: 0.875rem;
  }
  :host([hidden]) { display: none; }
  /* the layout lives inside, so that a page styling the element itself (display, padding) cannot break it */
  .frame { display: flex; flex-direction: column; box-sizing: border-box; height: 100%; min-height: inherit; padding: 0.5rem; }
  figure { display: flex; flex-direction: column; flex: 1; min-height: 0; margin: 0; }
  figcaption { font-weight: 600; padding: 0 0.25rem 0.5rem; }
  figcaption small { display: block; font-weight: 400; color: var(--mesh-muted, #6b7280); }
  /* Chart.js sizes the canvas to this box (responsive: true) and follows it with a ResizeObserver */
  .plot { position: relative; flex: 1; min-height: 8rem; }
  .empty {
    flex: 1; display: flex; flex-direction: column; align-items: center; justify-content: center; gap: 0.5rem;
    margin: 0; color: var(--mesh-muted, #6b7280); text-align: center;
    border: 1px dashed var(--mesh-border, #e5e7eb); border-radius: var(--mesh-radius, 8px);
  }
  .empty svg { width: 2rem; height: 2rem; opacity: 0.6; }
  [hidden] { display: none !important; }
`);

const template = document.createElement('template');
template.innerHTML = `
<div class="frame">
  <div class="empty" role="status">
    <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.5" aria-hidden="true">
      <path d="M4 20V10M10 20V4M16 20v-7M22 20H2"/>
    </svg>
    <span>Select a region in the sales table</span>
  </div>
  <figure hidden>
    <figcaption><span class="title"></span><small class="subtitle"></small></figcaption>
    <div class="plot"><canvas role="img"></canvas></div>
  </figure>
</div>`;

class MeshSalesChart extends HTMLElement {
  static get observedAttributes() {
    return ['locale'];
  }

  #root;
  #chart = null;
  #selection = null;

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
    this.#root.adoptedStyleSheets = [styles];
    this.#root.append(template.content.cloneNode(true));
    // the dashboard dispatches mesh:event on the element itself
    this.addEventListener('mesh:event', (e) => {
      if (e.detail?.topic !== 'row-selected') return;
      // any widget may publish this topic: a payload of another shape is ignored, never thrown on
      const selection = readSelection(e.detail.payload);
      if (!selection) return;
      this.#selection = selection;
      if (this.isConnected) this.#draw();
    });
  }

  /** The region drawn, or null before the first selection; also reflected as `data-region`. */
  get region() {
    return this.#selection?.region ?? null;
  }

  connectedCallback() {
    if (this.#selection) this.#draw();
  }

  attributeChangedCallback() {
    if (this.#selection && this.isConnected) this.#draw();
  }

  disconnectedCallback() {
    // the chart holds observers and listeners; a widget closed in the dashboard must release them
    this.#chart?.destroy();
    this.#chart = null;
  }

  #draw() {
    const { region, unit, months, sales, total } = this.#selection;
    const locale = localeOf(this.getAttribute('locale'));
    const span = period(months, locale);

    this.#root.querySelector('.empty').hidden = true;
    this.#root.querySelector('figure').hidden = false;
    this.#root.querySelector('.title').textContent = `Monthly sales: ${region}`;
    this.#root.querySelector('.subtitle').textContent = `${span}, total ${money(total, unit, locale)}`;
    const canvas = this.#root.querySelector('canvas');
    canvas.setAttribute('aria-label', `Bar chart of monthly sales in ${region}, ${span}`);

    const labels = months.map((m) => monthName(m, locale));
    const dataset = { label: region, data: sales, ...this.#colours() };
    if (this.#chart) {
      this.#chart.data.labels = labels;
      this.#chart.data.datasets[0] = dataset;
      this.#chart.options = this.#options(unit, locale);
      this.#chart.update();
    } else {
      this.#chart = new Chart(canvas, {
        type: 'bar',
        data: { labels, datasets: [dataset] },
        options: this.#options(unit, locale),
      });
    }
    this.setAttribute('data-region', region);
  }

  /** Canvas cannot read CSS variables, so the host's theme is resolved here, on every draw. */
  #colours() {
    const style = getComputedStyle(this);
    const accent = style.getPropertyValue('--mesh-accent').trim() || '#2563eb';
    return { backgroundColor: accent, hoverBackgroundColor: accent, borderRadius: 3, maxBarThickness: 28 };
  }

  #options(unit, locale) {
    const style = getComputedStyle(this);
    const muted = style.getPropertyValue('--mesh-muted').trim() || '#6b7280';
    const grid = style.getPropertyValue('--mesh-border').trim() || '#e5e7eb';
    const font = { family: style.fontFamily, size: 11 };
    return {
      responsive: true,
      maintainAspectRatio: false,
      // people who asked their system for less motion get none (and tests get a settled canvas at once)
      animation: matchMedia('(prefers-reduced-motion: reduce)').matches ? false : { duration: 300 },
      plugins: {
        tooltip: { callbacks: { label: (item) => money(item.parsed.y, unit, locale) } },
      },
      scales: {
        x: { grid: { display: false }, ticks: { color: muted, font } },
        y: {
          beginAtZero: true,
          grid: { color: grid },
          border: { display: false },
          ticks: { color: muted, font, maxTicksLimit: 6, callback: (v) => money(v, unit, locale, 'axis') },
        },
      },
    };
  }
}

if (!customElements.get(TAG)) customElements.define(TAG, MeshSalesChart);
