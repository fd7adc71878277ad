// Cross-widget events (docs/dashboard.md, "Events"). A widget's mesh:publish {topic, payload}
// is published over the bridge on the session address `session.<topic>` as {topic, payload, source}
// (source: the publishing widget's id), so that server verticles of this session see it too; what
// comes back on that address is dispatched as mesh:event {topic, payload, source} on every placed
// widget whose manifest listens to the topic, in any window of this dashboard, except the frame that
// published it. While the bridge is down, events go straight from frame to frame in the page; when an
// event does not come back from an open bridge in time, it is delivered in the page too.
//
// The topic rule comes from the SDK's source (../sdk/topics.js, bundled here) rather than from
// /sdk/mesh.js at run time: it holds no state to share, and the router can then be tested under Node.
import { isTopic } from '../sdk/topics.js';
import { mismatches } from './schemas.js';

const ECHO_TIMEOUT_MS = 2000;

export class Router {
  #bus;
  #notices;
  #frames = new Set();
  #topics = new Map(); // topic → {count, off}
  #pending = []; // events sent over the bridge that have not come back yet
  #last = new Map(); // topic → {payload, source, frame}: replayed to listeners placed later
  #warned = new Set();
  /** Counters, for the status line and tests. */
  stats = { viaBridge: 0, local: 0, late: 0 };

  constructor(bus, notices) {
    this.#bus = bus;
    this.#notices = notices;
  }

  /** 'bridge' when events travel over the event bus, 'local' when they stay in the page. */
  get mode() {
    return this.#bus.isOpen ? 'bridge' : 'local';
  }

  /** A frame showing a widget: {id, widgetId, manifest, deliver(detail)}. */
  attach(frame) {
    this.#frames.add(frame);
    for (const topic of listened(frame.manifest)) this.#listen(topic);
    this.#checkSchemas();
    for (const topic of listened(frame.manifest)) {
      const last = this.#last.get(topic);
      if (last && last.frame !== frame.id)
        this.#deliverTo(frame, { topic, payload: clone(last.payload), source: last.source });
    }
  }

  detach(frame) {
    if (!this.#frames.delete(frame)) return;
    for (const topic of listened(frame.manifest)) this.#unlisten(topic);
  }

  /** Called with what a widget dispatched as mesh:publish. */
  publish(frame, topic, payload) {
    if (typeof topic !== 'string' || topic.length === 0 || topic.length > 200) return;
    let json;
    try {
      json = JSON.stringify(payload ?? null);
    } catch {
      console.warn(`[mesh] ${frame.widgetId}: the payload of “${topic}” is not JSON; not delivered`);
      return;
    }
    const source = frame.widgetId;
    const listenedHere = this.#topics.has(topic);
    // a topic the bridge does not carry stays in the page
    if (isTopic(topic) && this.#bus.isOpen && this.#bus.publish(topic, JSON.parse(json), { source })) {
      if (listenedHere) {
        const entry = { topic, source, json, frame: frame.id, timer: null };
        entry.timer = setTimeout(() => this.#echoMissing(entry), ECHO_TIMEOUT_MS);
        this.#pending.push(entry);
      }
      return;
    }
    this.#deliver({ topic, json, source }, frame.id);
    this.stats.local++;
  }

  #echoMissing(entry) {
    const index = this.#pending.indexOf(entry);
    if (index < 0) return;
    this.#pending.splice(index, 1);
    this.stats.late++;
    this.#deliver({ topic: entry.topic, json: entry.json, source: entry.source }, entry.frame);
    this.#notices.show({
      key: 'bridge-echo',
      kind: 'warn',
      title: 'Events are slow to come back from the server',
      text: `“${entry.topic}” did not return over the event bus within ${ECHO_TIMEOUT_MS / 1000} s, so it was delivered in this page.`,
    });
  }

  #listen(topic) {
    const known = this.#topics.get(topic);
    if (known) {
      known.count++;
      return;
    }
    let off = () => {};
    if (isTopic(topic)) off = this.#bus.subscribe(topic, (payload, meta) => this.#fromBridge(topic, payload, meta));
    else
      console.warn(
        `[mesh] the topic “${topic}” is not one the event bus carries (lower-case letters, digits, . _ : -); it stays in this page`,
      );
    this.#topics.set(topic, { count: 1, off });
  }

  #unlisten(topic) {
    const known = this.#topics.get(topic);
    if (!known || --known.count > 0) return;
    this.#topics.delete(topic);
    known.off();
  }

  #fromBridge(topic, payload, meta) {
    const json = JSON.stringify(payload ?? null);
    const source = meta.source;
    // our own event coming back: not to the frame that published it
    const index = this.#pending.findIndex((p) => p.topic === topic && p.source === source && p.json === json);
    let from = null;
    if (index >= 0) {
      const [mine] = this.#pending.splice(index, 1);
      clearTimeout(mine.timer);
      from = mine.frame;
    }
    this.stats.viaBridge++;
    this.#deliver({ topic, json, source }, from);
  }

  #deliver({ topic, json, source }, fromFrame) {
    this.#last.set(topic, { payload: JSON.parse(json), source, frame: fromFrame });
    for (const frame of [...this.#frames]) {
      if (frame.id === fromFrame || !listened(frame.manifest).includes(topic)) continue;
      // each listener gets its own copy, as it would from the bus
      this.#deliverTo(frame, { topic, payload: JSON.parse(json), source });
    }
  }

  #deliverTo(frame, detail) {
    try {
      frame.deliver(detail);
    } catch (e) {
      console.warn(`[mesh] delivering “${detail.topic}” to ${frame.widgetId} failed`, e);
    }
  }

  /** Warns once per pair of placed widgets whose payload schemas for a topic do not fit. */
  #checkSchemas() {
    const frames = [...this.#frames];
    for (const emitter of frames) {
      for (const out of declared(emitter.manifest, 'emits')) {
        for (const listener of frames) {
          if (listener.widgetId === emitter.widgetId) continue;
          const taken = declared(listener.manifest, 'listens').find((l) => l.topic === out.topic);
          if (!taken) continue;
          const key = `schema:${out.topic}:${emitter.widgetId}>${listener.widgetId}:${emitter.manifest.version}:${listener.manifest.version}`;
          if (this.#warned.has(key)) continue;
          const problems = mismatches(out.schema, taken.schema);
          if (problems.length === 0) continue;
          this.#warned.add(key);
          const node = this.#notices.show({
            key,
            kind: 'warn',
            title: `“${out.topic}” from ${emitter.manifest.label} may not fit ${listener.manifest.label}`,
            text: `Their payload schemas differ: ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? '; …' : ''}.`,
          });
          node.classList.add('schema-warning');
          Object.assign(node.dataset, { topic: out.topic, emitter: emitter.widgetId, listener: listener.widgetId });
        }
      }
    }
  }
}

function declared(manifest, field) {
  const list = manifest && Array.isArray(manifest[field]) ? manifest[field] : [];
  return list.filter((e) => e && typeof e.topic === 'string');
}

function listened(manifest) {
  return declared(manifest, 'listens').map((l) => l.topic);
}

function clone(value) {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}
