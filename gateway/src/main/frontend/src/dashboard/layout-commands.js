// What the Layouts menu's commands do: the dialogs and the API calls behind them. Loaded when the
// person first opens the menu or uses a command (layout-actions.js), not with the page: a view-mode
// page never needs it.
import { confirmDialog, detailFields, formDialog } from './dialogs.js';
import { conflictDialog } from './conflict-dialog.js';
import { h, messageOf } from './dom.js';
import { forgetLast, hasOwnDraft, removeDraft } from './drafts.js';
import { historyDialog } from './history-dialog.js';
import { defaultLayout } from './layout.js';
import { openDialog } from './open-dialog.js';
import { go } from './page-url.js';
import { shareDialog } from './share-dialog.js';
import { upstreamDialog } from './upstream-dialog.js';

export class LayoutCommands {
  #page;
  #actions;
  #saving = false;

  /** page: see layout-actions.js; actions: the LayoutActions (for what the person may do). */
  constructor(page, actions) {
    this.#page = page;
    this.#actions = actions;
  }

  get access() {
    return this.#actions.access;
  }

  get saving() {
    return this.#saving;
  }

  async newLayout() {
    const { api, catalog } = this.#page;
    const created = await formDialog({
      title: 'New layout',
      fields: [
        ...detailFields(),
        {
          name: 'start',
          label: 'Start with',
          type: 'select',
          options: [
            ['empty', 'no windows'],
            ['default', 'the sales widgets (the first-visit arrangement)'],
          ],
        },
      ],
      submitLabel: 'Create',
      submit: ({ name, description, start }) =>
        api.create({
          name,
          description,
          content: { config: start === 'default' ? defaultLayout(catalog) : {} },
        }),
    });
    if (created) go({ id: created.id });
  }

  async openLayout() {
    const { api, me, layout } = this.#page;
    const chosen = await openDialog({ api, me, currentId: layout ? layout.id : null });
    if (chosen === 'scratch') this.closeLayout();
    else if (chosen) go({ id: chosen.id });
  }

  /** Ctrl+S and the menu's Save. */
  async save() {
    const page = this.#page;
    if (this.#saving) return;
    if (page.state === 'scratch') {
      if (!this.access.canCreate) return this.#tell('warn', this.access.createWhy);
      return this.saveScratch();
    }
    if (page.state !== 'edit') return this.#tell('warn', this.access.editWhy || 'This page shows a layout read only.');
    if (!page.open.dirty)
      return this.#tell('info', `No unsaved changes: version ${page.open.baseVersion} is up to date.`);
    this.#saving = true;
    try {
      const saved = await page.open.save();
      this.#tell('info', `Saved as version ${saved.version}.`, 'saved');
    } catch (e) {
      if (e.isConflict) await this.#resolveConflict(e);
      else this.#tell('error', `Not saved: ${messageOf(e)}`);
    } finally {
      this.#saving = false;
    }
  }

  async #resolveConflict(error) {
    const page = this.#page;
    const a = this.access;
    const choice = await conflictDialog({
      error,
      baseVersion: page.open.baseVersion,
      canCopy: a.canCreate,
      copyWhy: a.createWhy,
    });
    if (choice === 'theirs') {
      try {
        const latest = await page.open.reload();
        this.#tell('info', `Showing version ${latest.version}; your changes were discarded.`);
      } catch (e) {
        this.#tell('error', messageOf(e));
      }
    } else if (choice === 'copy') {
      await this.saveAsCopy({ conflict: true });
    }
  }

  async saveScratch() {
    const { api, view } = this.#page;
    const created = await formDialog({
      title: 'Save as a layout',
      intro:
        'Saves these windows on the server, where you can share them; this browser’s scratch layout stays as it is.',
      fields: detailFields(),
      submit: ({ name, description }) => api.create({ name, description, content: { config: view.current() } }),
    });
    if (created) go({ id: created.id });
  }

  async saveAsCopy({ conflict = false } = {}) {
    const { api, open } = this.#page;
    const layout = open.layout;
    const created = await formDialog({
      title: conflict ? 'Save mine as a copy' : 'Save as copy',
      intro: `A new layout of yours with the windows as they are in this page; “${layout.name}” stays as it was saved.`,
      fields: detailFields(`${layout.name} (${conflict ? 'my copy' : 'copy'})`.slice(0, 120), layout.description || ''),
      submitLabel: 'Save copy',
      submit: ({ name, description }) => api.create({ name, description, content: open.content() }),
    });
    if (!created) return;
    open.dropDraft();
    go({ id: created.id });
  }

  async discard() {
    const { open } = this.#page;
    const sure = await confirmDialog({
      title: 'Discard unsaved changes?',
      text: `Go back to version ${open.layout.version} as it was saved? Your changes in this page are lost.`,
      confirm: 'Discard changes',
      danger: true,
    });
    if (!sure) return;
    try {
      await open.reload();
    } catch (e) {
      this.#tell('error', messageOf(e));
    }
  }

  async cloneLayout() {
    const { api, layout } = this.#page;
    const clone = await formDialog({
      title: 'Clone to edit',
      intro: `Your own copy of “${layout.name}”, which remembers its original so that it can pull the original’s later changes.`,
      fields: [detailFields(`Copy of ${layout.name}`.slice(0, 120))[0]],
      submitLabel: 'Clone',
      submit: ({ name }) => api.clone(layout.id, name),
    });
    if (clone) go({ id: clone.id });
  }

  async rename() {
    const { open } = this.#page;
    const layout = open.layout;
    const saved = await formDialog({
      title: 'Rename & describe',
      intro: open.dirty
        ? 'This saves the new name and description only; your unsaved window changes stay unsaved.'
        : null,
      fields: detailFields(layout.name, layout.description || ''),
      submit: (values) => open.describe(values),
    });
    if (saved) this.#tell('info', `Renamed: version ${saved.version}.`);
  }

  share() {
    const { api, layout, notices } = this.#page;
    return shareDialog({ api, layout, notices });
  }

  async history() {
    const page = this.#page;
    const a = this.access;
    const latest = await this.#latest();
    if (!latest) return;
    const choice = await historyDialog({ api: page.api, layout: latest, canRestore: a.canEdit, restoreWhy: a.editWhy });
    if (!choice) return;
    if (choice.action === 'view') go({ id: latest.id, revision: choice.revision, link: page.link });
    else await this.restore(choice.revision, latest);
  }

  /** Makes revision n the newest version (from the history, or from the page showing it). */
  async restore(n, latest) {
    const page = this.#page;
    const current = latest || (await this.#latest());
    if (!current) return;
    const draft = page.open ? page.open.dirty : hasOwnDraft(current.id);
    const sure = await confirmDialog({
      title: `Restore version ${n}?`,
      text: `Make version ${n} the current one? It is saved as version ${current.version + 1}; version ${current.version} stays in the history.`,
      details: draft ? 'Your unsaved changes to this layout in this browser are discarded.' : null,
      confirm: `Restore version ${n}`,
    });
    if (!sure) return;
    try {
      const restored = await page.api.restore(current.id, n, current.version);
      removeDraft(current.id);
      if (page.state === 'edit') {
        page.open.replaceWith(restored);
        this.#tell('info', `Version ${n} restored as version ${restored.version}.`);
      } else {
        go({ id: current.id, link: page.link });
      }
    } catch (e) {
      this.#tell('error', `Not restored: ${messageOf(e)}`);
    }
  }

  async upstream() {
    const page = this.#page;
    const a = this.access;
    const editing = page.state === 'edit';
    const choice = await upstreamDialog({
      api: page.api,
      layout: page.layout,
      canPull: a.canEdit && editing,
      pullWhy: a.editWhy || 'Open the current version to pull.',
    });
    if (choice !== 'pull') return;
    if (
      page.open.dirty &&
      !(await confirmDialog({
        title: 'Pull and discard your changes?',
        text: 'Pulling replaces the windows with the original’s; your unsaved changes in this page are discarded.',
        confirm: 'Pull',
        danger: true,
      }))
    )
      return;
    try {
      const pulled = await page.api.pull(page.open.id, page.open.layout.version);
      page.open.replaceWith(pulled);
      this.#tell('info', `Pulled the original’s changes: version ${pulled.version}.`);
    } catch (e) {
      this.#tell('error', `Not pulled: ${messageOf(e)}`);
    }
  }

  /** Downloads the saved version's export document (fetched, so that the identity headers and link go with it). */
  async exportLayout() {
    const { api, layout, open } = this.#page;
    let file;
    try {
      file = await api.exportFile(layout.id);
    } catch (e) {
      this.#tell('error', `Not exported: ${messageOf(e)}`);
      return;
    }
    const url = URL.createObjectURL(new Blob([file.text], { type: 'application/json' }));
    const link = h('a', { href: url, download: file.filename, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    if (open && open.dirty)
      this.#tell('info', `Exported the saved version ${open.layout.version}; save first to include your changes.`);
  }

  importLayout() {
    const { api } = this.#page;
    const input = h('input', {
      type: 'file',
      accept: 'application/json,.json',
      hidden: true,
      'aria-label': 'Layout file to import',
    });
    input.addEventListener('cancel', () => input.remove());
    input.addEventListener('change', async () => {
      const file = input.files && input.files[0];
      input.remove();
      if (!file) return;
      let document;
      try {
        document = JSON.parse(await file.text());
      } catch (e) {
        this.#tell('error', `${file.name} is not a JSON file: ${messageOf(e)}`);
        return;
      }
      try {
        const created = await api.import(document);
        go({ id: created.id });
      } catch (e) {
        this.#tell('error', `${file.name} was not imported: ${messageOf(e)}`);
      }
    });
    window.document.body.append(input);
    input.click();
  }

  async deleteLayout() {
    const { api } = this.#page;
    const latest = await this.#latest();
    if (!latest) return;
    const sure = await confirmDialog({
      title: `Delete “${latest.name}”?`,
      text: 'It is deleted with its history; the people it is shared with lose it, and its links stop working.',
      details: 'Export it first if you may want it back.',
      confirm: 'Delete',
      danger: true,
    });
    if (!sure) return;
    try {
      await api.remove(latest.id, latest.version);
      removeDraft(latest.id, true);
      forgetLast(latest.id);
      go('/');
    } catch (e) {
      this.#tell('error', `Not deleted: ${messageOf(e)}`);
    }
  }

  closeLayout() {
    forgetLast();
    go('/');
  }

  /** The layout as the server has it now (its version for a restore or a delete). */
  async #latest() {
    const page = this.#page;
    try {
      return await page.api.get(page.layout.id);
    } catch (e) {
      this.#tell('error', messageOf(e));
      return null;
    }
  }

  #tell(kind, text, key) {
    this.#page.notices.dismiss(key || `layout-${kind}`);
    this.#page.notices.show({ key: key || `layout-${kind}`, kind, text, ttl: kind === 'info' ? 4000 : undefined });
  }
}
