// Small, non-blocking notices in a corner of the page: warnings stay until dismissed, information
// goes by itself. The same key is shown once while it is on screen.
import { h } from './dom.js';

export class Notices {
  #root;
  #shown = new Map(); // key → element

  constructor(root) {
    this.#root = root;
  }

  /** kind: 'warn' | 'info' | 'error'; returns the notice element. */
  show({ key, kind = 'info', title, text, ttl }) {
    if (key && this.#shown.has(key)) return this.#shown.get(key);
    const close = h('button', { type: 'button', class: 'notice-close', 'aria-label': 'Dismiss' }, '×');
    const node = h(
      'div',
      { class: `notice ${kind}`, role: kind === 'info' ? 'status' : 'alert', dataset: { key: key || '' } },
      h('div', { class: 'notice-text' }, title ? h('strong', {}, title) : null, text ? h('span', {}, text) : null),
      close,
    );
    const remove = () => {
      node.remove();
      if (key) this.#shown.delete(key);
    };
    close.addEventListener('click', remove);
    if (key) this.#shown.set(key, node);
    this.#root.append(node);
    const life = ttl !== undefined ? ttl : kind === 'info' ? 6000 : 0;
    if (life > 0) setTimeout(remove, life);
    return node;
  }

  dismiss(key) {
    const node = this.#shown.get(key);
    if (node) {
      node.remove();
      this.#shown.delete(key);
    }
  }
}
