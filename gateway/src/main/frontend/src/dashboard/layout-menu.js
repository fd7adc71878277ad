// The header's Layouts menu: a menu button and its list of commands, built afresh each time it opens
// from `items()` = [{id, label, shortcut?, hidden?, why?, run}] and '-' separators. A command the person
// may not use is shown disabled with the reason under its label. Keyboard: Enter/Space/ArrowDown open
// it, arrows and Home/End move, Esc closes it and gives the focus back to the button, Tab leaves.
import { h } from './dom.js';

export class LayoutMenu {
  #button;
  #list;
  #items;

  /** root: where the button and list go; items(): the commands, as they are now. */
  constructor(root, items) {
    this.#items = items;
    this.#button = h(
      'button',
      {
        type: 'button',
        id: 'layouts-menu-button',
        class: 'button ghost menu-button',
        'aria-haspopup': 'menu',
        'aria-expanded': 'false',
        'aria-controls': 'layouts-menu',
      },
      'Layouts ▾',
    );
    this.#list = h('div', {
      id: 'layouts-menu',
      class: 'menu',
      role: 'menu',
      'aria-labelledby': 'layouts-menu-button',
      hidden: true,
    });
    root.replaceChildren(this.#button, this.#list);
    this.#button.addEventListener('click', () => (this.isOpen ? this.close() : this.open()));
    this.#button.addEventListener('keydown', (event) => {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        this.open(event.key === 'ArrowUp' ? -1 : 0);
      }
    });
    this.#list.addEventListener('keydown', (event) => this.#onKey(event));
    document.addEventListener('pointerdown', (event) => {
      if (this.isOpen && !root.contains(event.target)) this.close(false);
    });
  }

  get isOpen() {
    return !this.#list.hidden;
  }

  open(focusIndex = 0) {
    this.#render();
    this.#list.hidden = false;
    this.#button.setAttribute('aria-expanded', 'true');
    const entries = this.#entries();
    const entry = entries.at(focusIndex) || entries[0];
    if (entry) entry.focus();
  }

  close(refocus = true) {
    if (!this.isOpen) return;
    this.#list.hidden = true;
    this.#button.setAttribute('aria-expanded', 'false');
    if (refocus) this.#button.focus();
  }

  #entries() {
    return [...this.#list.querySelectorAll('[role=menuitem]')];
  }

  #render() {
    const nodes = [];
    let separate = false;
    for (const item of this.#items()) {
      if (item === '-') {
        separate = nodes.length > 0;
        continue;
      }
      if (!item || item.hidden) continue;
      if (separate) nodes.push(h('div', { class: 'menu-separator', role: 'separator' }));
      separate = false;
      const whyId = item.why ? `menu-why-${item.id}` : null;
      const entry = h(
        'button',
        {
          type: 'button',
          role: 'menuitem',
          class: 'menu-item',
          tabindex: '-1',
          'data-command': item.id,
          'aria-disabled': item.why ? 'true' : null,
          'aria-describedby': whyId,
          'aria-keyshortcuts': item.keys || null,
        },
        h('span', { class: 'menu-label' }, item.label),
        item.shortcut ? h('kbd', { class: 'menu-shortcut' }, item.shortcut) : null,
        item.why ? h('small', { id: whyId, class: 'menu-why' }, item.why) : null,
      );
      entry.addEventListener('click', () => {
        if (item.why) return;
        this.close();
        item.run();
      });
      nodes.push(entry);
    }
    this.#list.replaceChildren(...nodes);
  }

  #onKey(event) {
    const entries = this.#entries();
    const index = entries.indexOf(document.activeElement);
    let next = null;
    if (event.key === 'ArrowDown') next = entries[(index + 1) % entries.length];
    else if (event.key === 'ArrowUp') next = entries[(index - 1 + entries.length) % entries.length];
    else if (event.key === 'Home') next = entries[0];
    else if (event.key === 'End') next = entries[entries.length - 1];
    else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      this.close();
      return;
    } else if (event.key === 'Tab') {
      this.close(false);
      return;
    }
    if (next) {
      event.preventDefault();
      next.focus();
    }
  }
}
