// The reference page for the time to first widget (bench/first-widget.sh): golden-layout alone with
// two plain custom elements in two windows, bundled by esbuild like the dashboard. No registry, no
// bridge, no module loading: the least a windowed page of two widgets does before it shows one.
import { GoldenLayout } from 'golden-layout';
import 'golden-layout/dist/css/goldenlayout-base.css';

class Widget extends HTMLElement {
  connectedCallback() {
    if (this.shadowRoot) return;
    const root = this.attachShadow({ mode: 'open' });
    const title = document.createElement('h2');
    title.textContent = this.getAttribute('label');
    const table = document.createElement('table');
    for (const region of ['North', 'South', 'East', 'West']) {
      const row = table.insertRow();
      row.insertCell().textContent = region;
      row.insertCell().textContent = String(region.length * 1000);
    }
    root.append(title, table);
  }
}
customElements.define('x-widget-a', class extends Widget {});
customElements.define('x-widget-b', class extends Widget {});

const layout = new GoldenLayout(document.getElementById('layout'));
layout.registerComponentFactoryFunction('widget', (container, state) => {
  const element = document.createElement(state.tag);
  element.setAttribute('label', state.tag);
  container.element.append(element);
});
layout.loadLayout({
  root: {
    type: 'row',
    content: [
      { type: 'component', componentType: 'widget', componentState: { tag: 'x-widget-a' }, title: 'A' },
      { type: 'component', componentType: 'widget', componentState: { tag: 'x-widget-b' }, title: 'B' },
    ],
  },
});
