// Top pages and top sources of one tracked site, live. Selecting a page publishes `page-selected`
// ({site, page}), which narrows the traffic chart (this widget's sources too); selecting it again
// publishes {site, page: null}: all pages again.
import {
  AnalyticsElement,
  PAGE_SELECTED,
  api,
  baseStyles,
  count,
  el,
  fillSnippet,
  rangePicker,
} from '../shared/analytics.js';

const TAG = 'mesh-top-pages';
// Asked for the most the API gives, and shown up to `limit`: a page outside the list the API gave
// has an unknown count, so a live hit on it must not make it look like a page with one view.
const FETCHED = 100;
const DEFAULT_LIMIT = 10;

const styles = new CSSStyleSheet();
styles.replaceSync(`
  .content { display: flex; flex-direction: column; gap: 0.75rem; }
  table { width: 100%; border-collapse: collapse; table-layout: fixed; }
  caption { text-align: start; font-weight: 600; padding: 0 0.25rem 0.35rem; overflow-wrap: anywhere; }
  caption small { font-weight: 400; color: var(--mesh-muted, #6b7280); margin-inline-start: 0.35rem; }
  th, td { padding: 0.3rem 0.25rem; text-align: end; white-space: nowrap; }
  th:first-child, td:first-child { text-align: start; width: auto; }
  thead th { font-size: 0.75rem; font-weight: 600; text-transform: uppercase; letter-spacing: 0.04em;
    color: var(--mesh-muted, #6b7280); border-bottom: 1px solid var(--mesh-border, #e5e7eb); }
  thead th.n { width: 5rem; }
  tbody tr { border-bottom: 1px solid var(--mesh-border, #e5e7eb); }
  tbody th { font-weight: 400; overflow: hidden; text-overflow: ellipsis; }
  tbody th button {
    all: unset; box-sizing: border-box; display: block; width: 100%; cursor: pointer;
    overflow: hidden; text-overflow: ellipsis; white-space: nowrap; padding: 0.1rem 0.25rem; border-radius: 4px;
  }
  tbody th button:hover { background: var(--mesh-hover, rgba(127, 127, 127, 0.08)); }
  tbody th button:focus-visible { box-shadow: inset 0 0 0 2px var(--mesh-accent, #2563eb); }
  tbody tr[aria-selected="true"] { background: var(--mesh-accent-soft, rgba(37, 99, 235, 0.12)); }
  tbody tr[aria-selected="true"] th button { font-weight: 600; box-shadow: inset 3px 0 0 var(--mesh-accent, #2563eb); }
  .direct { font-style: italic; color: var(--mesh-muted, #6b7280); }
  .hint { margin: 0; font-size: 0.75rem; color: var(--mesh-muted, #6b7280); }
  .none { color: var(--mesh-muted, #6b7280); text-align: start; }
  /* narrow frames: page and views only */
  @container (max-width: 18rem) { .visitors { display: none; } thead th.n { width: 3.5rem; } }
`);

const template = document.createElement('template');
template.innerHTML = `
<div class="frame">
  <div class="bar">
    <h2>Top pages<small class="site"></small></h2>
    <span class="live">live</span>
  </div>
  <p class="status" role="status"></p>
  <div class="content" hidden>
    <div class="empty" hidden>
      <p class="why"></p>
      <div class="snippet"></div>
    </div>
    <div class="tables">
      <table class="pages">
        <caption></caption>
        <thead><tr><th scope="col">Page</th><th scope="col" class="n">Views</th><th scope="col" class="n visitors">Visitors</th></tr></thead>
        <tbody></tbody>
      </table>
      <p class="hint">Select a page to narrow the traffic to it; select it again for all pages.</p>
    </div>
    <table class="sources">
      <caption></caption>
      <thead><tr><th scope="col">Source</th><th scope="col" class="n">Views</th></tr></thead>
      <tbody></tbody>
    </table>
  </div>
</div>`;

function byViews(a, b) {
  return b[1].views - a[1].views || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
}

function numberCell(text, className, title) {
  const td = el('td', className, text);
  if (title) td.title = title;
  return td;
}

class MeshTopPages extends AnalyticsElement {
  static observedAttributes = [...AnalyticsElement.observedAttributes, 'limit'];

  #data = null; // {pages: Map page → {views, visitors}, pagesFull, sources: Map → {views}, sourcesFull, page, range}

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = [baseStyles, styles];
    root.append(template.content.cloneNode(true));
    root.querySelector('.bar').append(rangePicker());
    this.wire();
    root.querySelector('table.pages tbody').addEventListener('click', (e) => {
      const row = e.target.closest('tr[data-page]');
      if (!row || !this.site) return;
      const page = row.dataset.page === this.page ? null : row.dataset.page;
      // the sources of the page are another question for the API; the pages stay in sight meanwhile
      this.narrow(page);
      this.publish(PAGE_SELECTED, { site: this.site, page });
    });
  }

  /** The rows shown: `[{page, views, visitors}]` (visitors null where unknown until the next load). */
  get rows() {
    return this.#data
      ? this.#top(this.#data.pages).map(([page, v]) => ({ page, views: v.views, visitors: v.visitors }))
      : null;
  }

  get limit() {
    const n = Number.parseInt(this.getAttribute('limit'), 10);
    return Number.isInteger(n) && n >= 1 && n <= FETCHED ? n : DEFAULT_LIMIT;
  }

  attributeChangedCallback(name, before, after) {
    if (name === 'limit') {
      if (before !== after && (this.state === 'ready' || this.state === 'empty')) this.render();
      return;
    }
    super.attributeChangedCallback(name, before, after);
  }

  async load(site, range, signal) {
    const page = this.page;
    const [pages, referrers] = await Promise.all([
      api(`sites/${site}/pages`, { range: range.id, limit: FETCHED }, signal),
      api(`sites/${site}/referrers`, { range: range.id, page, limit: FETCHED }, signal),
    ]);
    this.#data = {
      pages: new Map(pages.pages.map((p) => [p.page, { views: p.views, visitors: p.visitors }])),
      pagesFull: pages.pages.length >= FETCHED,
      sources: new Map(referrers.referrers.map((r) => [r.referrer, { views: r.views }])),
      sourcesFull: referrers.referrers.length >= FETCHED,
      page,
      range,
    };
  }

  apply(message) {
    const data = this.#data;
    for (const [page, views] of message.pages) {
      const known = data.pages.get(page);
      if (known) known.views += views;
      // a page the API did not list had no view in the range, unless the list was cut at FETCHED
      else if (!data.pagesFull) data.pages.set(page, { views, visitors: null });
    }
    const sources = new Map();
    for (const [page, bySource] of message.referrers) {
      if (data.page !== null && page !== data.page) continue;
      for (const [source, views] of bySource) sources.set(source, (sources.get(source) ?? 0) + views);
    }
    for (const [source, views] of sources) {
      const known = data.sources.get(source);
      if (known) known.views += views;
      else if (!data.sourcesFull) data.sources.set(source, { views });
    }
  }

  isEmpty() {
    return this.#data.pages.size === 0;
  }

  #top(map) {
    return [...map.entries()].sort(byViews).slice(0, this.limit);
  }

  render() {
    const root = this.shadowRoot;
    const data = this.#data;
    if (!data) return;
    const locale = this.locale;
    const empty = this.state === 'empty';
    root.querySelector('.empty').hidden = !empty;
    root.querySelector('.tables').hidden = empty;
    root.querySelector('table.sources').hidden = empty;
    if (empty) {
      root.querySelector('.why').textContent =
        `No page views of ${this.site} in the ${data.range.label.toLowerCase()}. If the site is new, paste this snippet into its pages:`;
      fillSnippet(root.querySelector('.empty .snippet'), this.site);
      return;
    }

    // a row rebuilt under the keyboard focus gets it back, so selecting with Enter keeps one's place
    const focused = root.activeElement?.closest?.('tr[data-page]')?.dataset.page;
    const pagesCaption = root.querySelector('table.pages caption');
    pagesCaption.replaceChildren('Pages by views', el('small', null, data.range.label.toLowerCase()));
    const rows = this.#top(data.pages).map(([page, v]) => {
      const tr = el('tr');
      tr.dataset.page = page;
      tr.setAttribute('aria-selected', String(page === this.page));
      const th = el('th');
      th.scope = 'row';
      const button = el('button', null, page);
      button.type = 'button';
      button.title = page;
      button.setAttribute('aria-pressed', String(page === this.page));
      th.append(button);
      tr.append(
        th,
        numberCell(count(v.views, locale), 'n'),
        v.visitors === null
          ? numberCell('–', 'n visitors', 'Counted at the next load (a page new in this range)')
          : numberCell(count(v.visitors, locale), 'n visitors'),
      );
      return tr;
    });
    root.querySelector('table.pages tbody').replaceChildren(...rows);
    if (focused) root.querySelector(`table.pages tr[data-page="${CSS.escape(focused)}"] button`)?.focus();

    const sourcesCaption = root.querySelector('table.sources caption');
    sourcesCaption.replaceChildren(
      'Top sources',
      el('small', null, data.page === null ? 'all pages' : `of ${data.page}`),
    );
    const sources = this.#top(data.sources).map(([source, v]) => {
      const tr = el('tr');
      const th = el('th', source === '' ? 'direct' : null, source === '' ? 'Direct or unknown' : source);
      th.scope = 'row';
      th.title = th.textContent;
      tr.append(th, numberCell(count(v.views, locale), 'n'));
      return tr;
    });
    if (sources.length === 0) {
      const tr = el('tr');
      const td = el('td', 'none', 'No views in this range');
      td.colSpan = 2;
      tr.append(td);
      sources.push(tr);
    }
    root.querySelector('table.sources tbody').replaceChildren(...sources);
  }
}

if (!customElements.get(TAG)) customElements.define(TAG, MeshTopPages);
