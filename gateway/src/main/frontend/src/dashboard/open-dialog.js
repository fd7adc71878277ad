// Open…: the layouts the person may open (mine, shared with me, provisioned), searchable by name,
// description and owner. Answers the chosen layout's summary, 'scratch' for this browser's scratch
// layout, or undefined.
import { clock, h, messageOf } from './dom.js';
import { modal } from './dialogs.js';

export function openDialog({ api, me, currentId }) {
  return modal({
    title: 'Open a layout',
    className: 'open-dialog',
    build: (close) => {
      const search = h('input', {
        type: 'search',
        class: 'open-search',
        placeholder: 'Search by name, description or owner',
        'aria-label': 'Search layouts',
        autocomplete: 'off',
      });
      const list = h(
        'div',
        { class: 'open-list', 'aria-live': 'polite' },
        h('p', { class: 'dialog-note' }, 'Loading…'),
      );
      let layouts = null;
      const render = () => {
        if (!layouts) return;
        const words = search.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
        const matches = layouts.filter((l) => {
          const text = `${l.name} ${l.description || ''} ${l.owner}`.toLowerCase();
          return words.every((w) => text.includes(w));
        });
        const groups = [
          ['mine', 'Mine', matches.filter((l) => !l.provisioned && me && l.owner === me.user)],
          ['shared', 'Shared with me', matches.filter((l) => !l.provisioned && !(me && l.owner === me.user))],
          ['provisioned', 'Provisioned', matches.filter((l) => l.provisioned)],
        ];
        list.replaceChildren(
          ...groups.map(([key, title, items]) =>
            h(
              'section',
              { class: 'open-group', 'data-group': key, 'aria-label': title },
              h('h3', {}, `${title} (${items.length})`),
              items.length === 0
                ? h('p', { class: 'dialog-note' }, words.length ? 'None matches.' : 'None.')
                : h(
                    'ul',
                    {},
                    items.map((l) =>
                      h(
                        'li',
                        {},
                        h(
                          'button',
                          {
                            type: 'button',
                            class: 'open-entry',
                            'data-layout-id': l.id,
                            'aria-current': l.id === currentId ? 'true' : null,
                            onclick: () => close(l),
                          },
                          h('span', { class: 'open-name' }, l.name),
                          h('span', { class: 'open-meta' }, metaLine(l, me)),
                          l.description ? h('span', { class: 'open-description' }, l.description) : null,
                        ),
                      ),
                    ),
                  ),
            ),
          ),
        );
      };
      search.addEventListener('input', render);
      api.list('all').then(
        (answer) => {
          layouts = [...answer].sort((a, b) => String(b.updatedAt).localeCompare(String(a.updatedAt)));
          render();
        },
        (e) => list.replaceChildren(h('p', { class: 'dialog-error', role: 'alert' }, messageOf(e))),
      );
      return [
        search,
        list,
        h(
          'div',
          { class: 'dialog-actions' },
          h(
            'button',
            { type: 'button', class: 'button', onclick: () => close('scratch') },
            'This browser’s scratch layout',
          ),
        ),
      ];
    },
  });
}

function metaLine(layout, me) {
  const parts = [];
  parts.push(me && layout.owner === me.user ? 'yours' : `by ${layout.owner}`);
  parts.push(`v${layout.version}`);
  if (layout.updatedAt)
    parts.push(`saved ${new Date(layout.updatedAt).toLocaleDateString()} ${clock(layout.updatedAt)}`);
  if (layout.access && layout.access !== 'owner')
    parts.push(layout.provisioned ? 'read only' : `you: ${layout.access}`);
  if (layout.forkedFrom) parts.push(`clone of ${layout.forkedFrom.name || 'another layout'}`);
  return parts.join(' · ');
}
