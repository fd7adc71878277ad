// The marketplace: the registry's widgets, live, grouped by data-mesh domain like a data catalog,
// searchable, each with label, description, owner, version and kind. "Add" puts the widget in a new
// window; a card can also be dragged to where the window should go. A widget that left the registry
// while placed on the dashboard stays listed, greyed out.
import { h } from './dom.js';
import { countText, emptyText, marketView } from './market-view.js';

export class Marketplace {
  #root;
  #list;
  #search;
  #count;
  #catalog;
  #frames;
  #layout;
  #onAdd;
  #dragSources = [];
  #opener = null;
  #renderAfterDrag = false;

  /** root: the panel; onAdd(entry): place the widget. */
  constructor(root, { catalog, frames, layout, onAdd }) {
    this.#root = root;
    this.#catalog = catalog;
    this.#frames = frames;
    this.#layout = layout;
    this.#onAdd = onAdd;
    this.#search = h('input', {
      type: 'search',
      class: 'market-search',
      placeholder: 'Search widgets, domains, owners…',
      'aria-label': 'Search widgets',
      autocomplete: 'off',
      spellcheck: 'false',
    });
    this.#count = h('p', { class: 'market-count', role: 'status', 'aria-live': 'polite' });
    this.#list = h('div', { class: 'market-list' });
    const close = h(
      'button',
      { type: 'button', class: 'icon-button', 'aria-label': 'Close the marketplace', title: 'Close (Esc)' },
      '×',
    );
    root.replaceChildren(
      h('div', { class: 'market-head' }, h('h2', { id: 'market-title' }, 'Marketplace'), close),
      h('p', { class: 'market-hint' }, 'Add a widget as a new window, or drag its card to where the window should go.'),
      this.#search,
      this.#count,
      this.#list,
    );
    root.setAttribute('aria-labelledby', 'market-title');
    close.addEventListener('click', () => this.close());
    this.#search.addEventListener('input', () => this.render());
    catalog.onChange(() => this.render());
    this.render();
  }

  get isOpen() {
    return !this.#root.hidden;
  }

  /** Opens the panel with the search focused; `opener` gets the focus back on close. */
  open(opener) {
    this.#opener = opener || null;
    this.#root.hidden = false;
    if (this.#opener) this.#opener.setAttribute('aria-expanded', 'true');
    this.render();
    this.#search.focus();
  }

  close() {
    if (this.#root.hidden) return;
    this.#root.hidden = true;
    if (this.#opener) {
      this.#opener.setAttribute('aria-expanded', 'false');
      this.#opener.focus();
    }
  }

  toggle(opener) {
    if (this.isOpen) this.close();
    else this.open(opener);
  }

  focusSearch() {
    this.#search.focus();
    this.#search.select();
  }

  /** Placed count per widget id (this window and popped-out ones). */
  #placed() {
    const counts = new Map();
    for (const frame of this.#frames) counts.set(frame.widgetId, (counts.get(frame.widgetId) || 0) + 1);
    return counts;
  }

  render() {
    if (this.#root.hidden) return;
    if (document.body.classList.contains('lm_dragging')) {
      // a card being dragged must keep its drag source: draw again once it is dropped
      if (!this.#renderAfterDrag) {
        this.#renderAfterDrag = true;
        window.addEventListener(
          'pointerup',
          () =>
            setTimeout(() => {
              this.#renderAfterDrag = false;
              this.render();
            }),
          { once: true, capture: true },
        );
      }
      return;
    }
    for (const source of this.#dragSources) this.#layout.removeDragSource(source);
    this.#dragSources = [];
    const placed = this.#placed();
    const search = this.#search.value.trim();
    const catalog = this.#catalog;
    const view = marketView(catalog.entries(), placed, search.toLowerCase());
    this.#count.textContent = countText(catalog, view, search);
    if (!catalog.loaded) {
      this.#list.replaceChildren();
      return;
    }
    if (view.shown === 0) {
      this.#list.replaceChildren(h('p', { class: 'market-empty' }, emptyText(view.total)));
      return;
    }
    const groups = [];
    for (const { domain, entries: list } of view.groups) {
      const headingId = `market-domain-${domain.replace(/[^a-z0-9_-]/gi, '_')}`;
      groups.push(
        h(
          'section',
          { class: 'market-domain', 'aria-labelledby': headingId, dataset: { domain } },
          h('h3', { id: headingId }, domain, h('span', { class: 'market-domain-count' }, String(list.length))),
          h(
            'ul',
            {},
            list.map((entry) => this.#card(entry, placed.get(entry.id) || 0)),
          ),
        ),
      );
    }
    this.#list.replaceChildren(...groups);
  }

  #card(entry, placedCount) {
    const m = entry.manifest;
    const available = entry.available;
    const add = h(
      'button',
      {
        type: 'button',
        class: 'button small primary market-add',
        disabled: !available,
        'aria-label': `Add ${m.label} to the dashboard`,
      },
      'Add',
    );
    add.addEventListener('click', () => this.#onAdd(entry));
    const card = h(
      'li',
      {
        class: `market-card${available ? '' : ' unavailable'}`,
        dataset: { widgetId: entry.id, available: String(available) },
      },
      h(
        'div',
        { class: 'market-card-head' },
        icon(m.icon),
        h(
          'div',
          { class: 'market-card-title' },
          h('span', { class: 'market-label' }, m.label || entry.id),
          h('span', { class: 'market-meta' }, `v${m.version} · ${m.owner}`),
        ),
        add,
      ),
      m.description ? h('p', { class: 'market-description' }, m.description) : null,
      h(
        'p',
        { class: 'market-badges' },
        m.domainKind ? h('span', { class: 'badge kind', title: KINDS[m.domainKind] || '' }, m.domainKind) : null,
        !available ? h('span', { class: 'badge warn' }, 'unavailable') : null,
        placedCount > 0
          ? h('span', { class: 'badge' }, placedCount === 1 ? 'on the dashboard' : `on the dashboard ×${placedCount}`)
          : null,
      ),
    );
    if (available) {
      card.title = `Drag to place ${m.label}`;
      this.#dragSources.push(
        this.#layout.dragSource(card, () => ({
          type: 'component',
          componentType: 'mesh-widget',
          title: m.label,
          componentState: { frame: undefined, widget: entry.id, attributes: {} },
        })),
      );
    }
    return card;
  }
}

const KINDS = {
  'source-aligned': 'Facts of an operational system',
  aggregate: 'Combines several domains',
  'consumer-aligned': 'Shaped for a use case',
};

function icon(value) {
  if (typeof value === 'string' && /^(\/|https?:\/\/|\.\.?\/)/.test(value)) {
    return h('img', { class: 'market-icon', src: value, alt: '', width: 28, height: 28, loading: 'lazy' });
  }
  return h(
    'span',
    { class: 'market-icon text', 'aria-hidden': 'true' },
    typeof value === 'string' && value ? value.slice(0, 4) : '▦',
  );
}
