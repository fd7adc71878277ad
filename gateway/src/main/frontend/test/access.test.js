// What the person may do with the open layout, and the sentence that says why not
// (src/dashboard/access.js): what the Layouts menu greys out and its tooltips.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { accessOf } from '../src/dashboard/access.js';

const editor = { user: 'ana', groups: [], role: 'editor' };
const viewer = { user: 'vic', groups: [], role: 'viewer' };
const layout = (access, extra = {}) => ({ id: 'l1', owner: 'olga', access, ...extra });

describe('the scratch layout (not saved yet)', () => {
  test('an editor may save it as a new layout', () => {
    const a = accessOf({ me: editor, layout: null });
    assert.equal(a.canCreate, true);
    assert.equal(a.createWhy, null);
    assert.equal(a.canEdit, false);
    assert.equal(a.editWhy, 'Save this layout first.');
  });

  test('a viewer may not, and is told why', () => {
    const a = accessOf({ me: viewer, layout: null });
    assert.equal(a.canCreate, false);
    assert.equal(a.createWhy, 'Your role is viewer: you can open layouts shared with you, not create them.');
  });

  test('when the server did not say who the person is, layouts are unavailable', () => {
    const a = accessOf({ me: null, meError: 'HTTP 503', layout: null });
    assert.equal(a.canCreate, false);
    assert.equal(a.unavailable, 'Layouts are unavailable: HTTP 503');
    assert.equal(a.createWhy, 'Layouts are unavailable: HTTP 503');
  });
});

describe('a saved layout', () => {
  test('its owner may edit and manage it', () => {
    const a = accessOf({ me: editor, layout: layout('owner') });
    assert.deepEqual([a.canEdit, a.editWhy, a.canManage, a.manageWhy], [true, null, true, null]);
  });

  test('shared as editor: edit, but not manage', () => {
    const a = accessOf({ me: editor, layout: layout('editor') });
    assert.equal(a.canEdit, true);
    assert.equal(a.canManage, false);
    assert.equal(a.manageWhy, 'Only its owner (olga) can do that.');
  });

  test('shared as viewer, or opened with a view link: clone it to change it', () => {
    assert.equal(
      accessOf({ me: editor, layout: layout('viewer') }).editWhy,
      'olga shared this layout with you as a viewer: clone it to change it.',
    );
    assert.equal(
      accessOf({ me: editor, layout: layout('viewer'), link: true }).editWhy,
      'The link you opened lets you view this layout, not change it: clone it to change it.',
    );
  });

  test('a viewer role changes nothing, even on a layout shared as editor', () => {
    const a = accessOf({ me: viewer, layout: layout('editor') });
    assert.equal(a.canEdit, false);
    assert.equal(a.editWhy, 'Your role is viewer: you can look at layouts, not change them.');
  });

  test('a provisioned layout is changed by nobody here, not even an admin', () => {
    const a = accessOf({ me: { ...editor, role: 'admin' }, layout: layout('admin', { provisioned: true }) });
    assert.equal(a.canEdit, false);
    assert.equal(a.editWhy, 'Provisioned from a file: clone it to change it.');
    assert.equal(a.canManage, false);
    assert.equal(a.manageWhy, 'Provisioned from a file: everybody sees it, nobody changes it here.');
  });
});
