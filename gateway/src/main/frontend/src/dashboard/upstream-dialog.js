// Changes from the original: for a clone, what its original has saved since the clone was made (or
// last pulled), and pulling them in. Answers 'pull' or undefined.
import { h, messageOf } from './dom.js';
import { actions, button, modal } from './dialogs.js';
import { describeVersion } from './layout-header.js';

export function upstreamDialog({ api, layout, canPull, pullWhy }) {
  return modal({
    title: 'Changes from the original',
    className: 'upstream-dialog',
    build: (close) => {
      const body = h(
        'div',
        { class: 'upstream-body', 'aria-live': 'polite' },
        h('p', { class: 'dialog-note' }, 'Loading…'),
      );
      const pull = button('Pull the original’s changes', () => close('pull'), { kind: 'primary', disabled: true });
      api.upstream(layout.id).then(
        (answer) => {
          const from = answer.forkedFrom || layout.forkedFrom || {};
          const upstream = answer.upstream || {};
          const behind = Number(answer.behind) || 0;
          const changes = answer.changes || {};
          const lines = [
            h(
              'p',
              { class: 'upstream-origin' },
              `This layout is a clone of “${upstream.name || from.name || 'another layout'}”, taken at its version ${from.revision}.`,
            ),
          ];
          if (!upstream.available) {
            lines.push(
              h(
                'p',
                { class: 'upstream-status', 'data-behind': '0' },
                'The original is gone or no longer shared with you: there is nothing to pull.',
              ),
            );
          } else if (behind === 0) {
            lines.push(
              h(
                'p',
                { class: 'upstream-status', 'data-behind': '0' },
                `Up to date: the original is still at version ${upstream.version}.`,
              ),
            );
          } else {
            lines.push(
              h(
                'p',
                { class: 'upstream-status', 'data-behind': String(behind) },
                `The original has ${behind} newer version${behind === 1 ? '' : 's'}; it is at version ${upstream.version}.`,
              ),
            );
            const added = Array.isArray(changes.widgetsAdded) ? changes.widgetsAdded : [];
            const removed = Array.isArray(changes.widgetsRemoved) ? changes.widgetsRemoved : [];
            const summary = [];
            if (added.length) summary.push(h('li', { class: 'upstream-added' }, `Widgets added: ${added.join(', ')}`));
            if (removed.length)
              summary.push(h('li', { class: 'upstream-removed' }, `Widgets removed: ${removed.join(', ')}`));
            if (changes.renamed) summary.push(h('li', {}, `Renamed to “${upstream.name}”`));
            if (!summary.length) summary.push(h('li', {}, 'The same widgets, arranged or set up differently.'));
            lines.push(h('ul', { class: 'upstream-changes' }, summary));
            const revisions = Array.isArray(answer.revisions) ? answer.revisions : [];
            if (revisions.length) {
              lines.push(
                h('h3', {}, 'Its versions since'),
                h(
                  'ol',
                  { class: 'upstream-revisions' },
                  revisions.map((r) => h('li', {}, describeVersion(r.revision, r.savedBy, r.savedAt))),
                ),
              );
            }
            lines.push(
              h(
                'p',
                { class: 'dialog-note' },
                'Pulling replaces this layout’s windows with the original’s latest ones, as a new version: your current version stays in the history.',
              ),
            );
            pull.disabled = !canPull;
            if (!canPull) lines.push(h('p', { class: 'dialog-note' }, pullWhy));
          }
          body.replaceChildren(...lines);
        },
        (e) => body.replaceChildren(h('p', { class: 'dialog-error', role: 'alert' }, messageOf(e))),
      );
      return [
        body,
        actions(
          button('Close', () => close(undefined)),
          pull,
        ),
      ];
    },
  });
}
