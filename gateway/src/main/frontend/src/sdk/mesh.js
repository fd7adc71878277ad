// The Mesh SDK, served by the gateway at /sdk/mesh.js: the event bus for widgets (and for the
// dashboard itself), over the SockJS bridge at /eventbus, on top of @vertx/eventbus-bridge-client.js.
//
//   import { publish, subscribe, request } from '/sdk/mesh.js';
//   const off = subscribe('row-selected', (payload, event) => draw(payload));
//   publish('row-selected', { region: 'Nordics' });
//   const quote = await request('mesh.api.pricing.quote', { sku: 'A-1' }, { timeout: 5000 });
//
// One connection per page: every importer of /sdk/mesh.js shares it (the browser evaluates a module
// once per URL), so a widget that subscribes here sees the same session as the dashboard's events. A
// dashboard window popped out of the page uses its opener's connection, so it stays in that session.
// Docs: docs/sdk.md.
import EventBus from '@vertx/eventbus-bridge-client.js';
import { isTopic } from './topics.js';

/** Where the gateway mounts the bridge. */
export const DEFAULT_URL = '/eventbus';

/** Addresses of the socket's own session; the server binds them to this socket's scope. */
export const SESSION_PREFIX = 'session.';

// no iframe or JSONP transports: they need inline scripts or frames, which a strict CSP forbids
const TRANSPORTS = ['websocket', 'xhr-streaming', 'xhr-polling'];

// TOPIC (the pattern) and isTopic(topic): whether the bridge carries a topic
export { TOPIC, isTopic } from './topics.js';

/** The session address of a topic: `row-selected` → `session.row-selected`. */
export function sessionAddress(topic) {
  const name =
    typeof topic === 'string' && topic.startsWith(SESSION_PREFIX) ? topic.slice(SESSION_PREFIX.length) : topic;
  if (!isTopic(name)) {
    throw new TypeError(
      `not a topic: ${JSON.stringify(topic)} (lower-case letters, digits and . _ : -, at most 128 characters)`,
    );
  }
  return SESSION_PREFIX + name;
}

function topicOf(address) {
  return address.startsWith(SESSION_PREFIX) ? address.slice(SESSION_PREFIX.length) : address;
}

function isEnvelope(body) {
  return body !== null && typeof body === 'object' && typeof body.topic === 'string' && 'payload' in body;
}

/**
 * A connection to the bridge that outlives sockets: it reconnects with backoff (0.5 s doubling to
 * 10 s, with jitter) and registers every subscription again on each new socket, since the server
 * forgets a socket's handlers when it closes.
 */
export class MeshBus {
  #url;
  #options;
  #eb = null;
  #status = 'closed';
  #closed = false;
  #subscriptions = new Map(); // address → Set<raw handler (body, message)>
  #dispatchers = new Map(); // address → the one handler registered with the bridge client
  #statusListeners = new Set();

  constructor(url = DEFAULT_URL, options = {}) {
    this.#url = url;
    this.#options = options;
  }

  /** 'connecting', 'open', 'reconnecting' or 'closed'. */
  get status() {
    return this.#status;
  }

  get isOpen() {
    return this.#status === 'open';
  }

  /** Calls `listener(status)` on every change (and once now); returns a function that stops it. */
  onStatus(listener) {
    this.#statusListeners.add(listener);
    safely(listener, this.#status);
    return () => this.#statusListeners.delete(listener);
  }

  /** Opens the connection (once); resolves when the bridge is open, or rejects after `timeout` ms. */
  connect({ timeout } = {}) {
    if (this.#closed) return Promise.reject(new Error('this connection was closed'));
    if (!this.#eb) this.#open();
    if (this.isOpen) return Promise.resolve(this);
    return new Promise((resolve, reject) => {
      const timer =
        timeout === undefined
          ? null
          : setTimeout(() => {
              off();
              reject(new Error(`the event bus did not open within ${timeout} ms`));
            }, timeout);
      const off = this.onStatus((status) => {
        if (status === 'open') {
          if (timer) clearTimeout(timer);
          queueMicrotask(off);
          resolve(this);
        }
      });
    });
  }

  #open() {
    const eb = new EventBus(this.#url, {
      transports: TRANSPORTS,
      vertxbus_reconnect_delay_min: 500,
      vertxbus_reconnect_delay_max: 10000,
      vertxbus_ping_interval: 10000,
      ...this.#options,
    });
    this.#eb = eb;
    eb.enableReconnect(true);
    this.#setStatus('connecting');
    eb.onopen = () => {
      this.#dispatchers.clear();
      for (const address of this.#subscriptions.keys()) this.#register(address);
      this.#setStatus('open');
    };
    eb.onclose = () => {
      if (!this.#closed) this.#setStatus('reconnecting');
    };
    // refusals and failures the server reports without an address (the bridge's access_denied)
    eb.onerror = (error) => console.warn('[mesh] event bus:', error && (error.body || error.message || error));
  }

  #setStatus(status) {
    if (this.#status === status) return;
    this.#status = status;
    for (const listener of [...this.#statusListeners]) safely(listener, status);
  }

  #register(address) {
    const dispatcher = (error, message) => {
      const handlers = this.#subscriptions.get(address);
      if (!handlers) return;
      if (error) {
        console.warn(`[mesh] ${address}:`, error.message || error.failureType || error);
        return;
      }
      for (const handler of [...handlers]) safely(handler, message.body, message);
    };
    this.#dispatchers.set(address, dispatcher);
    try {
      this.#eb.registerHandler(address, dispatcher);
    } catch {
      // the socket closed meanwhile; the next open registers again
    }
  }

  /**
   * Receives what is sent to an address as it is (`handler(body, message)`): exposed feeds such as
   * `mesh.registry.changes`, or a session address. Kept across reconnects. Returns the unsubscribe.
   */
  watch(address, handler) {
    if (typeof handler !== 'function') throw new TypeError('handler must be a function');
    let handlers = this.#subscriptions.get(address);
    if (!handlers) {
      handlers = new Set();
      this.#subscriptions.set(address, handlers);
      if (this.isOpen) this.#register(address);
    }
    const entry = (body, message) => handler(body, message);
    handlers.add(entry);
    if (!this.#eb && !this.#closed) this.#open();
    return () => {
      const current = this.#subscriptions.get(address);
      if (!current || !current.delete(entry) || current.size > 0) return;
      this.#subscriptions.delete(address);
      const dispatcher = this.#dispatchers.get(address);
      this.#dispatchers.delete(address);
      if (dispatcher && this.isOpen) {
        try {
          this.#eb.unregisterHandler(address, dispatcher);
        } catch {
          // closed meanwhile: nothing is registered any more
        }
      }
    };
  }

  /**
   * Receives a topic of this session: `handler(payload, {topic, source, address})`. The dashboard's
   * widget events arrive here too. Kept across reconnects. Returns the unsubscribe function.
   */
  subscribe(topic, handler) {
    if (typeof handler !== 'function') throw new TypeError('handler must be a function');
    const address = sessionAddress(topic);
    return this.watch(address, (body, message) => {
      if (isEnvelope(body)) handler(body.payload, { topic: body.topic, source: body.source ?? null, address, message });
      else handler(body, { topic: topicOf(address), source: null, address, message });
    });
  }

  /**
   * Publishes to every subscriber of a topic in this session (widgets of this dashboard, server
   * verticles that listen). The body is the dashboard's envelope `{topic, payload, source}`. Returns
   * false when the bridge is not open (nothing is queued: a late event is usually a wrong one).
   */
  publish(topic, payload, { source = null, headers } = {}) {
    const address = sessionAddress(topic);
    if (!this.isOpen) return false;
    try {
      this.#eb.publish(address, { topic: topicOf(address), payload: payload ?? null, source }, headers);
      return true;
    } catch {
      return false;
    }
  }

  /** Sends `body` as it is to one consumer of `address` (point to point). False when not open. */
  send(address, body, { headers } = {}) {
    if (!this.isOpen) return false;
    try {
      this.#eb.send(address, body, headers);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Calls a page service (`mesh.api.<name>`, a verticle consuming that address): sends `body` to
   * `address` and resolves with the reply's body; rejects when the bridge is not
   * open, when the server refuses or fails (error.failureCode), or after `timeout` ms (10 s).
   */
  request(address, body, { timeout = 10000, headers } = {}) {
    return new Promise((resolve, reject) => {
      if (!this.isOpen) {
        reject(new Error('the event bus is not connected'));
        return;
      }
      let done = false;
      const timer = setTimeout(() => {
        done = true;
        reject(new Error(`no reply from ${address} within ${timeout} ms`));
      }, timeout);
      try {
        this.#eb.send(address, body, headers || {}, (error, reply) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          if (error) {
            reject(
              Object.assign(new Error(error.message || `failure ${error.failureCode}`), {
                failureCode: error.failureCode,
                failureType: error.failureType,
              }),
            );
          } else {
            resolve(reply.body);
          }
        });
      } catch (e) {
        clearTimeout(timer);
        reject(e);
      }
    });
  }

  /** Closes the socket for good (no reconnect). */
  close() {
    this.#closed = true;
    this.#subscriptions.clear();
    this.#dispatchers.clear();
    if (this.#eb) {
      try {
        this.#eb.close();
      } catch {
        // never opened
      }
    }
    this.#setStatus('closed');
  }
}

/**
 * A window popped out of the dashboard shares its opener's connection (one session for the whole
 * dashboard); its subscriptions go when the window does.
 */
class BorrowedBus {
  #bus;
  #unsubscribes = new Set();

  constructor(bus, view) {
    this.#bus = bus;
    view.addEventListener('pagehide', () => {
      for (const off of [...this.#unsubscribes]) off();
    });
  }

  get status() {
    return this.#bus.status;
  }
  get isOpen() {
    return this.#bus.isOpen;
  }
  connect(options) {
    return this.#bus.connect(options).then(() => this);
  }
  publish(topic, payload, options) {
    return this.#bus.publish(topic, payload, options);
  }
  send(address, body, options) {
    return this.#bus.send(address, body, options);
  }
  request(address, body, options) {
    return this.#bus.request(address, body, options);
  }
  onStatus(listener) {
    return this.#track(this.#bus.onStatus(listener));
  }
  watch(address, handler) {
    return this.#track(this.#bus.watch(address, handler));
  }
  subscribe(topic, handler) {
    return this.#track(this.#bus.subscribe(topic, handler));
  }
  close() {
    for (const off of [...this.#unsubscribes]) off();
  }

  #track(off) {
    const once = () => {
      this.#unsubscribes.delete(once);
      off();
    };
    this.#unsubscribes.add(once);
    return once;
  }
}

function safely(fn, ...args) {
  try {
    fn(...args);
  } catch (e) {
    // one subscriber's mistake must not stop the others; reported like an uncaught error
    setTimeout(() => {
      throw e;
    });
  }
}

const SHARED = Symbol.for('mesh.sdk.bus');

function openerBus() {
  try {
    if (!new URLSearchParams(location.search).has('gl-window')) return null;
    const bus = window.opener && window.opener[SHARED];
    return bus && typeof bus.subscribe === 'function' ? bus : null;
  } catch {
    return null; // another origin's opener
  }
}

let shared = null;

/** The page's connection, opened on first use. */
export function bus() {
  if (!shared) {
    const borrowed = typeof window === 'undefined' ? null : openerBus();
    shared = borrowed ? new BorrowedBus(borrowed, window) : new MeshBus();
    if (!borrowed && typeof window !== 'undefined') {
      Object.defineProperty(window, SHARED, { value: shared });
    }
  }
  return shared;
}

/** Opens the page's connection; resolves with it once the bridge is open (`{timeout}` in ms to give up). */
export function connect(options) {
  return bus().connect(options);
}

/** See {@link MeshBus#publish}. */
export function publish(topic, payload, options) {
  return bus().publish(topic, payload, options);
}

/** See {@link MeshBus#subscribe}. */
export function subscribe(topic, handler) {
  const b = bus();
  const off = b.subscribe(topic, handler);
  b.connect().catch(() => {});
  return off;
}

/** See {@link MeshBus#watch}. */
export function watch(address, handler) {
  const b = bus();
  const off = b.watch(address, handler);
  b.connect().catch(() => {});
  return off;
}

/** See {@link MeshBus#send}. */
export function send(address, body, options) {
  return bus().send(address, body, options);
}

/** See {@link MeshBus#request}. */
export function request(address, body, options) {
  return bus().request(address, body, options);
}

/** See {@link MeshBus#onStatus}. */
export function onStatus(listener) {
  return bus().onStatus(listener);
}
