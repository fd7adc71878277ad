// The registry's widgets by domain; refreshed every few seconds. Text is set with textContent only:
// labels and descriptions come from widget authors and are never parsed as HTML.
const catalog = document.getElementById('catalog');
const status = document.getElementById('status');
const search = document.getElementById('search');
let widgets = [];

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function render() {
  const query = search.value.trim().toLowerCase();
  const shown = widgets.filter(({manifest: m}) => !query ||
    [m.label, m.description, m.domain, m.owner, m.id].some(v => (v || '').toLowerCase().includes(query)));
  catalog.replaceChildren();
  if (shown.length === 0) {
    catalog.append(element('p', 'empty', widgets.length ? 'No widget matches.' : 'No widget is registered yet.'));
    return;
  }
  const byDomain = new Map();
  for (const w of shown) {
    const domain = w.manifest.domain;
    if (!byDomain.has(domain)) byDomain.set(domain, []);
    byDomain.get(domain).push(w);
  }
  for (const [domain, list] of [...byDomain].sort(([a], [b]) => a.localeCompare(b))) {
    catalog.append(element('h3', null, domain));
    const ul = element('ul');
    for (const {manifest: m} of list) {
      const li = element('li');
      li.append(element('div', 'label', m.label),
        element('div', 'meta', `${m.owner} · v${m.version} · ${m.domainKind}`));
      if (m.description) li.append(element('p', null, m.description));
      ul.append(li);
    }
    catalog.append(ul);
  }
}

async function refresh() {
  try {
    const response = await fetch('/api/widgets');
    if (!response.ok) throw new Error((await response.json()).message || response.statusText);
    widgets = (await response.json()).widgets;
    status.textContent = `${widgets.length} widget${widgets.length === 1 ? '' : 's'} registered`;
    status.classList.remove('down');
    render();
  } catch (e) {
    status.textContent = `registry unavailable: ${e.message}`;
    status.classList.add('down');
  }
}

search.addEventListener('input', render);
refresh();
setInterval(refresh, 3000);
