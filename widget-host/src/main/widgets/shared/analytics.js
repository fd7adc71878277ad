// The element every web-analytics widget (site-traffic, top-pages) builds on: the load / live / retry
// cycle, the site picker and the snippet; and, re-exported from analytics-data.js, reading the
// tracker's query API and live feed, checking what arrives, formatting numbers and times. Each bundle
// gets its own copy (esbuild inlines it): nothing here is shared at run time but the SDK's one connection.
import {
  LIVE_ADDRESS,
  PAGE_SELECTED,
  RANGES,
  Unavailable,
  api,
  localeOf,
  rangeOf,
  readLive,
  readPageSelection,
  siteOf,
  snippets,
} from './analytics-data.js';

// the widgets import everything from here: the data helpers, and the element below
export * from './analytics-data.js';

// --- the element every analytics widget builds on

export const baseStyles = new CSSStyleSheet();
baseStyles.replaceSync(`
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
  .frame { container-type: inline-size; box-sizing: border-box; min-height: 100%; padding: 0.5rem; display: flex; flex-direction: column; gap: 0.5rem; }
  .bar { display: flex; flex-wrap: wrap; align-items: center; gap: 0.25rem 0.75rem; }
  .bar h2 { flex: 1 1 auto; min-width: 0; margin: 0; font-size: 1em; font-weight: 600; overflow-wrap: anywhere; }
  .bar h2 small { font-weight: 400; color: var(--mesh-muted, #6b7280); margin-inline-start: 0.35rem; }
  .live { font-size: 0.75rem; color: var(--mesh-muted, #6b7280); white-space: nowrap; }
  .live::before { content: '●'; margin-inline-end: 0.25rem; color: var(--mesh-muted, #6b7280); }
  :host([data-live="open"]) .live::before { color: var(--mesh-positive, #15803d); }
  select, button { font: inherit; font-size: 0.8125rem; }
  select { max-width: 100%; }
  .status { margin: 0.5rem 0.25rem; color: var(--mesh-muted, #6b7280); }
  .status.problem { color: var(--mesh-negative, #b91c1c); }
  .status button { margin-inline-start: 0.5rem; }
  .sr { position: absolute; width: 1px; height: 1px; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  .empty {
    margin: 0; padding: 0.75rem; color: var(--mesh-muted, #6b7280);
    border: 1px dashed var(--mesh-border, #e5e7eb); border-radius: var(--mesh-radius, 8px);
  }
  .empty > p { margin: 0 0 0.5rem; }
  .snippet p { margin: 0.5rem 0 0.25rem; color: var(--mesh-fg, inherit); }
  .snippet pre {
    margin: 0; padding: 0.5rem; overflow-x: auto; white-space: pre-wrap; overflow-wrap: anywhere;
    font-size: 0.75rem; background: var(--mesh-hover, rgba(127, 127, 127, 0.08)); border-radius: 4px;
  }
  details.snippet-box summary { cursor: pointer; color: var(--mesh-muted, #6b7280); font-size: 0.8125rem; }
  [hidden] { display: none !important; }
`);

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export { el };

/**
 * Fills `box` with the snippet for `site` (as text, never as markup): the script for pages with
 * JavaScript, the pixel for those without. Asks the API for the paths the first time.
 */
export async function fillSnippet(box, site) {
  if (box.dataset.site === site) return;
  box.dataset.site = site;
  box.replaceChildren(el('p', null, 'Loading the snippet…'));
  try {
    const { script, pixel } = await snippets(site);
    if (box.dataset.site !== site) return;
    const withScript = el(
      'p',
      null,
      'Paste into every page, before </head> (page path, referrer, screen size; custom events with mesh.track):',
    );
    const withoutScript = el('p', null, 'Or, without JavaScript (e-mails, <noscript>), this image:');
    const scriptCode = el('pre', 'code');
    scriptCode.dataset.snippet = 'script';
    scriptCode.append(el('code', null, script));
    const pixelCode = el('pre', 'code');
    pixelCode.dataset.snippet = 'pixel';
    pixelCode.append(el('code', null, pixel));
    box.replaceChildren(withScript, scriptCode, withoutScript, pixelCode);
  } catch (e) {
    delete box.dataset.site;
    box.replaceChildren(
      el('p', null, `The snippet is not available right now (${e.message}); docs/tracker.md shows it too.`),
    );
  }
}

/** A `<select>` of the ranges, labelled for screen readers. */
export function rangePicker() {
  const label = el('label', 'range');
  label.append(el('span', 'sr', 'Time range'));
  const select = el('select');
  for (const r of RANGES) {
    const option = el('option', null, r.label);
    option.value = r.id;
    select.append(option);
  }
  label.append(select);
  return label;
}

const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 30_000;

/**
 * The cycle of an analytics widget: attributes `site`, `range` (and the in-widget picker), `locale`;
 * an initial load, a new one when the range or site changes; live messages of its site applied as
 * they come (held while a load runs, then applied on top of it); a load again after the bridge was
 * down (hits may have been missed); when the tracker does not answer, "analytics unavailable" and
 * another try after 1 s, 2 s, 4 s… (at most 30 s apart), or at once when the feed shows a sign of
 * life. Never a load on a timer while things work: new hits are pushed.
 *
 * Subclasses implement `load(site, range, signal)` (fetch and keep), `apply(message)` (add a live
 * message), `isEmpty()`, and `render()`; they own the elements `.status`, `.content`, `select`.
 * Without a `site` attribute, a choice among the sites with hits.
 * State for pages and tests: `data-state` = no-site | loading | ready | empty | unavailable | error;
 * `data-live` = the bridge's status (connecting | open | reconnecting | closed | unavailable).
 */
export class AnalyticsElement extends HTMLElement {
  static observedAttributes = ['site', 'range', 'locale'];

  #picked = null;
  #pickedSite = null;
  #abort = null;
  #held = null;
  #retryDelay = 0;
  #retryTimer = null;
  #liveOff = null;
  #bridgeWasDown = false;
  #page = null; // the page narrowed to, or null for all pages

  constructor() {
    super();
    this.addEventListener('mesh:event', (e) => {
      if (e.detail?.topic !== PAGE_SELECTED) return;
      // any widget may publish the topic: a payload that does not fit, or another site's, is ignored
      const selection = readPageSelection(e.detail.payload);
      if (selection && selection.site === this.site) this.narrow(selection.page);
    });
  }

  /**
   * The site shown: the `site` attribute, else the one chosen in the widget (null until then, or when
   * the attribute is not a site id).
   */
  get site() {
    return this.hasAttribute('site') ? siteOf(this.getAttribute('site')) : this.#pickedSite;
  }

  /** The range shown: the one picked in the widget, else the `range` attribute, else 24 hours. */
  get range() {
    return rangeOf(this.#picked ?? this.getAttribute('range'));
  }

  get locale() {
    return localeOf(this.getAttribute('locale'));
  }

  get state() {
    return this.getAttribute('data-state');
  }

  /** The page the widget is narrowed to, or null for all pages; also reflected as `data-page`. */
  get page() {
    return this.#page;
  }

  /** Narrows what the widget shows to `page` (null: all pages), asking the API again. */
  narrow(page) {
    if (page === this.#page) return;
    this.#setPage(page);
    this.reload();
  }

  #setPage(page) {
    this.#page = page;
    if (page) this.setAttribute('data-page', page);
    else this.removeAttribute('data-page');
  }

  /** Call once the shadow root holds `.status`, `.content` and the range `select`. */
  wire() {
    const select = this.shadowRoot.querySelector('.bar select');
    select.addEventListener('change', () => {
      this.#picked = select.value;
      this.reload();
    });
  }

  connectedCallback() {
    this.#startLive();
    this.reload();
  }

  disconnectedCallback() {
    // a window closed in the dashboard: no socket handler, timer or request may outlive it
    this.#liveOff?.();
    this.#liveOff = null;
    this.#abort?.abort();
    clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
  }

  attributeChangedCallback(name, before, after) {
    if (!this.isConnected || before === after) return;
    if (name === 'locale') {
      if (this.state === 'ready' || this.state === 'empty') this.render();
      return;
    }
    // a layout's new setting wins over what was picked in the widget
    if (name === 'range') this.#picked = null;
    // a page selected on another site means nothing here
    if (name === 'site') this.#setPage(null);
    this.reload();
  }

  /** Loads what the widget shows for its site and range, and shows it. */
  async reload() {
    this.#abort?.abort();
    clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    const select = this.shadowRoot.querySelector('.bar select');
    select.value = this.range.id;
    const site = this.site;
    for (const node of this.shadowRoot.querySelectorAll('.site')) node.textContent = site ?? '';
    const abort = new AbortController();
    this.#abort = abort;
    if (!site) {
      this.#held = null;
      this.#show('loading', 'Loading the sites…');
      try {
        const { sites } = await api('sites', {}, abort.signal);
        if (!abort.signal.aborted) this.#chooseSite(sites.map((s) => s.site));
      } catch (e) {
        if (!abort.signal.aborted) this.#failed(e, 'the sites');
      }
      return;
    }
    this.#held = [];
    const had = this.state === 'ready' || this.state === 'empty';
    this.#show('loading', had ? null : 'Loading analytics…');
    this.shadowRoot.querySelector('.content').setAttribute('aria-busy', 'true');
    try {
      await this.load(site, this.range, abort.signal);
      if (abort.signal.aborted) return;
      const held = this.#held;
      this.#held = null;
      this.#retryDelay = 0;
      for (const message of held) this.apply(message);
      this.#show(this.isEmpty() ? 'empty' : 'ready', null);
      this.render();
    } catch (e) {
      if (abort.signal.aborted) return;
      this.#held = null;
      this.#failed(e, site);
    } finally {
      if (this.#abort === abort) this.shadowRoot.querySelector('.content').removeAttribute('aria-busy');
    }
  }

  #failed(e, what) {
    if (e instanceof Unavailable) {
      this.#retryDelay = Math.min(this.#retryDelay ? this.#retryDelay * 2 : RETRY_FIRST_MS, RETRY_MAX_MS);
      this.#show('unavailable', `Analytics unavailable: ${e.message}. Trying again…`, true);
      this.#retryTimer = setTimeout(() => this.reload(), this.#retryDelay);
    } else {
      this.#show('error', `Analytics cannot show ${what}: ${e.message}`, true);
    }
  }

  /** No `site` attribute: a choice among the sites with hits (kept in this page only). */
  #chooseSite(sites) {
    this.#show('no-site', null);
    const status = this.shadowRoot.querySelector('.status');
    status.hidden = false;
    status.removeAttribute('role');
    const hint = 'To keep the choice, set the "site" attribute in the window\'s settings.';
    if (sites.length === 0) {
      status.replaceChildren(
        el(
          'span',
          null,
          `No site has sent hits yet. Set the "site" attribute in the window's settings (e.g. shop.example): the widget then shows the snippet to paste into the site's pages.`,
        ),
      );
      return;
    }
    const label = el('label');
    label.append(el('span', null, 'Site: '));
    const select = el('select');
    select.append(Object.assign(el('option', null, 'Choose a site…'), { value: '' }));
    for (const site of sites) select.append(Object.assign(el('option', null, site), { value: site }));
    select.addEventListener('change', () => {
      if (!select.value) return;
      this.#pickedSite = select.value;
      this.#setPage(null);
      this.reload();
    });
    label.append(select);
    status.replaceChildren(label, el('p', 'hint', hint));
  }

  #show(state, message, problem = false) {
    this.setAttribute('data-state', state);
    const status = this.shadowRoot.querySelector('.status');
    status.classList.toggle('problem', problem);
    status.setAttribute('role', problem ? 'alert' : 'status');
    if (message) {
      status.replaceChildren(el('span', null, message));
      if (state === 'unavailable' || state === 'error') {
        const again = el('button', null, 'Try again');
        again.type = 'button';
        again.addEventListener('click', () => {
          this.#retryDelay = 0;
          this.reload();
        });
        status.append(again);
      }
    }
    status.hidden = !message;
    // the last numbers stay in sight while a new range loads; a problem replaces them
    const keep = state === 'ready' || state === 'empty' || (state === 'loading' && !message);
    this.shadowRoot.querySelector('.content').hidden = !keep;
  }

  #startLive() {
    if (this.#liveOff) return;
    let stopped = false;
    let off = () => {};
    this.#liveOff = () => {
      stopped = true;
      off();
    };
    this.setAttribute('data-live', 'connecting');
    // the gateway's SDK, from the page's origin and never bundled (build.mjs keeps it external), so that
    // every widget of the page shares its one bridge connection, as the dashboard does
    import('/sdk/mesh.js')
      .then((sdk) => {
        if (stopped) return;
        const unwatch = sdk.watch(LIVE_ADDRESS, (body) => this.#onLive(body));
        const unstatus = sdk.onStatus((status) => this.#onBridge(status));
        off = () => {
          unwatch();
          unstatus();
        };
      })
      .catch(() => {
        // no SDK (a page without the gateway): the numbers still load, they just do not move
        if (!stopped) this.setAttribute('data-live', 'unavailable');
      });
  }

  #onBridge(status) {
    this.setAttribute('data-live', status);
    if (status === 'reconnecting') this.#bridgeWasDown = true;
    if (status === 'open' && this.#bridgeWasDown) {
      // hits pushed while the bridge was down are lost to this page: read the numbers again
      this.#bridgeWasDown = false;
      if (this.site) this.reload();
    }
  }

  #onLive(body) {
    const message = readLive(body);
    if (!message || message.site !== this.site) return;
    if (this.#held) {
      this.#held.push(message);
    } else if (this.state === 'unavailable') {
      // the tracker's feed is back: likely the API too
      this.#retryDelay = 0;
      this.reload();
    } else if (this.state === 'ready' || this.state === 'empty') {
      this.apply(message);
      this.setAttribute('data-state', this.isEmpty() ? 'empty' : 'ready');
      this.render();
    }
  }

  /** Publishes a cross-widget event the way the dashboard expects it. */
  publish(topic, payload) {
    this.dispatchEvent(new CustomEvent('mesh:publish', { bubbles: true, composed: true, detail: { topic, payload } }));
  }
}
