// Modal dialogs on <dialog>: labelled by their title, Esc closes them, the focus goes back to what had
// it before. Every text is set as text (layout names and descriptions may contain anything).
import { h, messageOf } from './dom.js';

let counter = 0;

/**
 * Opens a modal dialog. `build(close)` gives its content (nodes) and may call close(value); the promise
 * answers that value, or undefined when the dialog is dismissed (Esc, the × button).
 */
export function modal({ title, className, build, initialFocus }) {
  return new Promise((resolve) => {
    const titleId = `mesh-dialog-${++counter}`;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    let result;
    const dialog = h('dialog', { class: `mesh-dialog ${className || ''}`.trim(), 'aria-labelledby': titleId });
    const close = (value) => {
      result = value;
      if (dialog.open) dialog.close();
    };
    const dismiss = h(
      'button',
      {
        type: 'button',
        class: 'icon-button dialog-dismiss',
        'aria-label': 'Close',
        title: 'Close (Esc)',
        onclick: () => close(undefined),
      },
      '×',
    );
    dialog.append(h('div', { class: 'dialog-head' }, h('h2', { id: titleId }, title), dismiss));
    dialog.append(h('div', { class: 'dialog-body' }, build(close)));
    dialog.addEventListener('close', () => {
      dialog.remove();
      if (opener && opener.isConnected && !opener.closest('[hidden]')) opener.focus();
      resolve(result);
    });
    document.body.append(dialog);
    dialog.showModal();
    const first = initialFocus
      ? dialog.querySelector(initialFocus)
      : dialog.querySelector('input:not([type=hidden]), select, textarea, .dialog-actions button');
    if (first) first.focus();
  });
}

/** A row of buttons at the bottom of a dialog. */
export function actions(...buttons) {
  return h('div', { class: 'dialog-actions' }, buttons);
}

export function button(label, onclick, { kind, type = 'button', ...props } = {}) {
  return h('button', { type, class: `button ${kind || ''}`.trim(), onclick, ...props }, label);
}

/** Asks a yes/no question; answers true only for the confirming button. */
export function confirmDialog({ title, text, details, confirm = 'OK', cancel = 'Cancel', danger = false }) {
  return modal({
    title,
    className: 'confirm-dialog',
    initialFocus: '.dialog-actions .button:not(.primary):not(.danger)',
    build: (close) => [
      h('p', {}, text),
      details ? h('p', { class: 'dialog-note' }, details) : null,
      actions(
        button(cancel, () => close(false)),
        button(confirm, () => close(true), { kind: danger ? 'danger' : 'primary' }),
      ),
    ],
  }).then((answer) => answer === true);
}

/**
 * A form in a dialog. fields: [{name, label, type: 'text'|'textarea'|'select', value, required,
 * maxLength, options: [[value, label]], hint}]. `submit(values)` runs on submission: its error is
 * shown in the dialog, which stays open; its result closes it and is the promise's answer.
 */
export function formDialog({ title, intro, fields, submitLabel = 'Save', submit, className }) {
  return modal({
    title,
    className: `form-dialog ${className || ''}`,
    build: (close) => {
      const inputs = new Map();
      const form = h('form', { class: 'dialog-form', novalidate: true });
      if (intro) form.append(h('p', { class: 'dialog-note' }, intro));
      for (const field of fields) {
        const id = `mesh-field-${++counter}`;
        let input;
        if (field.type === 'textarea') {
          input = h('textarea', { id, name: field.name, rows: 4, maxlength: field.maxLength });
        } else if (field.type === 'select') {
          input = h(
            'select',
            { id, name: field.name },
            field.options.map(([value, label]) => h('option', { value }, label)),
          );
        } else {
          input = h('input', {
            id,
            name: field.name,
            type: 'text',
            maxlength: field.maxLength,
            required: field.required,
            autocomplete: 'off',
          });
        }
        input.value = field.value ?? (field.type === 'select' ? field.options[0][0] : '');
        inputs.set(field.name, input);
        form.append(h('label', { for: id }, field.label), input);
        if (field.hint) form.append(h('small', { class: 'field-hint' }, field.hint));
      }
      const error = h('p', { class: 'dialog-error', role: 'alert', hidden: true });
      const ok = button(submitLabel, null, { kind: 'primary', type: 'submit' });
      form.append(
        error,
        actions(
          button('Cancel', () => close(undefined)),
          ok,
        ),
      );
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        const values = {};
        for (const field of fields) {
          const value = inputs.get(field.name).value;
          values[field.name] = field.type === 'select' ? value : value.trim();
          if (field.required && !values[field.name]) {
            showError(error, `${field.label} cannot be empty.`);
            inputs.get(field.name).focus();
            return;
          }
        }
        ok.disabled = true;
        error.hidden = true;
        try {
          close(await submit(values));
        } catch (e) {
          showError(error, messageOf(e));
        } finally {
          ok.disabled = false;
        }
      });
      return form;
    },
  });
}

/** The fields of a layout's name and description. */
export function detailFields(name = '', description = '') {
  return [
    { name: 'name', label: 'Name', value: name, required: true, maxLength: 120 },
    {
      name: 'description',
      label: 'Description',
      type: 'textarea',
      value: description,
      maxLength: 2000,
      hint: 'Optional: what this layout shows and for whom.',
    },
  ];
}

export function showError(element, text) {
  element.textContent = text;
  element.hidden = false;
}
