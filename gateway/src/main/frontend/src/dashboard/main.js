// The dashboard page (gateway, /): golden-layout windows each holding one widget, the live
// marketplace, and cross-widget events over the event-bus bridge. The same bundle runs in a window
// popped out of the dashboard (golden-layout opens this page with ?gl-window=…): there it shows only
// the popped-out frame and borrows its opener's registry view, event routing and bridge connection.
import { bus as sharedBus } from '/sdk/mesh.js';
import { Catalog } from './catalog.js';
import { h, messageOf } from './dom.js';
import { Layout } from './layout.js';
import { LayoutsApi } from './layouts-api.js';
import { fetchRequested, renderChrome, showOpenError, showRequested } from './layouts-page.js';
import { isCatchingCallbacks } from './loader.js';
import { Marketplace } from './marketplace.js';
import { Notices } from './notices.js';
import { Router } from './router.js';

const DASHBOARD = Symbol.for('mesh.dashboard');
const isPopout = new URLSearchParams(location.search).has('gl-window');

function openerDashboard() {
  try {
    return (window.opener && window.opener[DASHBOARD]) || null;
  } catch {
    return null; // an opener of another origin
  }
}

function createServices() {
  const bus = sharedBus();
  const notices = new Notices(document.getElementById('notices'));
  const catalog = new Catalog(bus);
  const router = new Router(bus, notices);
  return { bus, notices, catalog, router, frames: new Set(), saveSoon: null };
}

/** Errors a widget throws later (event handlers, timers, promises) go to its frame, not the page. */
function containErrors(layout) {
  const frameOf = (urls) => {
    // the first script of the stack that is a widget's decides
    for (const url of urls) {
      const scored = [...layout.frames.values()]
        .map((frame) => ({ frame, score: frame.owns(url) }))
        .filter((s) => s.score > 0);
      const exact = scored.filter((s) => s.score === 2);
      if (exact.length > 0) return exact[0].frame;
      if (scored.length === 1) return scored[0].frame;
    }
    return null;
  };
  window.addEventListener('error', (event) => {
    if (isCatchingCallbacks()) return; // a frame starting its widget takes this one itself
    const stack = event.error && event.error.stack ? String(event.error.stack) : '';
    const frame = frameOf([...urlsIn(stack), event.filename].filter(Boolean));
    if (!frame) return;
    event.preventDefault();
    frame.reportError(event.message || messageOf(event.error));
    console.warn(`[mesh] ${frame.widgetId} threw:`, event.error || event.message);
  });
  window.addEventListener('unhandledrejection', (event) => {
    const reason = event.reason;
    const frame = frameOf(urlsIn(reason && reason.stack ? String(reason.stack) : ''));
    if (!frame) return;
    event.preventDefault();
    frame.reportError(messageOf(reason));
    console.warn(`[mesh] ${frame.widgetId} failed:`, reason);
  });
}

function urlsIn(stack) {
  return stack.match(/https?:\/\/[^\s)]+/g) || [];
}

function statusLine(services) {
  const status = document.getElementById('status');
  const render = () => {
    const { bus, catalog } = services;
    const live = bus.isOpen;
    document.documentElement.dataset.bridge = bus.status;
    let text;
    let kind;
    if (catalog.error && !catalog.loaded) {
      text = 'registry unavailable';
      kind = 'down';
    } else if (live) {
      text = 'live';
      kind = 'live';
    } else {
      text = bus.status === 'connecting' ? 'connecting…' : 'offline · events stay in this page';
      kind = 'offline';
    }
    status.textContent = text;
    status.dataset.kind = kind;
    status.title = live
      ? 'Connected to the event bus: widget events and registry changes arrive live.'
      : 'The event bus is not connected: widgets still talk to each other in this page, and the registry is read every few seconds. Reconnecting…';
  };
  services.bus.onStatus(render);
  services.catalog.onChange(render);
  render();
}

async function startDashboard() {
  const services = createServices();
  const layoutElement = document.getElementById('layout');
  const layout = new Layout(layoutElement, services);
  services.saveSoon = () => layout.saveSoon();
  Object.defineProperty(window, DASHBOARD, { value: services });
  containErrors(layout);
  statusLine(services);
  // the page's last changes go to localStorage before it goes
  window.addEventListener('pagehide', () => layout.flush());

  services.bus.connect().catch(() => {});
  const api = new LayoutsApi();
  const identity = api.me().then(
    (me) => ({ me }),
    (e) => ({ me: null, meError: messageOf(e) }),
  );
  const fetching = fetchRequested(api);
  // the first read of the registry decides the default layout (only widgets that exist)
  await services.catalog.start();
  const fetched = await fetching;
  const { me, meError } = await identity;
  const { page, actions } = showRequested({ fetched, me, meError, api, services, view: layout });
  services.layouts = page;
  const html = document.documentElement;
  html.dataset.mode = page.state;
  html.classList.toggle('read-only', layout.readOnly || page.state === 'error');
  html.classList.toggle('view-mode', page.state === 'view');
  renderChrome(page, actions);

  let restored = 'layout';
  if (page.state === 'scratch') restored = layout.restore(services.catalog);
  else if (page.state === 'error') showOpenError(layoutElement, fetched);
  const editable = page.state === 'scratch' || page.state === 'edit';
  const marketplace = editable ? startEditing(services, layout, page, actions) : stopEditing(page);

  const empty = document.getElementById('empty');
  const showEmpty = () => {
    empty.hidden = layout.windowCount > 0 || page.state === 'error';
  };
  layout.onChange(() => {
    showEmpty();
    if (marketplace) marketplace.render();
  });
  showEmpty();
  html.dataset.layout = restored;
  html.dataset.ready = 'true';
  if (marketplace && layout.windowCount === 0 && (restored === 'default' || page.state === 'edit'))
    marketplace.open(document.getElementById('add-window'));
}

/** The edit chrome: the marketplace, Add window, Reset layout (scratch only), the keyboard shortcuts. */
function startEditing(services, layout, page, actions) {
  const addButton = document.getElementById('add-window');
  const emptyAdd = document.getElementById('empty-add');
  const marketplace = new Marketplace(document.getElementById('marketplace'), {
    catalog: services.catalog,
    frames: services.frames,
    layout,
    onAdd: (entry) => {
      layout.addWidget(entry.id, entry.manifest.label);
      services.notices.dismiss('added');
      services.notices.show({
        key: 'added',
        kind: 'info',
        text: `${entry.manifest.label} was added to the dashboard.`,
        ttl: 3000,
      });
    },
  });
  addButton.addEventListener('click', () => marketplace.toggle(addButton));
  emptyAdd.addEventListener('click', () => marketplace.open(addButton));
  const reset = document.getElementById('reset-layout');
  if (page.state === 'scratch') {
    reset.addEventListener('click', () => {
      if (window.confirm('Replace the windows of this dashboard with the default ones?'))
        layout.reset(services.catalog);
    });
  } else {
    reset.remove(); // a saved layout has "Discard unsaved changes" in its menu instead
  }
  document.addEventListener('keydown', (event) => {
    const inDialog = event.target instanceof Element && event.target.closest('dialog');
    if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 's') {
      event.preventDefault();
      if (!inDialog && !document.querySelector('dialog[open]')) actions.save();
      return;
    }
    if (inDialog) return;
    if (
      event.key === 'Escape' &&
      marketplace.isOpen &&
      !(event.target instanceof Element && event.target.closest('.mesh-frame'))
    ) {
      marketplace.close();
      return;
    }
    const typing =
      event.target instanceof HTMLElement && event.target.closest('input, textarea, select, [contenteditable]');
    if (event.key === '/' && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      if (!marketplace.isOpen) marketplace.open(addButton);
      else marketplace.focusSearch();
    }
  });
  services.catalog.onChange(() => marketplace.render());
  return marketplace;
}

/** A read-only page: none of the edit chrome is in it at all. */
function stopEditing(page) {
  for (const id of ['add-window', 'reset-layout', 'empty-add', 'marketplace']) {
    const element = document.getElementById(id);
    if (element) element.remove();
  }
  if (page.state === 'view') document.getElementById('catalog-link').remove();
  document.querySelector('#empty .empty-title').textContent = 'This layout has no windows.';
  for (const hint of document.querySelectorAll('#empty p:not(.empty-title)')) hint.remove();
  document.addEventListener('keydown', (event) => {
    // not the browser's "save page" either
    if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 's') event.preventDefault();
  });
  return null;
}

function startPopout() {
  document.documentElement.classList.add('popout');
  const host = openerDashboard();
  let services = host;
  if (!services) {
    // opened on its own (the dashboard reloaded or closed): a connection and a registry view of its own
    services = createServices();
    services.catalog.start();
  }
  let layout;
  try {
    layout = new Layout(document.getElementById('layout'), services);
  } catch (e) {
    // golden-layout hands a popout its config once; a reloaded popout has none left
    document
      .getElementById('layout')
      .append(
        h(
          'div',
          { class: 'fatal popout-gone', role: 'status' },
          h('p', {}, 'This window went back into the dashboard.'),
          h('button', { type: 'button', class: 'button', onclick: () => window.close() }, 'Close this window'),
        ),
      );
    console.warn('[mesh] popout without a layout', e);
    return;
  }
  containErrors(layout);
  if (host) {
    document.body.append(
      h(
        'button',
        {
          type: 'button',
          class: 'popin-button',
          title: 'Put this window back into the dashboard',
          onclick: () => layout.popIn(),
        },
        'Back to the dashboard',
      ),
    );
  }
  document.documentElement.dataset.ready = 'true';
}

try {
  if (isPopout) startPopout();
  else await startDashboard();
} catch (e) {
  console.error('[mesh] the dashboard did not start', e);
  const box = document.getElementById('layout') || document.body;
  box.append(
    h(
      'div',
      { class: 'fatal', role: 'alert' },
      h('p', {}, 'The dashboard could not start.'),
      h('p', {}, messageOf(e)),
      h('button', { type: 'button', class: 'button', onclick: () => location.reload() }, 'Reload'),
    ),
  );
}
