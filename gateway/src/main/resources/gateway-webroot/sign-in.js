// The sign-in page works without this script (a plain form post); the script only says why the
// last try failed and keeps the page the person was going to.
const query = new URLSearchParams(location.search);
const next = query.get('next');
if (next && next.startsWith('/') && !next.startsWith('//')) {
  document.getElementById('next').value = next;
}
const message = document.getElementById('sign-in-message');
if (query.has('failed')) {
  message.textContent = query.get('failed');
  message.hidden = false;
} else if (query.has('signed-out')) {
  message.textContent = 'You are signed out.';
  message.classList.add('sign-in-note');
  message.hidden = false;
}
