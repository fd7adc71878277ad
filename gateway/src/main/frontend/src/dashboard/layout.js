// The windowing: golden-layout 2 with virtual components. A frame's element is never moved in the DOM
// when its window is dragged, stacked or resized (golden-layout only tells where it goes), so widget
// elements are not disconnected and reconnected, which many widgets would take as a restart.
//
// The arrangement is golden-layout's config, with each frame's state {frame, widget, attributes} as
// its component state. Where it goes after a change is the caller's choice (`store`): by default the
// browser's scratch layout in localStorage; for a saved layout, its draft (see open-layout.js). A
// read-only layout (view mode, a layout the caller may only view, an old revision) has no headers to
// drag, no buttons, and is never stored.
import { LayoutConfig, VirtualLayout } from 'golden-layout';
import { Frame, newFrameId } from './frame.js';
import { readOnlyConfig, readOnlyItem } from './view-mode.js';

export const COMPONENT_TYPE = 'mesh-widget';
export const STORAGE_KEY = 'mesh.dashboard.layout';
const FORMAT = 1;

// LayoutManager.LocationSelector.TypeId (a const enum, so not exported at run time)
const FIRST_ROW_OR_COLUMN = 3;
const FOCUSED_STACK = 1;
const FIRST_STACK = 2;
const ROOT = 7;

/** Settings of every layout: ours, whatever a saved config says. */
const SETTINGS = {
  settings: {
    popoutWholeStack: false,
    blockedPopoutsThrowError: false,
    closePopoutsOnUnload: true,
    // the popped-out window puts its frame back itself when it closes (see the constructor): golden-layout's
    // own popInOnClose listens on the popout from the opener, which Chromium does not always let it hear
    popInOnClose: false,
    reorderEnabled: true,
  },
  dimensions: {
    headerHeight: 30,
    borderWidth: 6,
    borderGrabWidth: 8,
    dragProxyWidth: 320,
    dragProxyHeight: 200,
    defaultMinItemHeight: '80px',
    defaultMinItemWidth: '120px',
  },
  header: {
    popout: 'Open in a new window',
    maximise: 'Maximise',
    minimise: 'Restore',
    close: 'Close window',
    tabDropdown: 'More windows',
  },
};

/** The config of a new window showing a widget. */
export function widgetItem(widgetId, title, size) {
  const frame = newFrameId();
  return {
    type: 'component',
    componentType: COMPONENT_TYPE,
    componentState: { frame, widget: widgetId, attributes: {} },
    title: title || widgetId,
    id: frame,
    ...(size ? { size } : {}),
  };
}

/**
 * What a first-time visitor sees: the sales table and the sales chart side by side, the KPIs below;
 * only the ones the registry has (all of them while it cannot be asked).
 */
export function defaultLayout(catalog) {
  const has = (id) => !catalog.loaded || (catalog.get(id) && catalog.get(id).available);
  const title = (id) => (catalog.get(id) && catalog.get(id).manifest && catalog.get(id).manifest.label) || id;
  const top = ['sales-table', 'sales-chart']
    .filter(has)
    .map((id, i) => widgetItem(id, title(id), i === 0 ? '55%' : '45%'));
  const below = has('sales-kpis') ? [widgetItem('sales-kpis', title('sales-kpis'))] : [];
  let root;
  if (top.length === 0) root = below[0];
  else if (below.length === 0) root = top.length === 1 ? top[0] : { type: 'row', content: top };
  else
    root = {
      type: 'column',
      content: [
        { type: 'row', size: '70%', content: top },
        { ...below[0], size: '30%' },
      ],
    };
  return { ...SETTINGS, root };
}

export class Layout {
  /** ComponentContainer → Frame, of this window */
  frames = new Map();
  #element;
  #services;
  #layout;
  #rootRect = null;
  #saveTimer = null;
  #changeListeners = new Set();
  #readOnly = false;
  /** Where the arrangement goes after a change: `store(resolvedConfig)`; null = the scratch layout. */
  store = null;

  /**
   * element: the layout's box; services: {catalog, router, frames, saveSoon?}; in a popped-out window
   * the services are the opener's, so that its frames share the dashboard's bridge and events.
   * options.readOnly: nothing to drag, close or pop out, and nothing stored.
   */
  constructor(element, services, options = {}) {
    this.#element = element;
    this.#services = services;
    this.#readOnly = Boolean(options.readOnly);
    // both handlers are given here, so that a popout window (whose layout golden-layout builds inside
    // this constructor) can bind its frame at once
    this.#layout = new VirtualLayout(
      element,
      (container, itemConfig) => this.#bind(container, itemConfig),
      (container) => this.#unbind(container),
    );
    // follows its box (the marketplace opening beside it, the browser window resizing)
    this.#layout.resizeWithContainerAutomatically = true;
    this.#layout.resizeDebounceInterval = 50;
    this.#layout.beforeVirtualRectingEvent = () => {
      this.#rootRect = this.#element.getBoundingClientRect();
    };
    this.#layout.on('tabCreated', (tab) => reachableByKeyboard(tab));
    this.#layout.on('stateChanged', () => this.#changed());
    this.#layout.on('windowOpened', () => this.#changed());
    this.#layout.on('windowClosed', () => this.#changed());
    if (this.isPopout) {
      // closing a popped-out window puts its frame back into the dashboard rather than losing it
      // (pagehide as well: a window closed by a script or a test may not see beforeunload)
      window.addEventListener('beforeunload', () => this.popIn());
      window.addEventListener('pagehide', () => {
        this.popIn();
        // golden-layout does not unbind a popout's frames when the window goes: free them here
        for (const frame of this.frames.values()) frame.destroy();
      });
    }
  }

  #poppedIn = false;

  /** In a popped-out window: hands the frame back to the dashboard (which closes this window). */
  popIn() {
    if (!this.isPopout || this.#poppedIn) return;
    this.#poppedIn = true;
    try {
      this.#layout.emit('popIn');
    } catch (e) {
      console.warn('[mesh] the window could not go back into the dashboard', e);
    }
  }

  get isPopout() {
    return this.#layout.isSubWindow;
  }

  get manager() {
    return this.#layout;
  }

  /** Calls `listener()` after every change of the layout. */
  onChange(listener) {
    this.#changeListeners.add(listener);
    return () => this.#changeListeners.delete(listener);
  }

  /** Number of windows, here and popped out. */
  get windowCount() {
    let popped = 0;
    try {
      popped = this.#layout.openPopouts.length;
    } catch {
      // not initialised yet
    }
    return this.frames.size + popped;
  }

  #bind(container, itemConfig) {
    const frame = new Frame(itemConfig.componentState, this.#services, {
      setTitle: (title, unavailable) => {
        if (container.title !== title) container.setTitle(title);
        frame.unavailable = unavailable;
        markTab(container, unavailable);
      },
      saveState: () => container.setState(frame.state),
    });
    container.on('tab', () => markTab(container, frame.unavailable));
    container.stateRequestEvent = () => frame.state;
    container.virtualRectingRequiredEvent = (c, width, height) => {
      const rect = c.element.getBoundingClientRect();
      const root = this.#rootRect || this.#element.getBoundingClientRect();
      const style = frame.root.style;
      style.left = `${rect.left - root.left}px`;
      style.top = `${rect.top - root.top}px`;
      style.width = `${width}px`;
      style.height = `${height}px`;
    };
    container.virtualVisibilityChangeRequiredEvent = (c, visible) => {
      frame.root.style.display = visible ? '' : 'none';
    };
    container.virtualZIndexChangeRequiredEvent = (c, logicalZIndex, defaultZIndex) => {
      frame.root.style.zIndex = defaultZIndex;
    };
    this.#element.append(frame.root);
    this.frames.set(container, frame);
    // after golden-layout has finished building the window (the frame may set its title at once)
    queueMicrotask(() => {
      if (this.frames.get(container) === frame) frame.start();
    });
    this.#notifySoon();
    return { component: frame, virtual: true };
  }

  #unbind(container) {
    const frame = this.frames.get(container);
    if (!frame) return;
    this.frames.delete(container);
    frame.destroy();
    frame.root.remove();
    this.#notifySoon();
  }

  /** Loads the saved layout, or the default one; windows that were popped out come back in. */
  restore(catalog) {
    this.store = null;
    const saved = readSaved();
    if (saved) {
      try {
        this.#layout.loadLayout({ ...saved.config, ...SETTINGS, root: saved.config.root, openPopouts: [] });
        for (const root of saved.popouts) this.#add(root);
        return 'saved';
      } catch (e) {
        console.warn('[mesh] the saved layout could not be loaded; starting from the default one', e);
      }
    }
    this.#layout.loadLayout(defaultLayout(catalog));
    this.saveSoon();
    return 'default';
  }

  /**
   * Shows a layout's config (golden-layout's, resolved or not, as a layout's `content.config`);
   * windows that were popped out come back in. Throws when golden-layout cannot read it.
   */
  load(config) {
    const source = config && typeof config === 'object' ? config : {};
    const layoutConfig = LayoutConfig.isResolved(source) ? LayoutConfig.fromResolved(source) : source;
    const popouts = (Array.isArray(layoutConfig.openPopouts) ? layoutConfig.openPopouts : [])
      .map((p) => p && p.root)
      .filter(Boolean);
    try {
      this.#layout.closeAllOpenPopouts();
    } catch {
      // nothing loaded yet
    }
    let wanted = { ...layoutConfig, ...SETTINGS, root: layoutConfig.root, openPopouts: [] };
    if (this.#readOnly) wanted = readOnlyConfig(wanted);
    this.#layout.loadLayout(wanted);
    for (const root of popouts) this.#add(this.#readOnly ? readOnlyItem(root) : root);
  }

  /** The arrangement as golden-layout's resolved config, or null while it cannot say (a popout opening). */
  current() {
    try {
      return this.#layout.saveLayout();
    } catch {
      return null;
    }
  }

  get readOnly() {
    return this.#readOnly;
  }

  /** Read only from the next load() on. */
  set readOnly(value) {
    this.#readOnly = Boolean(value);
  }

  /** Back to the first-time layout. */
  reset(catalog) {
    this.#layout.closeAllOpenPopouts();
    this.#layout.loadLayout(defaultLayout(catalog));
    this.saveSoon();
  }

  /** Adds a window with the widget, beside the others; returns its frame id. */
  addWidget(widgetId, title) {
    const item = widgetItem(widgetId, title);
    this.#add(item);
    const added = this.#layout.findFirstComponentItemById(item.id);
    if (added) this.#layout.focusComponent(added);
    return item.id;
  }

  #add(item) {
    const root = this.#layout.rootItem;
    if (root && root.type === 'stack' && root.contentItems.length > 0 && this.#layout.openPopouts.length === 0) {
      // one stack only: the new window goes beside it rather than behind it as a tab (golden-layout
      // has no public call for that, so the layout is loaded again with a row; frames start afresh)
      const current = LayoutConfig.fromResolved(this.#layout.saveLayout());
      this.#layout.loadLayout({ ...current, openPopouts: [], root: { type: 'row', content: [current.root, item] } });
      return;
    }
    this.#layout.addItemAtLocation(item, [
      { typeId: FIRST_ROW_OR_COLUMN },
      { typeId: FOCUSED_STACK },
      { typeId: FIRST_STACK },
      { typeId: ROOT },
    ]);
  }

  /** A drag source: `configFor()` gives the window to create where it is dropped. */
  dragSource(element, configFor) {
    return this.#layout.newDragSource(element, configFor);
  }

  removeDragSource(source) {
    this.#layout.removeDragSource(source);
  }

  #changed() {
    this.saveSoon();
    this.#notifySoon();
  }

  #notifyTimer = null;

  /** Tells the listeners once golden-layout has finished (a change binds and unbinds several frames). */
  #notifySoon() {
    if (this.#notifyTimer !== null) return;
    this.#notifyTimer = setTimeout(() => {
      this.#notifyTimer = null;
      for (const listener of [...this.#changeListeners]) listener();
    });
  }

  /** Saves a moment later (a drag fires many changes). A popout asks its opener to save. */
  saveSoon() {
    if (this.#readOnly) return;
    if (this.isPopout) {
      if (this.#services.saveSoon) this.#services.saveSoon();
      return;
    }
    clearTimeout(this.#saveTimer);
    this.#saveTimer = setTimeout(() => this.save(), 250);
  }

  /** Stores a change that is waiting for its moment now (the page is going away). */
  flush() {
    if (this.#saveTimer !== null) this.save();
  }

  /** Stores the arrangement now. */
  save() {
    clearTimeout(this.#saveTimer);
    this.#saveTimer = null;
    if (this.isPopout || this.#readOnly) return;
    try {
      const layout = this.#layout.saveLayout();
      if (this.store) this.store(layout);
      else
        localStorage.setItem(
          STORAGE_KEY,
          JSON.stringify({ format: FORMAT, savedAt: new Date().toISOString(), layout }),
        );
    } catch {
      // a popout still opening cannot describe itself yet: try again shortly
      clearTimeout(this.#saveTimer);
      this.#saveTimer = setTimeout(() => this.save(), 1000);
    }
  }
}

/**
 * golden-layout's tabs only listen to the mouse: each one becomes a stop of the Tab key, Enter or
 * Space shows its window, and the arrow keys move between the tabs of a stack.
 */
function reachableByKeyboard(tab) {
  const element = tab.element;
  if (!element) return;
  element.tabIndex = 0;
  element.addEventListener('keydown', (event) => {
    if (event.target !== element) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      element.click();
    } else if (event.key === 'ArrowLeft' || event.key === 'ArrowRight') {
      const tabs = [...element.parentElement.querySelectorAll(':scope > .lm_tab')];
      const next = tabs[(tabs.indexOf(element) + (event.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
      if (next) {
        event.preventDefault();
        next.focus();
      }
    }
  });
}

function markTab(container, unavailable) {
  const tab = container.tab;
  if (tab && tab.element) tab.element.classList.toggle('mesh-unavailable', Boolean(unavailable));
}

function readSaved() {
  let raw;
  try {
    raw = localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
  if (!raw) return null;
  try {
    const saved = JSON.parse(raw);
    if (!saved || saved.format !== FORMAT || !saved.layout) return null;
    const config = LayoutConfig.fromResolved(saved.layout);
    const popouts = (config.openPopouts || []).map((p) => p.root).filter(Boolean);
    return { config, popouts };
  } catch (e) {
    console.warn('[mesh] the saved layout is unreadable; starting from the default one', e);
    return null;
  }
}
