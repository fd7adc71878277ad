// History…: every saved version of the layout, newest first. Answers {action: 'view' | 'restore',
// revision} or undefined; viewing shows the old version read only in the page.
import { clock, h, messageOf } from './dom.js';
import { modal } from './dialogs.js';

const ACTIONS = {
  create: 'created',
  update: 'saved',
  restore: 'restored from an older version',
  pull: 'pulled from the original',
  clone: 'cloned',
  import: 'imported',
  provision: 'provisioned from a file',
};

/** "saved by bob at 10:31 on 21/11/2026" */
function what(r) {
  const date = new Date(r.savedAt);
  const when = Number.isNaN(date.getTime()) ? '' : ` at ${clock(r.savedAt)} on ${date.toLocaleDateString()}`;
  return `${ACTIONS[r.action] || 'saved'}${r.savedBy ? ` by ${r.savedBy}` : ''}${when}`;
}

export function historyDialog({ api, layout, canRestore, restoreWhy }) {
  return modal({
    title: `History of “${layout.name}”`,
    className: 'history-dialog',
    build: (close) => {
      const list = h(
        'ol',
        { class: 'history-list', 'aria-label': 'Saved versions' },
        h('li', { class: 'dialog-note' }, 'Loading…'),
      );
      api.revisions(layout.id).then(
        (revisions) => {
          list.replaceChildren(
            ...revisions.map((r) => {
              const latest = r.revision === layout.version;
              return h(
                'li',
                { class: 'history-entry', 'data-revision': String(r.revision) },
                h(
                  'span',
                  { class: 'history-what' },
                  h('strong', {}, `v${r.revision}`),
                  ' ',
                  r.name && r.name !== layout.name ? `“${r.name}” · ` : '',
                  what(r),
                  latest ? h('span', { class: 'badge' }, 'current') : null,
                ),
                h(
                  'span',
                  { class: 'history-actions' },
                  h(
                    'button',
                    {
                      type: 'button',
                      class: 'button small',
                      onclick: () => close({ action: 'view', revision: r.revision }),
                    },
                    `View v${r.revision}`,
                  ),
                  latest
                    ? null
                    : h(
                        'button',
                        {
                          type: 'button',
                          class: 'button small',
                          'aria-disabled': canRestore ? null : 'true',
                          title: canRestore ? null : restoreWhy,
                          onclick: () => {
                            if (canRestore) close({ action: 'restore', revision: r.revision });
                          },
                        },
                        `Restore v${r.revision}`,
                      ),
                ),
              );
            }),
          );
        },
        (e) => list.replaceChildren(h('li', { class: 'dialog-error', role: 'alert' }, messageOf(e))),
      );
      return [canRestore ? null : h('p', { class: 'dialog-note' }, restoreWhy), list];
    },
  });
}
