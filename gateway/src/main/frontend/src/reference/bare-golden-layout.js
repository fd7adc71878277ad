// Reference for the weight measurement only (not shipped): golden-layout alone, two windows, built
// exactly like the dashboard. `node build.mjs` prints its gzipped size next to the dashboard's.
import { GoldenLayout } from 'golden-layout';

const layout = new GoldenLayout(document.body);
layout.registerComponentFactoryFunction('text', (container, state) => {
  container.element.textContent = state.text;
});
layout.loadLayout({
  root: {
    type: 'row',
    content: [
      { type: 'component', componentType: 'text', componentState: { text: 'A' } },
      { type: 'component', componentType: 'text', componentState: { text: 'B' } },
    ],
  },
});
