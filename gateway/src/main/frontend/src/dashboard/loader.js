// Loading a widget's code into this window: its stylesheet, its ES module (dynamic import of the
// manifest's `module`, a gateway URL such as /w/sales-table/<fingerprint>/sales-table.js), and the
// custom element the module defines. Every failure is a LoadError with a sentence a user can read.

const DEFINE_TIMEOUT_MS = 10000;
const failures = new Map(); // module URL → failed attempts, so that a retry fetches it again
const definedFrom = new Map(); // tag → module URL that defined it
const stylesheets = new Set();

export class LoadError extends Error {
  constructor(message, cause) {
    super(message);
    this.name = 'LoadError';
    this.cause = cause;
  }
}

/** The custom element class of the widget, loading the module first if need be. */
export async function loadWidget(manifest) {
  const { tag, module } = manifest;
  if (typeof tag !== 'string' || typeof module !== 'string')
    throw new LoadError('Its manifest names no module or tag.');
  if (manifest.css) addStylesheet(manifest.css);
  const defined = customElements.get(tag);
  if (defined && (definedFrom.get(tag) === module || !definedFrom.has(tag))) return defined;
  const tries = failures.get(module) || 0;
  // a module whose fetch or evaluation failed stays failed in the module map: ask again by another URL
  const url = tries === 0 ? module : `${module}${module.includes('?') ? '&' : '?'}mesh-retry=${tries}`;
  try {
    await import(/* @vite-ignore */ url);
  } catch (e) {
    failures.set(module, tries + 1);
    // a newer version of a widget whose element this page already runs: keep running the old one
    if (customElements.get(tag)) return customElements.get(tag);
    throw new LoadError(`Its module ${module} did not load: ${reason(e)}`, e);
  }
  failures.delete(module);
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(
      () =>
        reject(new LoadError(`Its module loaded but did not define <${tag}> within ${DEFINE_TIMEOUT_MS / 1000} s.`)),
      DEFINE_TIMEOUT_MS,
    );
  });
  try {
    const element = await Promise.race([customElements.whenDefined(tag), timeout]);
    if (!definedFrom.has(tag)) definedFrom.set(tag, module);
    return element || customElements.get(tag);
  } finally {
    clearTimeout(timer);
  }
}

/** Whether the page runs another version of this widget's element than the manifest's module. */
export function runsOtherVersion(manifest) {
  return definedFrom.has(manifest.tag) && definedFrom.get(manifest.tag) !== manifest.module;
}

function addStylesheet(href) {
  if (stylesheets.has(href)) return;
  stylesheets.add(href);
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = href;
  link.dataset.meshWidgetCss = '';
  document.head.append(link);
}

function reason(e) {
  const text = e && e.message ? e.message : String(e);
  // Chromium's "Failed to fetch dynamically imported module: <url>" repeats the URL
  return text.replace(/:\s*(https?:\/\/|\/)\S*$/, '').trim() || text;
}

/**
 * Runs `action` (which connects, changes or removes a widget element) and throws what the element's
 * callbacks threw meanwhile. Custom element callbacks do not throw to the caller: their exceptions
 * are reported to the window as uncaught errors. Here they are caught, kept out of the page's
 * error handlers and console, and returned to the frame that shows them.
 */
export function catchingCallbacks(action) {
  capturing++;
  try {
    runCatching(action);
  } finally {
    capturing--;
  }
}

let capturing = 0;

/** True while {@link catchingCallbacks} runs: an error event now belongs to it, not to the page. */
export function isCatchingCallbacks() {
  return capturing > 0;
}

function runCatching(action) {
  let error = null;
  const listener = (event) => {
    if (error === null) error = event.error || new Error(event.message);
    event.preventDefault();
    event.stopImmediatePropagation();
  };
  window.addEventListener('error', listener, true);
  try {
    action();
  } finally {
    window.removeEventListener('error', listener, true);
  }
  if (error !== null) throw error;
}
