// A saved layout open for editing: the server's copy (name, owner, version...), the page's working
// copy, and whether they differ. Every change of the arrangement goes to the layout's draft in
// localStorage (drafts.js) at once, so that a reload never loses an edit; Save writes a new version
// to the server with the version the changes started from (If-Match), which the server refuses with
// 409 when someone saved in between: the caller then asks what to do (conflict-dialog.js).
import { fingerprint, hasOwnDraft, keepAlive, readDraft, removeDraft, writeDraft } from './drafts.js';

export class OpenLayout {
  /** The layout as the server last gave it (without the page's unsaved changes). */
  layout;
  /** The saved version the page's changes start from. */
  baseVersion;
  dirty = false;
  /** When the page started from a draft: {baseVersion, changedAt}; null otherwise. */
  restoredDraft = null;
  #api;
  #view;
  #baseline = '';
  #listeners = new Set();

  /** api: LayoutsApi; view: the page's Layout; layout: the server's answer to GET /api/layouts/{id}. */
  constructor(api, view, layout) {
    this.#api = api;
    this.#view = view;
    this.layout = layout;
    this.baseVersion = layout.version;
  }

  get id() {
    return this.layout.id;
  }

  /** Calls `listener()` after every change of the name, version or unsaved state. */
  onChange(listener) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit() {
    for (const listener of [...this.#listeners]) listener();
  }

  /** Shows the draft of this layout if this browser has one, else the saved content; then follows changes. */
  show() {
    keepAlive();
    const draft = readDraft(this.id);
    this.#view.store = null;
    if (draft) {
      this.#view.load(draft.config);
      this.baseVersion = draft.baseVersion;
      this.#baseline = typeof draft.baseline === 'string' ? draft.baseline : '';
      this.restoredDraft = { baseVersion: draft.baseVersion, changedAt: draft.changedAt };
      this.dirty = true;
    } else {
      this.#showSaved(this.layout);
    }
    this.#view.store = (config) => this.#stored(config);
    this.#emit();
  }

  #showSaved(layout) {
    this.#view.load(contentConfig(layout));
    this.layout = layout;
    this.baseVersion = layout.version;
    this.#baseline = fingerprint(this.#view.current());
    this.dirty = false;
    this.restoredDraft = null;
  }

  /** The arrangement changed in the page. */
  #stored(config) {
    const changed = fingerprint(config) !== this.#baseline;
    if (changed) writeDraft(this.id, { baseVersion: this.baseVersion, baseline: this.#baseline, config });
    else removeDraft(this.id);
    if (changed !== this.dirty) {
      this.dirty = changed;
      if (!changed) this.restoredDraft = null;
      this.#emit();
    }
  }

  /** The page's arrangement, as a layout's content. */
  content() {
    this.#view.save();
    return { config: this.#view.current() };
  }

  /** Saves the page's arrangement as a new version; rejects with an ApiError (409: someone saved first). */
  async save() {
    const content = this.content();
    const saved = await this.#api.update(this.id, { content }, this.baseVersion);
    removeDraft(this.id);
    this.layout = saved;
    this.baseVersion = saved.version;
    this.#baseline = fingerprint(content.config);
    this.dirty = fingerprint(this.#view.current()) !== this.#baseline;
    this.restoredDraft = null;
    this.#emit();
    return saved;
  }

  /** New name and description, kept apart from the arrangement's unsaved changes. */
  async describe({ name, description }) {
    const saved = await this.#api.update(this.id, { name, description }, this.baseVersion);
    this.#rebase(saved);
    return saved;
  }

  /**
   * A change of the server's copy that left its content alone (a rename): the page's changes now
   * start from the new version, which has the same content as the one they started from.
   */
  #rebase(saved) {
    this.layout = saved;
    this.baseVersion = saved.version;
    const draft = hasOwnDraft(this.id) ? readDraft(this.id) : null;
    if (draft) writeDraft(this.id, { ...draft, baseVersion: saved.version });
    this.#emit();
  }

  /** Drops the page's unsaved changes and shows `layout` (the server's latest, a restored or pulled version). */
  replaceWith(layout) {
    removeDraft(this.id);
    this.#view.store = null;
    this.#showSaved(layout);
    this.#view.store = (config) => this.#stored(config);
    this.#emit();
  }

  /** Drops the page's unsaved changes and shows the server's latest version. */
  async reload() {
    const latest = await this.#api.get(this.id);
    this.replaceWith(latest);
    return latest;
  }

  /** Forgets the draft (the layout was deleted, or its changes went into a copy). */
  dropDraft() {
    removeDraft(this.id);
  }
}

/** A layout's golden-layout config, whatever shape its content has. */
export function contentConfig(layout) {
  const content = layout && layout.content;
  return content && typeof content === 'object' && content.config && typeof content.config === 'object'
    ? content.config
    : {};
}
