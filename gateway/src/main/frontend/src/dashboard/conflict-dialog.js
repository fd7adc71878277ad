// A save refused with 409: someone saved a newer version since the page's changes started. Says who
// saved which version when, and offers to load theirs (dropping mine, after a confirmation) or to
// save mine as a copy. Either way nothing is lost; closing keeps my changes as unsaved changes.
// Answers 'theirs', 'copy' or undefined.
import { h } from './dom.js';
import { actions, button, confirmDialog, modal } from './dialogs.js';
import { describeVersion } from './layout-header.js';

export async function conflictDialog({ error, baseVersion, canCopy, copyWhy }) {
  const current = error.body.current || {};
  const version = error.body.currentVersion ?? current.version;
  const who = current.updatedBy || 'Someone';
  const choice = await modal({
    title: 'Someone saved this layout first',
    className: 'conflict-dialog',
    build: (close) => [
      h(
        'p',
        { class: 'conflict-what' },
        `${who} saved ${describeVersion(version, null, current.updatedAt)}, while your changes start from version ${baseVersion}.`,
      ),
      h('p', {}, 'Your changes are kept in this browser as unsaved changes until you choose.'),
      canCopy ? null : h('p', { class: 'dialog-note' }, copyWhy),
      actions(
        button('Decide later', () => close(undefined)),
        button('Reload theirs', () => close('theirs'), { 'data-choice': 'theirs' }),
        button('Save mine as a copy', () => close('copy'), {
          kind: 'primary',
          'data-choice': 'copy',
          disabled: !canCopy,
        }),
      ),
    ],
  });
  if (choice !== 'theirs') return choice;
  const sure = await confirmDialog({
    title: 'Discard your changes?',
    text: `Load version ${version} saved by ${who} and discard your unsaved changes?`,
    details: 'Choose “Keep mine” to go back and save them as a copy instead.',
    confirm: 'Discard mine and reload',
    cancel: 'Keep mine',
    danger: true,
  });
  return sure ? 'theirs' : undefined;
}
