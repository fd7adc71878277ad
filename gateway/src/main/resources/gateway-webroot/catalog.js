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

function link(text, ids) {
  const a = element('a', null, text);
  a.href = 'preview.html?' + ids.map(id => 'widget=' + encodeURIComponent(id)).join('&');
  return a;
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
    const heading = element('h3', null, domain);
    heading.append(link('preview together', list.map(w => w.manifest.id)));
    catalog.append(heading);
    const ul = element('ul');
    for (const {manifest: m} of list) {
      const li = element('li');
      const label = element('div', 'label', m.label);
      label.append(link('preview', [m.id]));
      li.append(label,
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
