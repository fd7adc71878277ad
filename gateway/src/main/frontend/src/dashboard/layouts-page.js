// Which layout the page shows, and how: `/?layout=<id>` opens a saved layout (for editing when the
// person may, read only otherwise), `&mode=view` the view mode (no edit chrome at all), `&revision=<n>`
// an old version read only, `&link=<token>` goes with every call about that layout. `/` opens the
// layout this browser used last, or this browser's scratch layout (localStorage) when there is none.
import { clock, h, messageOf, setChildren } from './dom.js';
import { forgetLast, lastLayout, rememberLast } from './drafts.js';
import { describeVersion, renderLayoutInfo } from './layout-header.js';
import { LayoutActions } from './layout-actions.js';
import { LayoutMenu } from './layout-menu.js';
import { OpenLayout, contentConfig } from './open-layout.js';
import { go, pageUrl, requested } from './page-url.js';
import { signedIn } from './signed-in.js';

/** Starts asking the server for what the address wants (before the registry has answered). */
export function fetchRequested(api) {
  const request = requested();
  let fromLast = false;
  if (!request.id) {
    const last = lastLayout();
    if (!last) return Promise.resolve({ request, state: 'scratch' });
    Object.assign(request, { id: last.id, link: last.link });
    fromLast = true;
  }
  api.useLink(request.id, request.link);
  const revision = request.revision && request.mode !== 'view' ? api.revision(request.id, request.revision) : null;
  return Promise.all([api.get(request.id), revision]).then(
    ([layout, old]) => {
      if (fromLast) history.replaceState(null, '', pageUrl({ id: request.id, link: request.link }));
      return { request, layout, revision: old };
    },
    (error) => {
      if (!fromLast) return { request, error };
      // the layout used last is gone or no longer shared: the scratch layout, and say so
      if (error.status === 404 || error.status === 403) forgetLast(request.id);
      return {
        request,
        state: 'scratch',
        notice: `The layout this browser used last could not be opened: ${messageOf(error)}`,
      };
    },
  );
}

/**
 * Shows what was fetched in `view` (the page's Layout). Answers the page: {state, layout, open, ...}
 * with `actions` (the Layouts menu's commands).
 */
export function showRequested({ fetched, me, meError, api, services, view }) {
  const { request, layout, revision } = fetched;
  const page = {
    api,
    me,
    meError,
    view,
    notices: services.notices,
    catalog: services.catalog,
    state: fetched.state || 'edit',
    open: null,
    link: request.link,
    revision,
    shown: layout || null,
    get layout() {
      return this.open ? this.open.layout : this.shown;
    },
  };
  const actions = new LayoutActions(page);
  if (fetched.error) {
    page.state = 'error';
    return { page, actions };
  }
  if (page.state !== 'scratch') {
    if (request.mode === 'view') page.state = 'view';
    else if (revision) page.state = 'revision';
    else page.state = actions.access.canEdit ? 'edit' : 'read-only';
  }
  view.readOnly = ['view', 'read-only', 'revision'].includes(page.state);
  if (page.state === 'edit') {
    page.open = new OpenLayout(api, view, layout);
    safely(services.notices, () => page.open.show(), view);
    rememberLast(layout.id, request.link);
    if (page.open.restoredDraft) tellDraft(services.notices, page.open, layout);
  } else if (page.state === 'read-only' || page.state === 'view') {
    safely(services.notices, () => view.load(contentConfig(layout)), view);
    if (page.state === 'read-only') rememberLast(layout.id, request.link);
  } else if (page.state === 'revision') {
    safely(services.notices, () => view.load(contentConfig(revision)), view);
  }
  if (fetched.notice) services.notices.show({ key: 'last-layout', kind: 'warn', text: fetched.notice });
  return { page, actions };
}

function safely(notices, load, view) {
  try {
    load();
  } catch (e) {
    console.warn('[mesh] the layout could not be shown', e);
    notices.show({ key: 'unreadable', kind: 'error', title: 'This layout could not be shown', text: messageOf(e) });
    view.load({});
  }
}

function tellDraft(notices, open, layout) {
  const { baseVersion, changedAt } = open.restoredDraft;
  const since = changedAt ? ` from ${clock(changedAt)}` : '';
  if (layout.version > baseVersion) {
    notices.show({
      key: 'draft',
      kind: 'warn',
      title: 'Your unsaved changes are back',
      text: `They start from version ${baseVersion}, but ${describeVersion(layout.version, layout.updatedBy, layout.updatedAt)} since. Saving asks what to do.`,
    });
  } else {
    notices.show({ key: 'draft', kind: 'info', text: `Your unsaved changes${since} are back.`, ttl: 5000 });
  }
}

/** The header's layout line, menu, user and banners for the page. */
export function renderChrome(page, actions) {
  const info = document.getElementById('layout-info');
  const render = () => {
    const layout = page.layout;
    let state = page.state;
    if (state === 'edit') state = page.open.dirty ? 'unsaved' : 'saved';
    const version = page.state === 'revision' ? page.revision.revision : layout && layout.version;
    const shown = page.state === 'revision' ? { ...layout, name: page.revision.name || layout.name } : layout;
    renderLayoutInfo(info, { layout: shown, state, version, me: page.me });
    document.documentElement.dataset.dirty = String(Boolean(page.open && page.open.dirty));
  };
  if (page.open) page.open.onChange(render);
  if (page.state !== 'error') render();

  renderSignedIn(page.me, page.meError);

  const menuRoot = document.getElementById('layout-menu');
  if (page.state === 'view') {
    menuRoot.replaceChildren();
    if (page.me && actions.access.canCreate) {
      menuRoot.append(
        h(
          'button',
          { type: 'button', id: 'clone-to-edit', class: 'button ghost small', onclick: () => actions.cloneLayout() },
          'Clone to edit',
        ),
      );
    }
  } else if (page.state !== 'error') {
    new LayoutMenu(menuRoot, () => {
      actions.preload().catch(() => {});
      return actions.items();
    });
  }
  banner(page, actions);
}

/**
 * The person in the header, and in identity mode accounts a Sign out button: a form posting to the
 * gateway, which ends the session and sends the browser on to the sign-in page (no fetch, no script
 * needed for the sign-out itself).
 */
function renderSignedIn(me, meError) {
  const badge = document.getElementById('user');
  const who = signedIn(me, meError);
  badge.textContent = who.text;
  badge.title = who.title;
  if (!who.signOut) return;
  badge.after(
    h(
      'form',
      { id: 'sign-out', class: 'sign-out', method: 'post', action: who.signOut },
      h('button', { type: 'submit', class: 'button ghost small', title: `Sign out ${me.user}` }, 'Sign out'),
    ),
  );
}

function banner(page, actions) {
  const root = document.getElementById('banner');
  const a = actions.access;
  if (page.state === 'read-only') {
    setChildren(
      root,
      h('p', {}, h('strong', {}, 'Read only. '), a.editWhy || ''),
      a.canCreate
        ? h('button', { type: 'button', class: 'button small', onclick: () => actions.cloneLayout() }, 'Clone to edit')
        : null,
    );
  } else if (page.state === 'revision') {
    const r = page.revision;
    setChildren(
      root,
      h(
        'p',
        {},
        h('strong', {}, `Version ${r.revision} of “${page.layout.name}”, `),
        `${describeVersion(r.revision, r.savedBy, r.savedAt).replace(/^version \d+ /, '')}: read only.`,
      ),
      a.canEdit && r.revision !== page.layout.version
        ? h(
            'button',
            { type: 'button', class: 'button small primary', onclick: () => actions.restore(r.revision) },
            `Restore version ${r.revision}`,
          )
        : null,
      h(
        'a',
        { class: 'button small', href: pageUrl({ id: page.layout.id, link: page.link }) },
        'Back to the current version',
      ),
    );
  } else {
    return;
  }
  root.hidden = false;
}

/** The page when the layout in the address cannot be opened. */
export function showOpenError(box, fetched) {
  box.append(
    h(
      'div',
      { class: 'fatal open-error', role: 'alert' },
      h('p', { class: 'fatal-title' }, 'This layout cannot be opened.'),
      h('p', {}, messageOf(fetched.error)),
      h(
        'div',
        { class: 'dialog-actions' },
        h('button', { type: 'button', class: 'button', onclick: () => location.reload() }, 'Try again'),
        h(
          'button',
          {
            type: 'button',
            class: 'button primary',
            onclick: () => {
              forgetLast();
              go('/');
            },
          },
          'Open the scratch layout',
        ),
      ),
    ),
  );
}
