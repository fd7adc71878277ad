// What the registry holds, kept live: one GET /api/widgets, then the registry's change feed
// (mesh.registry.changes) over the bridge. While the bridge is down the list is polled instead, and
// it is read again whenever the bridge (re)opens, so that no change is missed across a reconnect.
//
// A widget that leaves the registry (expired, removed) stays known as unavailable: frames that
// hold it show why, and the marketplace greys it out while it is placed.

export const CHANGES_ADDRESS = 'mesh.registry.changes';
const POLL_MS = 5000;

export class Catalog {
  #entries = new Map(); // id → {id, manifest, record, available, reason, at}
  #listeners = new Set();
  #bus;
  #pollTimer = null;
  #fetching = null;
  loaded = false;
  /** null, or why the last read of the registry failed */
  error = null;

  constructor(bus) {
    this.#bus = bus;
  }

  start() {
    this.#bus.watch(CHANGES_ADDRESS, (change) => this.apply(change));
    this.#bus.onStatus((status) => {
      if (status === 'open') {
        this.#stopPolling();
        this.refresh();
      } else {
        this.#startPolling();
      }
    });
    return this.refresh();
  }

  /** Calls `listener({type, id, entry})` on every change; type 'reload' after a full read. */
  onChange(listener) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get(id) {
    return this.#entries.get(id) || null;
  }

  entries() {
    return [...this.#entries.values()];
  }

  /** Reads the whole list; concurrent calls share one request. */
  refresh() {
    if (!this.#fetching) {
      this.#fetching = this.#read().finally(() => {
        this.#fetching = null;
      });
    }
    return this.#fetching;
  }

  async #read() {
    try {
      const response = await fetch('/api/widgets', { headers: { Accept: 'application/json' }, cache: 'no-store' });
      const body = await response.json().catch(() => null);
      if (!response.ok) throw new Error((body && body.message) || `HTTP ${response.status}`);
      if (!body || !Array.isArray(body.widgets)) throw new Error('unexpected answer from the registry');
      const seen = new Set();
      for (const record of body.widgets) {
        if (!record || !record.manifest || typeof record.id !== 'string') continue;
        seen.add(record.id);
        this.#entries.set(record.id, {
          id: record.id,
          manifest: record.manifest,
          record,
          available: true,
          reason: null,
          at: null,
        });
      }
      for (const entry of this.#entries.values()) {
        if (!seen.has(entry.id) && entry.available) {
          Object.assign(entry, { available: false, reason: 'removed', at: new Date().toISOString() });
        }
      }
      this.loaded = true;
      this.error = null;
    } catch (e) {
      this.error = e.message || String(e);
    }
    this.#emit({ type: 'reload', id: null, entry: null });
  }

  /** Applies one message of the change feed. */
  apply(change) {
    if (!change || typeof change.id !== 'string' || typeof change.type !== 'string') return;
    const { type, id } = change;
    if (type === 'registered' || type === 'updated') {
      const record = change.widget && change.widget.manifest ? change.widget : null;
      if (!record) {
        this.refresh();
        return;
      }
      this.#entries.set(id, {
        id,
        manifest: record.manifest,
        record,
        available: true,
        reason: null,
        at: change.at || null,
      });
    } else if (type === 'expired' || type === 'removed') {
      const entry = this.#entries.get(id) || {
        id,
        manifest: change.widget && change.widget.manifest,
        record: change.widget || null,
      };
      const reason = type === 'expired' ? (change.reason === 'member-left' ? 'host-left' : 'expired') : 'removed';
      this.#entries.set(id, { ...entry, available: false, reason, at: change.at || new Date().toISOString() });
    } else {
      return;
    }
    this.#emit({ type, id, entry: this.#entries.get(id) });
  }

  #emit(event) {
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch (e) {
        console.error('[mesh] catalog listener failed', e);
      }
    }
  }

  #startPolling() {
    if (this.#pollTimer === null) this.#pollTimer = setInterval(() => this.refresh(), POLL_MS);
  }

  #stopPolling() {
    if (this.#pollTimer !== null) {
      clearInterval(this.#pollTimer);
      this.#pollTimer = null;
    }
  }
}

/** Why a widget is not available, in words. */
export function unavailableReason(entry, id) {
  if (!entry) return `No widget “${id}” is registered.`;
  const when = entry.at
    ? ` at ${new Date(entry.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`
    : '';
  switch (entry.reason) {
    case 'host-left':
      return `Its host left${when}.`;
    case 'expired':
      return `Its registration expired${when} (no heartbeat).`;
    case 'removed':
      return `It was removed from the registry${when}.`;
    default:
      return 'It is not in the registry right now.';
  }
}
