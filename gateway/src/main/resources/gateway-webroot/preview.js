// A plain page for widget authors: preview.html?widget=a&widget=b loads each widget from the registry,
// places it in a frame, and passes events between them the way the dashboard does: a widget's
// mesh:publish reaches, as mesh:event, every other widget here whose manifest listens to the topic.
const stage = document.getElementById('stage');
const events = document.getElementById('events');
const status = document.getElementById('status');
const ids = new URLSearchParams(location.search).getAll('widget');
const placed = []; // {id, manifest, element}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function frame(title) {
  const box = element('article', 'frame');
  box.append(element('h2', null, title));
  stage.append(box);
  return box;
}

// frames are placed in the order of the address at once; each fills in as its widget arrives
async function place(id, box) {
  const response = await fetch(`/api/widgets/${encodeURIComponent(id)}`);
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    box.append(element('p', 'error', problem.message || `${response.status} ${response.statusText}`));
    return;
  }
  const {manifest} = await response.json();
  box.querySelector('h2').textContent = manifest.label;
  try {
    if (manifest.css) {
      const link = Object.assign(document.createElement('link'), {rel: 'stylesheet', href: manifest.css});
      document.head.append(link);
    }
    await import(manifest.module);
    await customElements.whenDefined(manifest.tag);
  } catch (e) {
    box.append(element('p', 'error', `${manifest.module} did not load: ${e.message}`));
    return;
  }
  const widget = document.createElement(manifest.tag);
  for (const attribute of manifest.attributes || []) {
    if (attribute.default !== undefined && attribute.default !== null) {
      widget.setAttribute(attribute.name, typeof attribute.default === 'string' ? attribute.default : JSON.stringify(attribute.default));
    }
  }
  widget.dataset.widgetId = manifest.id;
  box.append(widget);
  placed.push({id: manifest.id, manifest, element: widget});
}

function deliver(event) {
  const from = placed.find(p => p.element === event.target || p.element.contains(event.target));
  const {topic, payload} = event.detail || {};
  if (!from || typeof topic !== 'string') return;
  const to = placed.filter(p => p !== from && (p.manifest.listens || []).some(l => l.topic === topic));
  for (const p of to) {
    p.element.dispatchEvent(new CustomEvent('mesh:event', {detail: {topic, payload, source: from.id}}));
  }
  const item = element('li');
  item.append(element('strong', null, topic), ` from ${from.id} to ${to.map(p => p.id).join(', ') || 'no one'}`,
    element('pre', null, JSON.stringify(payload, null, 2)));
  events.prepend(item);
}

document.addEventListener('mesh:publish', deliver);
if (ids.length === 0) {
  status.textContent = 'name widgets in the address: preview.html?widget=<id>&widget=<id>';
} else {
  await Promise.all(ids.map(id => {
    const box = frame(id);
    return place(id, box).catch(e => box.append(element('p', 'error', e.message)));
  }));
  status.textContent = `${placed.length} of ${ids.length} widget${ids.length === 1 ? '' : 's'} loaded`;
}
