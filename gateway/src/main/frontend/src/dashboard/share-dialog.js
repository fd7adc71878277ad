// Share…: people and groups with their role, and "anyone with the link" with its role; the view and
// edit links to copy; a new link token on demand (the old links stop working). Owner and admin only.
import { h, messageOf, setChildren } from './dom.js';
import { actions, button, modal, showError } from './dialogs.js';

const ROLES = [
  ['viewer', 'can view'],
  ['editor', 'can edit'],
];

/** The page URL a link token opens: view mode or editing. */
export function linkUrl(id, token, mode) {
  const url = new URL('/', location.href);
  url.searchParams.set('layout', id);
  if (mode === 'view') url.searchParams.set('mode', 'view');
  url.searchParams.set('link', token);
  return url.href;
}

function roleSelect(value, label) {
  const select = h(
    'select',
    { 'aria-label': label },
    ROLES.map(([v, text]) => h('option', { value: v }, text)),
  );
  select.value = value === 'editor' ? 'editor' : 'viewer';
  return select;
}

export function shareDialog({ api, layout, notices }) {
  return modal({
    title: `Share “${layout.name}”`,
    className: 'share-dialog',
    build: (close) => {
      let shares = [];
      let link = null;
      const rows = h('ul', { class: 'share-list', 'aria-label': 'People and groups' });
      const error = h('p', { class: 'dialog-error', role: 'alert', hidden: true });
      const kind = h(
        'select',
        { 'aria-label': 'Share with a' },
        h('option', { value: 'user' }, 'person'),
        h('option', { value: 'group' }, 'group'),
      );
      const name = h('input', {
        type: 'text',
        class: 'share-name',
        'aria-label': 'Name of the person or group',
        placeholder: 'user or group name',
        autocomplete: 'off',
      });
      const role = roleSelect('viewer', 'Role of the new share');
      const linkOn = h('input', { type: 'checkbox', id: 'share-link-on' });
      const linkRole = roleSelect('viewer', 'Role of anyone with the link');
      const links = h('div', { class: 'share-links' });

      const renderShares = () => {
        rows.replaceChildren(
          ...(shares.length === 0
            ? [h('li', { class: 'dialog-note' }, 'Not shared with anyone yet.')]
            : shares.map((share, i) => {
                const select = roleSelect(share.role, `Role of ${share.name}`);
                select.addEventListener('change', () => {
                  share.role = select.value;
                });
                return h(
                  'li',
                  { class: 'share-row', 'data-kind': share.kind, 'data-name': share.name },
                  h('span', { class: 'share-kind' }, share.kind === 'group' ? 'group' : 'person'),
                  h('span', { class: 'share-who' }, share.name),
                  select,
                  button(
                    'Remove',
                    () => {
                      shares.splice(i, 1);
                      renderShares();
                    },
                    { kind: 'link', 'aria-label': `Stop sharing with ${share.name}` },
                  ),
                );
              })),
        );
      };
      const renderLink = () => {
        linkRole.disabled = !linkOn.checked;
        if (!linkOn.checked) {
          links.replaceChildren(h('p', { class: 'dialog-note' }, 'Only the people and groups above can open it.'));
          return;
        }
        if (!link || !link.token || link.role !== linkRole.value) {
          links.replaceChildren(h('p', { class: 'dialog-note' }, 'Save to get the link.'));
          return;
        }
        const entries = [['view', 'View link', 'Opens the live dashboard with no edit chrome.']];
        if (link.role === 'editor')
          entries.push(['edit', 'Edit link', 'Opens it for editing: whoever has it can save over it.']);
        setChildren(
          links,
          ...entries.map(([mode, label, hint]) => {
            const url = linkUrl(layout.id, link.token, mode);
            const field = h('input', {
              type: 'text',
              readonly: true,
              class: 'share-url',
              'data-link': mode,
              'aria-label': label,
            });
            field.value = url;
            return h(
              'div',
              { class: 'share-link' },
              h('span', { class: 'share-link-label' }, label),
              field,
              button(`Copy ${label.toLowerCase()}`, () => copy(field, notices), { kind: 'small' }),
              h('small', { class: 'field-hint' }, hint),
            );
          }),
          link.role === 'viewer'
            ? h('p', { class: 'dialog-note' }, 'The link lets people view only; choose “can edit” for an edit link.')
            : null,
          button('Reset link', () => save(true), {
            kind: 'small',
            title: 'Draws a new link: the old view and edit links stop working.',
          }),
        );
      };
      const apply = (answer) => {
        shares = Array.isArray(answer.shares)
          ? answer.shares.map((s) => ({ kind: s.kind, name: s.name, role: s.role }))
          : [];
        link = answer.link || null;
        linkOn.checked = Boolean(link);
        if (link) linkRole.value = link.role;
        renderShares();
        renderLink();
      };
      const save = async (resetToken = false) => {
        error.hidden = true;
        const body = { shares, link: linkOn.checked ? { role: linkRole.value } : null };
        if (resetToken) body.resetToken = true;
        try {
          apply(await api.putShares(layout.id, body));
          notices.show({
            key: 'shared',
            kind: 'info',
            text: resetToken ? 'A new link was drawn; the old one no longer works.' : 'Sharing saved.',
            ttl: 3000,
          });
        } catch (e) {
          showError(error, messageOf(e));
        }
      };
      const add = () => {
        const who = name.value.trim();
        if (!who) {
          showError(error, 'Type the name of a person or group to share with.');
          name.focus();
          return;
        }
        const existing = shares.find((s) => s.kind === kind.value && s.name === who);
        if (existing) existing.role = role.value;
        else shares.push({ kind: kind.value, name: who, role: role.value });
        name.value = '';
        error.hidden = true;
        renderShares();
      };
      name.addEventListener('keydown', (event) => {
        if (event.key === 'Enter') {
          event.preventDefault();
          add();
        }
      });
      linkOn.addEventListener('change', renderLink);
      linkRole.addEventListener('change', renderLink);
      api.shares(layout.id).then(apply, (e) => showError(error, messageOf(e)));
      return [
        h('h3', {}, 'People and groups'),
        rows,
        h('div', { class: 'share-add' }, kind, name, role, button('Add', add, { kind: 'small' })),
        h('h3', {}, 'Anyone with the link'),
        h(
          'div',
          { class: 'share-link-toggle' },
          linkOn,
          h('label', { for: 'share-link-on' }, 'Anyone with the link'),
          linkRole,
        ),
        links,
        error,
        actions(
          button('Close', () => close(undefined)),
          button('Save sharing', () => save(false), { kind: 'primary' }),
        ),
      ];
    },
  });
}

async function copy(field, notices) {
  try {
    await navigator.clipboard.writeText(field.value);
    notices.show({ key: 'copied', kind: 'info', text: 'Link copied.', ttl: 2500 });
  } catch {
    field.focus();
    field.select();
    notices.show({ key: 'copied', kind: 'info', text: 'Press Ctrl+C to copy the selected link.', ttl: 4000 });
  }
}
