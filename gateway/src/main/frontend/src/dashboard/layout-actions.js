// The Layouts menu: which commands there are and which of them the person may use here, and why not.
// The commands themselves (dialogs, API calls) are in layout-commands.js, loaded on first use.
//
// page: {api, notices, catalog, view (Layout), me, meError, state, layout, open (OpenLayout), link, revision}
// state: 'scratch' (this browser's unsaved layout), 'edit', 'read-only', 'view', 'revision', 'error'.
import { accessOf } from './access.js';
import { messageOf } from './dom.js';

export class LayoutActions {
  #page;
  #commands = null;
  #loading = null;

  constructor(page) {
    this.#page = page;
  }

  get access() {
    const { me, meError, layout, link } = this.#page;
    return accessOf({ me, meError, layout, link: Boolean(link) });
  }

  /** The menu's commands, as they are now (see layout-menu.js). */
  items() {
    const page = this.#page;
    const a = this.access;
    const layout = page.layout;
    const saved = Boolean(layout);
    const editing = page.state === 'edit';
    const dirty = Boolean(page.open && page.open.dirty);
    const busy = this.#commands && this.#commands.saving ? 'Saving…' : null;
    let saveWhy = busy || a.unavailable;
    if (!saveWhy && saved)
      saveWhy =
        a.editWhy ||
        (editing && !dirty ? 'No unsaved changes.' : null) ||
        (editing ? null : 'Open the current version to edit it.');
    if (!saveWhy && !saved) saveWhy = a.createWhy;
    return [
      { id: 'new', label: 'New…', hidden: a.role === 'viewer', why: a.createWhy, run: () => this.run('newLayout') },
      { id: 'open', label: 'Open…', why: a.unavailable, run: () => this.run('openLayout') },
      '-',
      {
        id: 'save',
        label: saved ? 'Save' : 'Save as a layout…',
        shortcut: 'Ctrl+S',
        keys: 'Control+S',
        hidden: a.role === 'viewer',
        why: saveWhy,
        run: () => this.run('save'),
      },
      {
        id: 'save-copy',
        label: 'Save as copy…',
        hidden: !saved || !a.canCreate || !a.canEdit,
        why: editing ? null : 'Open the current version first.',
        run: () => this.run('saveAsCopy'),
      },
      {
        id: 'discard',
        label: 'Discard unsaved changes',
        hidden: !editing || !a.canEdit,
        why: dirty ? null : 'No unsaved changes.',
        run: () => this.run('discard'),
      },
      {
        id: 'clone',
        label: 'Clone to edit…',
        hidden: !saved || a.canEdit || a.role === 'viewer',
        why: a.createWhy,
        run: () => this.run('cloneLayout'),
      },
      '-',
      {
        id: 'rename',
        label: 'Rename & describe…',
        hidden: !saved,
        why: a.editWhy || (editing ? null : 'Open the current version first.'),
        run: () => this.run('rename'),
      },
      { id: 'share', label: 'Share…', hidden: !saved, why: a.manageWhy, run: () => this.run('share') },
      { id: 'history', label: 'History…', hidden: !saved, run: () => this.run('history') },
      {
        id: 'upstream',
        label: 'Changes from the original…',
        hidden: !saved || !layout.forkedFrom,
        run: () => this.run('upstream'),
      },
      '-',
      {
        id: 'export',
        label: 'Export (JSON)',
        hidden: !saved,
        why: null,
        run: () => this.run('exportLayout'),
      },
      {
        id: 'import',
        label: 'Import…',
        hidden: a.role === 'viewer',
        why: a.createWhy,
        run: () => this.run('importLayout'),
      },
      '-',
      { id: 'delete', label: 'Delete…', hidden: !saved, why: a.manageWhy, run: () => this.run('deleteLayout') },
      { id: 'close', label: 'Close (back to the scratch layout)', hidden: !saved, run: () => this.run('closeLayout') },
    ];
  }

  /** Starts loading the commands (the menu opens): they are there by the time one is chosen. */
  preload() {
    if (!this.#loading) {
      this.#loading = import('./layout-commands.js').then(({ LayoutCommands }) => {
        this.#commands = new LayoutCommands(this.#page, this);
        return this.#commands;
      });
      this.#loading.catch(() => {
        this.#loading = null;
      });
    }
    return this.#loading;
  }

  /** Runs command `name` of layout-commands.js. */
  async run(name, ...args) {
    let commands;
    try {
      commands = this.#commands || (await this.preload());
    } catch (e) {
      this.#page.notices.show({
        key: 'commands',
        kind: 'error',
        text: `The layout commands could not be loaded: ${messageOf(e)}`,
      });
      return undefined;
    }
    return commands[name](...args);
  }

  save() {
    return this.run('save');
  }

  cloneLayout() {
    return this.run('cloneLayout');
  }

  restore(n) {
    return this.run('restore', n);
  }
}
