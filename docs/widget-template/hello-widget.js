// A widget is an ES module that defines one custom element: no build step, no framework, no globals.
// The widget-host serves this folder at a versioned URL, so reach a file beside this one with
// new URL('./file', import.meta.url), never with an absolute path.
const TAG = 'hello-widget'; // the manifest's "tag": rename both, tags are unique on a page

// Styles as a constructed stylesheet: the dashboard's Content-Security-Policy refuses <style> elements
// and style="" attributes (no 'unsafe-inline'), but lets a shadow root adopt a sheet like this one.
const styles = new CSSStyleSheet();
styles.replaceSync(':host { display: block; padding: 1rem; } button { font: inherit; }');

class HelloWidget extends HTMLElement {
  static observedAttributes = ['name']; // the manifest's "attributes"

  constructor() {
    super();
    // Shadow DOM: the dashboard's CSS stays out and ours stays in. Fonts and CSS variables still inherit.
    const root = this.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = [styles];
    root.innerHTML = `
      <p>Hello, <strong></strong>!</p>
      <button type="button">Wave</button>`;
    this.shadowRoot.querySelector('button').addEventListener('click', () => {
      // Publish: bubbles + composed let the event leave the shadow root and reach the dashboard,
      // which hands it to every widget whose manifest "listens" to the topic.
      this.dispatchEvent(
        new CustomEvent('mesh:publish', {
          bubbles: true,
          composed: true,
          detail: { topic: 'hello-wave', payload: { name: this.#greeted() } },
        }),
      );
    });
    // Receive: the dashboard dispatches mesh:event on this element for the topics the manifest lists.
    this.addEventListener('mesh:event', (e) => {
      const region = e.detail?.payload?.region;
      // check what arrives: any widget may publish the topic, with whatever payload
      if (e.detail?.topic === 'row-selected' && typeof region === 'string') this.#show(region);
    });
  }

  connectedCallback() {
    this.#show(this.#greeted());
  }
  attributeChangedCallback() {
    this.#show(this.getAttribute('name') || 'world');
  }

  #greeted() {
    return this.shadowRoot.querySelector('strong').textContent || this.getAttribute('name') || 'world';
  }

  // textContent, not innerHTML: a payload is data, never markup
  #show(name) {
    this.shadowRoot.querySelector('strong').textContent = name;
  }
}

// Guarded, so that a second copy of the module on the same page does not throw.
if (!customElements.get(TAG)) customElements.define(TAG, HelloWidget);
