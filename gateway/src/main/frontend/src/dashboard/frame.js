// One window of the dashboard: a frame holding one widget element. Its saved state is the widget id
// and the element's attributes; the frame keeps both, and its place in the layout, whatever happens to
// the widget: not registered, expired, host gone, module missing, element throwing. Then it says what
// is missing and comes back by itself when the registry announces the widget again.
import { h, messageOf } from './dom.js';
import { catchingCallbacks, loadWidget, runsOtherVersion } from './loader.js';
import { unavailableReason } from './catalog.js';

let counter = 0;

/** A new frame id, unique in this browser. */
export function newFrameId() {
  counter++;
  return `f-${Date.now().toString(36)}-${counter.toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
}

/** The state saved for a frame, from whatever a layout held. */
export function frameState(raw) {
  const state = raw && typeof raw === 'object' ? raw : {};
  const attributes = {};
  if (state.attributes && typeof state.attributes === 'object') {
    for (const [name, value] of Object.entries(state.attributes)) {
      if (/^[a-z][a-z0-9_.-]*$/i.test(name) && (typeof value === 'string' || value === null)) attributes[name] = value;
    }
  }
  return {
    frame: typeof state.frame === 'string' && state.frame ? state.frame : newFrameId(),
    widget: typeof state.widget === 'string' ? state.widget : '',
    attributes,
  };
}

/** The attributes an element starts with: the manifest's defaults, then the frame's saved values. */
export function initialAttributes(manifest, saved) {
  const result = {};
  for (const attribute of manifest && Array.isArray(manifest.attributes) ? manifest.attributes : []) {
    if (!attribute || typeof attribute.name !== 'string') continue;
    const value = attributeValue(attribute.type, attribute.default);
    if (value !== null) result[attribute.name] = value;
  }
  for (const [name, value] of Object.entries(saved || {})) {
    if (value === null) delete result[name];
    else result[name] = value;
  }
  return result;
}

function attributeValue(type, value) {
  if (value === undefined || value === null) return null;
  if (type === 'boolean') return value === true || value === 'true' ? '' : null;
  if (typeof value === 'string') return value;
  return type === 'json' || typeof value === 'object' ? JSON.stringify(value) : String(value);
}

export class Frame {
  /** The frame's saved state: {frame, widget, attributes}. */
  state;
  root;
  element = null;
  manifest = null;
  status = 'waiting';
  /** Whether its tab shows the widget as unavailable (kept by the layout for re-created tabs). */
  unavailable = false;
  #services;
  #host;
  #body;
  #message;
  #alert;
  #settings = null;
  #settingsButton;
  #attempt = 0;
  #offCatalog;
  #attached = false;
  #destroyed = false;

  /**
   * services: {catalog, router, frames}; host: {setTitle(text, unavailable), saveState()} from the
   * layout window that holds the frame.
   */
  constructor(state, services, host) {
    this.state = frameState(state);
    this.#services = services;
    this.#host = host;
    this.#body = h('div', { class: 'mesh-frame-body' });
    this.#message = h('div', { class: 'mesh-frame-message', role: 'status', hidden: true });
    this.#alert = h('div', { class: 'mesh-frame-alert', role: 'alert', hidden: true });
    const settingsButton = h(
      'button',
      {
        type: 'button',
        class: 'mesh-frame-settings-button',
        title: 'Widget settings',
        'aria-label': 'Widget settings',
        hidden: true,
        onclick: () => this.#toggleSettings(),
      },
      '⚙',
    );
    this.root = h(
      'section',
      { class: 'mesh-frame', dataset: { frameId: this.state.frame, widgetId: this.state.widget, status: this.status } },
      this.#body,
      this.#message,
      this.#alert,
      settingsButton,
    );
    this.#settingsButton = settingsButton;
    // a widget's events stop here: the dashboard carries them, not the page's DOM
    this.root.addEventListener('mesh:publish', (event) => {
      event.stopPropagation();
      if (this.status !== 'ready') return;
      const detail = event.detail || {};
      this.#services.router.publish(this, detail.topic, detail.payload);
    });
  }

  get id() {
    return this.state.frame;
  }

  get widgetId() {
    return this.state.widget;
  }

  start() {
    this.#services.frames.add(this);
    this.#offCatalog = this.#services.catalog.onChange((change) => this.#onCatalog(change));
    this.#refresh();
  }

  destroy() {
    this.#destroyed = true;
    this.#attempt++;
    this.#services.frames.delete(this);
    if (this.#offCatalog) this.#offCatalog();
    this.#removeElement();
  }

  /** Delivers a mesh:event to the widget element (called by the router). */
  deliver(detail) {
    const element = this.element;
    if (!element || this.status !== 'ready') return;
    // the event is made in the element's own window (a popped-out frame lives in another one)
    const View = element.ownerDocument.defaultView || window;
    element.dispatchEvent(new View.CustomEvent('mesh:event', { detail }));
  }

  /** An error the widget threw later (an event handler, a timer): shown, the widget stays. */
  reportError(text) {
    this.#alert.replaceChildren(
      h('span', {}, `${this.manifest ? this.manifest.label : this.widgetId} reported an error: ${text}`),
      h(
        'button',
        {
          type: 'button',
          class: 'button link',
          onclick: () => {
            this.#alert.hidden = true;
          },
        },
        'Dismiss',
      ),
    );
    this.#alert.hidden = false;
    this.root.dataset.errors = String(Number(this.root.dataset.errors || 0) + 1);
  }

  /**
   * How surely a script URL (from an error event or a stack) is this widget's: 2 its module, 1 a file
   * beside its module (widgets may share a folder, so the caller takes a 1 only when it is the only one).
   */
  owns(url) {
    if (!this.manifest || typeof url !== 'string' || !url) return 0;
    try {
      const file = url.replace(/(:\d+)+$/, '').replace(/[?#].*$/, '');
      const module = new URL(this.manifest.module, location.href);
      module.search = '';
      module.hash = '';
      if (file === module.href) return 2;
      return file.startsWith(module.href.slice(0, module.href.lastIndexOf('/') + 1)) ? 1 : 0;
    } catch {
      return 0;
    }
  }

  #onCatalog(change) {
    if (this.#destroyed) return;
    if (change.type !== 'reload' && change.id !== this.widgetId) return;
    this.#refresh(change.type);
  }

  #refresh(changeType) {
    const { catalog } = this.#services;
    const entry = catalog.get(this.widgetId);
    if (!entry || !entry.available) {
      if (!catalog.loaded && !entry) {
        this.#setStatus('waiting');
        this.#showMessage(
          'Waiting for the registry…',
          catalog.error ? `The registry cannot be reached: ${catalog.error}` : null,
        );
        this.#host.setTitle(this.widgetId, false);
        return;
      }
      if (this.status === 'unavailable') return this.#describeUnavailable(entry);
      this.#attempt++;
      this.#removeElement();
      this.#setStatus('unavailable');
      return this.#describeUnavailable(entry);
    }
    if (this.status === 'ready') {
      this.#updated(entry.manifest);
      return;
    }
    if (this.status === 'loading') return;
    // a widget that failed is tried again when it is registered anew, not on every read of the list
    if (
      this.status === 'error' &&
      changeType !== 'registered' &&
      changeType !== 'updated' &&
      JSON.stringify(entry.manifest) === JSON.stringify(this.manifest)
    )
      return;
    this.#load(entry.manifest);
  }

  #describeUnavailable(entry) {
    const label = entry && entry.manifest ? entry.manifest.label : this.widgetId;
    this.#host.setTitle(label, true);
    this.#showMessage(
      `${label} is unavailable`,
      unavailableReason(entry, this.widgetId),
      'This window keeps its place and settings; the widget comes back by itself when it is registered again.',
    );
  }

  async #load(manifest) {
    const attempt = ++this.#attempt;
    this.manifest = manifest;
    this.#setStatus('loading');
    this.#host.setTitle(manifest.label, false);
    this.#showMessage(`Loading ${manifest.label}…`);
    try {
      const Element = await loadWidget(manifest);
      if (attempt !== this.#attempt) return;
      let element;
      try {
        element = new Element();
      } catch (e) {
        throw new Error(`<${manifest.tag}> threw while being created: ${messageOf(e)}`, { cause: e });
      }
      try {
        catchingCallbacks(() => {
          for (const [name, value] of Object.entries(initialAttributes(manifest, this.state.attributes)))
            element.setAttribute(name, value);
          element.dataset.widgetId = manifest.id;
          element.dataset.frameId = this.id;
          this.#body.replaceChildren(element);
        });
      } catch (e) {
        this.#body.replaceChildren();
        throw new Error(`<${manifest.tag}> threw while starting: ${messageOf(e)}`, { cause: e });
      }
      this.element = element;
      this.#message.hidden = true;
      this.#alert.hidden = true;
      this.#setStatus('ready');
      this.#settingsButton.hidden = !(Array.isArray(manifest.attributes) && manifest.attributes.length > 0);
      this.#services.router.attach(this);
      this.#attached = true;
    } catch (e) {
      if (attempt !== this.#attempt || this.#destroyed) return;
      this.#setStatus('error');
      this.#showMessage(
        `${manifest.label} could not start`,
        messageOf(e),
        'The rest of the dashboard works; this window tries again when the widget is registered anew.',
        h('button', { type: 'button', class: 'button', onclick: () => this.#retry() }, 'Try again'),
      );
    }
  }

  #retry() {
    const entry = this.#services.catalog.get(this.widgetId);
    if (entry && entry.available) this.#load(entry.manifest);
    else this.#refresh();
  }

  /** The registry has another manifest for the widget while it runs here. */
  #updated(manifest) {
    const before = this.manifest;
    if (before && JSON.stringify(before) === JSON.stringify(manifest)) return;
    if (before && before.tag !== manifest.tag) {
      // another element altogether: start it afresh
      this.#attempt++;
      this.#removeElement();
      this.#setStatus('waiting');
      this.#load(manifest);
      return;
    }
    this.#services.router.detach(this);
    this.manifest = manifest;
    this.#host.setTitle(manifest.label, false);
    this.#services.router.attach(this);
    if (runsOtherVersion(manifest)) {
      this.#alert.replaceChildren(
        h('span', {}, `Version ${manifest.version} of ${manifest.label} is available; reload the page to run it.`),
      );
      this.#alert.hidden = false;
    }
  }

  #removeElement() {
    if (this.#attached) {
      this.#services.router.detach(this);
      this.#attached = false;
    }
    const element = this.element;
    this.element = null;
    this.#settingsButton.hidden = true;
    this.#closeSettings();
    if (element) {
      try {
        catchingCallbacks(() => element.remove());
      } catch (e) {
        console.warn(`[mesh] ${this.widgetId} threw while being removed`, e);
      }
    }
    this.#body.replaceChildren();
  }

  #setStatus(status) {
    this.status = status;
    this.root.dataset.status = status;
  }

  #showMessage(title, text, hint, action) {
    this.#message.replaceChildren(
      ...[
        h('p', { class: 'mesh-frame-message-title' }, title),
        text ? h('p', { class: 'mesh-frame-message-text' }, text) : null,
        hint ? h('p', { class: 'mesh-frame-message-hint' }, hint) : null,
        action || null,
      ].filter(Boolean),
    );
    this.#message.hidden = false;
  }

  // ---- settings: the attributes the manifest declares, saved with the frame ----

  #toggleSettings() {
    if (this.#settings) this.#closeSettings();
    else this.#openSettings();
  }

  #closeSettings() {
    if (this.#settings) {
      this.#settings.remove();
      this.#settings = null;
    }
  }

  #openSettings() {
    const manifest = this.manifest;
    if (!manifest || !this.element) return;
    const current = initialAttributes(manifest, this.state.attributes);
    const fields = [];
    const form = h('form', { class: 'mesh-frame-settings', 'aria-label': `${manifest.label} settings` });
    form.append(h('p', { class: 'mesh-frame-settings-title' }, `${manifest.label} · settings`));
    for (const attribute of manifest.attributes) {
      if (!attribute || typeof attribute.name !== 'string') continue;
      const id = `${this.id}-attr-${attribute.name}`;
      let input;
      if (attribute.type === 'boolean') {
        input = h('input', { id, type: 'checkbox', name: attribute.name });
        input.checked = attribute.name in current;
      } else if (attribute.type === 'json') {
        input = h('textarea', { id, name: attribute.name, rows: 3 });
        input.value = current[attribute.name] ?? '';
      } else {
        input = h('input', {
          id,
          type: attribute.type === 'number' ? 'number' : 'text',
          name: attribute.name,
          step: 'any',
        });
        input.value = current[attribute.name] ?? '';
      }
      fields.push({ attribute, input });
      form.append(
        h('label', { for: id }, attribute.name, attribute.description ? h('small', {}, attribute.description) : null),
        input,
      );
    }
    const error = h('p', { class: 'mesh-frame-settings-error', role: 'alert', hidden: true });
    form.append(
      error,
      h(
        'div',
        { class: 'mesh-frame-settings-actions' },
        h('button', { type: 'submit', class: 'button primary' }, 'Apply'),
        h('button', { type: 'button', class: 'button', onclick: () => this.#closeSettings() }, 'Cancel'),
        h(
          'button',
          {
            type: 'button',
            class: 'button link',
            onclick: () => {
              this.state.attributes = {};
              this.#applyAttributes();
              this.#closeSettings();
            },
          },
          'Reset to defaults',
        ),
      ),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const next = {};
      const defaults = initialAttributes(manifest, {});
      for (const { attribute, input } of fields) {
        let value;
        if (attribute.type === 'boolean') value = input.checked ? '' : null;
        else value = input.value === '' ? null : input.value;
        if (attribute.type === 'json' && value !== null) {
          try {
            JSON.parse(value);
          } catch {
            error.textContent = `${attribute.name} is not valid JSON.`;
            error.hidden = false;
            return;
          }
        }
        if ((defaults[attribute.name] ?? null) !== value) next[attribute.name] = value;
      }
      this.state.attributes = next;
      this.#applyAttributes();
      this.#closeSettings();
    });
    form.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') this.#closeSettings();
    });
    this.#settings = form;
    this.root.append(form);
    const first = form.querySelector('input, textarea');
    if (first) first.focus();
  }

  #applyAttributes() {
    const element = this.element;
    if (element && this.manifest) {
      const wanted = initialAttributes(this.manifest, this.state.attributes);
      try {
        catchingCallbacks(() => {
          for (const attribute of this.manifest.attributes || []) {
            const name = attribute && attribute.name;
            if (typeof name !== 'string') continue;
            if (name in wanted) element.setAttribute(name, wanted[name]);
            else element.removeAttribute(name);
          }
        });
      } catch (e) {
        this.reportError(messageOf(e));
      }
    }
    this.#host.saveState();
  }
}
