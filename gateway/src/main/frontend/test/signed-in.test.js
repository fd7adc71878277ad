// Who the header says is signed in, and whether it offers to sign out (src/dashboard/signed-in.js).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { signedIn } from '../src/dashboard/signed-in.js';

test('the person and their role, with their groups in the tooltip', () => {
  assert.deepEqual(signedIn({ user: 'alice', groups: ['sales', 'editors'], role: 'editor' }), {
    text: 'alice · editor',
    title: 'Signed in as alice (sales, editors)',
    signOut: null,
  });
  assert.equal(signedIn({ user: 'bob', groups: [], role: 'viewer' }).title, 'Signed in as bob');
});

test('mode local: the server names no place to sign out, so there is no Sign out', () => {
  assert.equal(signedIn({ user: 'local', groups: [], role: 'admin' }).signOut, null);
});

test('mode accounts: Sign out posts to the path the server names', () => {
  const me = { user: 'ada', groups: ['sales'], role: 'viewer', signOut: '/auth/sign-out' };
  assert.equal(signedIn(me).signOut, '/auth/sign-out');
});

test('a sign-out place on another site is not used', () => {
  for (const signOut of ['//evil.example/out', '/\\evil.example', 'https://evil.example/out', '', 42, null])
    assert.equal(signedIn({ user: 'ada', groups: [], role: 'viewer', signOut }).signOut, null, String(signOut));
});

test('nobody known: the reason in the tooltip, nothing to sign out of', () => {
  assert.deepEqual(signedIn(null, 'Sign in first'), { text: 'not signed in', title: 'Sign in first', signOut: null });
  assert.equal(signedIn(null).title, '');
});
