// The dashboard's event router (src/dashboard/router.js): which placed widget receives which topic,
// with the bridge down (frame to frame in the page) and up (over the session address and back), and
// the schema warnings. The bus and the notices are small stand-ins with the methods the router calls.
import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { Router } from '../src/dashboard/router.js';

/** The SDK's MeshBus as the router uses it: publish while open, subscribe per topic. */
class FakeBus {
  isOpen = false;
  /** what went over the bridge: {topic, payload, source} */
  sent = [];
  /** publish() answers this while open (false: the socket closed under it) */
  accepts = true;
  #handlers = new Map(); // topic → Set<handler>

  publish(topic, payload, { source }) {
    if (!this.isOpen) return false;
    this.sent.push({ topic, payload, source });
    return this.accepts;
  }

  subscribe(topic, handler) {
    if (!this.#handlers.has(topic)) this.#handlers.set(topic, new Set());
    this.#handlers.get(topic).add(handler);
    return () => this.#handlers.get(topic).delete(handler);
  }

  subscribers(topic) {
    return this.#handlers.get(topic)?.size ?? 0;
  }

  /** The server sends an event of this session's topic (the envelope's payload and source). */
  arrive(topic, payload, source) {
    for (const handler of [...(this.#handlers.get(topic) ?? [])]) handler(payload, { topic, source });
  }

  /** Everything sent so far comes back, as the bridge does for a session address. */
  echoAll() {
    const sent = this.sent.splice(0);
    for (const e of sent) this.arrive(e.topic, e.payload, e.source);
  }
}

/** The notices as the router uses them: show() returns the notice's element. */
class FakeNotices {
  shown = [];

  show(notice) {
    const node = { classList: new Set(), dataset: {} };
    node.classList.add = node.classList.add.bind(node.classList);
    this.shown.push({ ...notice, node });
    return node;
  }
}

const ROW = {
  type: 'object',
  required: ['region', 'sales'],
  properties: { region: { type: 'string' }, sales: { type: 'array', items: { type: 'number' } } },
};

const TABLE = {
  id: 'sales-table',
  label: 'Sales table',
  version: '1.0.0',
  emits: [{ topic: 'row-selected', schema: ROW }],
};
const CHART = {
  id: 'sales-chart',
  label: 'Sales chart',
  version: '1.0.0',
  listens: [{ topic: 'row-selected', schema: ROW }],
};
const KPIS = { id: 'sales-kpis', label: 'Sales KPIs', version: '1.0.0', listens: [{ topic: 'row-selected' }] };
const TRAFFIC = { id: 'site-traffic', label: 'Site traffic', version: '1.0.0', listens: [{ topic: 'page-selected' }] };

/** A window showing a widget, recording what the router hands it. */
function frame(id, manifest) {
  return {
    id,
    widgetId: manifest.id,
    manifest,
    received: [],
    deliver(detail) {
      this.received.push(detail);
    },
  };
}

let bus;
let notices;
let router;

beforeEach(() => {
  bus = new FakeBus();
  notices = new FakeNotices();
  router = new Router(bus, notices);
});

describe('with the bridge down, events go from frame to frame in the page', () => {
  test('every widget that listens to the topic receives it, the publisher and other topics do not', () => {
    const table = frame('f1', TABLE);
    const chart = frame('f2', CHART);
    const kpis = frame('f3', KPIS);
    const traffic = frame('f4', TRAFFIC);
    for (const f of [table, chart, kpis, traffic]) router.attach(f);

    router.publish(table, 'row-selected', { region: 'Nordics', sales: [1, 2] });

    const event = { topic: 'row-selected', payload: { region: 'Nordics', sales: [1, 2] }, source: 'sales-table' };
    assert.deepEqual(chart.received, [event]);
    assert.deepEqual(kpis.received, [event]);
    assert.deepEqual(table.received, []);
    assert.deepEqual(traffic.received, []);
    assert.equal(router.mode, 'local');
    assert.deepEqual(router.stats, { viaBridge: 0, local: 1, late: 0 });
    assert.deepEqual(bus.sent, []);
  });

  test('a listener that listens to the topic and publishes it gets its own event only in its other windows', () => {
    const both = {
      id: 'picker',
      label: 'Picker',
      version: '1',
      listens: [{ topic: 'pick' }],
      emits: [{ topic: 'pick' }],
    };
    const first = frame('f1', both);
    const second = frame('f2', both);
    router.attach(first);
    router.attach(second);

    router.publish(first, 'pick', 7);

    assert.deepEqual(first.received, []);
    assert.deepEqual(second.received, [{ topic: 'pick', payload: 7, source: 'picker' }]);
  });

  test('each listener gets its own copy of the payload', () => {
    const table = frame('f1', TABLE);
    const chart = frame('f2', CHART);
    const kpis = frame('f3', KPIS);
    for (const f of [table, chart, kpis]) router.attach(f);
    const payload = { region: 'Nordics', sales: [1] };

    router.publish(table, 'row-selected', payload);
    chart.received[0].payload.sales.push(99);

    assert.deepEqual(kpis.received[0].payload.sales, [1]);
    assert.deepEqual(payload.sales, [1]);
  });

  test('only the manifest’s listens count: no listens, or malformed entries, receive nothing', () => {
    const table = frame('f1', TABLE);
    const silent = frame('f2', { id: 'silent', label: 'Silent', version: '1' });
    const broken = frame('f3', {
      id: 'broken',
      label: 'Broken',
      version: '1',
      listens: [null, { topic: 5 }, 'row-selected'],
    });
    for (const f of [table, silent, broken]) router.attach(f);

    router.publish(table, 'row-selected', { region: 'Nordics' });

    assert.deepEqual(silent.received, []);
    assert.deepEqual(broken.received, []);
  });

  test('an undefined payload arrives as null', () => {
    const table = frame('f1', TABLE);
    const kpis = frame('f2', KPIS);
    router.attach(table);
    router.attach(kpis);

    router.publish(table, 'row-selected', undefined);

    assert.equal(kpis.received[0].payload, null);
  });

  test('no topic, an empty one or one longer than 200 characters is dropped', (t) => {
    t.mock.method(console, 'warn', () => {}); // "not a topic the bus carries", for the listener's odd topics
    const table = frame('f1', TABLE);
    const anything = frame('f2', {
      id: 'any',
      label: 'Any',
      version: '1',
      listens: [{ topic: '' }, { topic: 'x'.repeat(201) }],
    });
    router.attach(table);
    router.attach(anything);

    router.publish(table, '', 1);
    router.publish(table, 'x'.repeat(201), 1);
    router.publish(table, 42, 1);

    assert.deepEqual(anything.received, []);
    assert.equal(router.stats.local, 0);
  });

  test('a payload that is not JSON is not delivered, and the console says why', (t) => {
    const warn = t.mock.method(console, 'warn', () => {});
    const table = frame('f1', TABLE);
    const kpis = frame('f2', KPIS);
    router.attach(table);
    router.attach(kpis);
    const circular = { region: 'Nordics' };
    circular.self = circular;

    router.publish(table, 'row-selected', circular);
    router.publish(table, 'row-selected', { total: 10n });

    assert.deepEqual(kpis.received, []);
    assert.equal(warn.mock.callCount(), 2);
    assert.match(
      warn.mock.calls[0].arguments[0],
      /sales-table: the payload of “row-selected” is not JSON; not delivered/,
    );
  });

  test('a listener that throws does not keep the others from receiving', (t) => {
    const warn = t.mock.method(console, 'warn', () => {});
    const table = frame('f1', TABLE);
    const failing = frame('f2', CHART);
    failing.deliver = () => {
      throw new Error('boom');
    };
    const kpis = frame('f3', KPIS);
    for (const f of [table, failing, kpis]) router.attach(f);

    router.publish(table, 'row-selected', { region: 'Nordics' });

    assert.equal(kpis.received.length, 1);
    assert.match(warn.mock.calls[0].arguments[0], /delivering “row-selected” to sales-chart failed/);
  });

  test('a closed window receives nothing more', () => {
    const table = frame('f1', TABLE);
    const chart = frame('f2', CHART);
    router.attach(table);
    router.attach(chart);

    router.detach(chart);
    router.publish(table, 'row-selected', { region: 'Nordics' });

    assert.deepEqual(chart.received, []);
  });
});

describe('a widget placed later', () => {
  test('receives the last event of the topics it listens to at once', () => {
    const table = frame('f1', TABLE);
    router.attach(table);
    router.publish(table, 'row-selected', { region: 'Nordics' });
    router.publish(table, 'row-selected', { region: 'Iberia' });

    const chart = frame('f2', CHART);
    router.attach(chart);

    assert.deepEqual(chart.received, [{ topic: 'row-selected', payload: { region: 'Iberia' }, source: 'sales-table' }]);
  });

  test('does not receive the event again in the window that published it', () => {
    const both = {
      id: 'picker',
      label: 'Picker',
      version: '1',
      listens: [{ topic: 'pick' }],
      emits: [{ topic: 'pick' }],
    };
    const picker = frame('f1', both);
    router.attach(picker);
    router.publish(picker, 'pick', 1);

    router.detach(picker);
    router.attach(picker);

    assert.deepEqual(picker.received, []);
  });
});

describe('with the bridge open, events travel over the session address and back', () => {
  beforeEach(() => {
    bus.isOpen = true;
  });

  test('the event goes over the bridge with its source, and reaches the listeners when it comes back', () => {
    const table = frame('f1', TABLE);
    const chart = frame('f2', CHART);
    router.attach(table);
    router.attach(chart);
    assert.equal(router.mode, 'bridge');

    router.publish(table, 'row-selected', { region: 'Nordics' });

    assert.deepEqual(bus.sent, [{ topic: 'row-selected', payload: { region: 'Nordics' }, source: 'sales-table' }]);
    assert.deepEqual(chart.received, [], 'not before it comes back');

    bus.echoAll();

    assert.deepEqual(chart.received, [
      { topic: 'row-selected', payload: { region: 'Nordics' }, source: 'sales-table' },
    ]);
    assert.deepEqual(table.received, [], 'no echo to the frame that published it');
    assert.deepEqual(router.stats, { viaBridge: 1, local: 0, late: 0 });
  });

  test('an event of the session from elsewhere (a server verticle, another window) reaches every listener', () => {
    const both = {
      id: 'picker',
      label: 'Picker',
      version: '1',
      listens: [{ topic: 'pick' }],
      emits: [{ topic: 'pick' }],
    };
    const picker = frame('f1', both);
    const kpis = frame('f2', KPIS);
    router.attach(picker);
    router.attach(kpis);

    bus.arrive('pick', { n: 1 }, 'pricing-service');
    bus.arrive('row-selected', { region: 'Nordics' }, null);

    assert.deepEqual(picker.received, [{ topic: 'pick', payload: { n: 1 }, source: 'pricing-service' }]);
    assert.deepEqual(kpis.received, [{ topic: 'row-selected', payload: { region: 'Nordics' }, source: null }]);
  });

  test('the router subscribes to a topic once while some placed widget listens to it', () => {
    const chart = frame('f1', CHART);
    const kpis = frame('f2', KPIS);
    router.attach(chart);
    router.attach(kpis);
    assert.equal(bus.subscribers('row-selected'), 1);

    router.detach(chart);
    assert.equal(bus.subscribers('row-selected'), 1);
    router.detach(kpis);
    assert.equal(bus.subscribers('row-selected'), 0);
  });

  test('a topic the bridge does not carry stays in the page', (t) => {
    const warn = t.mock.method(console, 'warn', () => {});
    const shout = { id: 'shout', label: 'Shout', version: '1', listens: [{ topic: 'Row Selected' }] };
    const table = frame('f1', TABLE);
    const listener = frame('f2', shout);
    router.attach(table);
    router.attach(listener);

    router.publish(table, 'Row Selected', 1);

    assert.deepEqual(bus.sent, []);
    assert.equal(bus.subscribers('Row Selected'), 0);
    assert.deepEqual(listener.received, [{ topic: 'Row Selected', payload: 1, source: 'sales-table' }]);
    assert.match(warn.mock.calls[0].arguments[0], /“Row Selected” is not one the event bus carries/);
  });

  test('when the bridge refuses the publish, the event is delivered in the page', () => {
    bus.accepts = false;
    const table = frame('f1', TABLE);
    const chart = frame('f2', CHART);
    router.attach(table);
    router.attach(chart);

    router.publish(table, 'row-selected', { region: 'Nordics' });

    assert.equal(chart.received.length, 1);
    assert.equal(router.stats.local, 1);
  });

  test('an event that does not come back within 2 s is delivered in the page, with a notice', (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const table = frame('f1', TABLE);
    const chart = frame('f2', CHART);
    router.attach(table);
    router.attach(chart);

    router.publish(table, 'row-selected', { region: 'Nordics' });
    t.mock.timers.tick(1999);
    assert.deepEqual(chart.received, []);
    t.mock.timers.tick(1);

    assert.deepEqual(chart.received, [
      { topic: 'row-selected', payload: { region: 'Nordics' }, source: 'sales-table' },
    ]);
    assert.deepEqual(table.received, []);
    assert.equal(router.stats.late, 1);
    assert.equal(notices.shown.length, 1);
    assert.equal(notices.shown[0].key, 'bridge-echo');
    assert.equal(notices.shown[0].kind, 'warn');
    assert.equal(
      notices.shown[0].text,
      '“row-selected” did not return over the event bus within 2 s, so it was delivered in this page.',
    );
  });

  test('an event that comes back in time is delivered once, and no notice follows', (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const table = frame('f1', TABLE);
    const chart = frame('f2', CHART);
    router.attach(table);
    router.attach(chart);

    router.publish(table, 'row-selected', { region: 'Nordics' });
    bus.echoAll();
    t.mock.timers.tick(5000);

    assert.equal(chart.received.length, 1);
    assert.deepEqual(notices.shown, []);
    assert.equal(router.stats.late, 0);
  });
});

describe('schema warnings', () => {
  test('an emitter and a listener whose payload schemas do not fit get one notice', () => {
    const narrow = {
      id: 'region-map',
      label: 'Region map',
      version: '2.0.0',
      listens: [{ topic: 'row-selected', schema: { type: 'object', required: ['regionCode'] } }],
    };
    router.attach(frame('f1', TABLE));
    router.attach(frame('f2', narrow));
    router.attach(frame('f3', narrow)); // the same pair again: no second notice

    assert.equal(notices.shown.length, 1);
    const notice = notices.shown[0];
    assert.equal(notice.kind, 'warn');
    assert.equal(notice.title, '“row-selected” from Sales table may not fit Region map');
    assert.equal(
      notice.text,
      'Their payload schemas differ: the listener requires “regionCode”, which the emitter does not send.',
    );
    assert.ok(notice.node.classList.has('schema-warning'));
    assert.deepEqual(notice.node.dataset, { topic: 'row-selected', emitter: 'sales-table', listener: 'region-map' });
  });

  test('fitting schemas, or a listener without one, give no notice', () => {
    router.attach(frame('f1', TABLE));
    router.attach(frame('f2', CHART));
    router.attach(frame('f3', KPIS));

    assert.deepEqual(notices.shown, []);
  });

  test('more than three problems are cut short', () => {
    const greedy = {
      id: 'greedy',
      label: 'Greedy',
      version: '1',
      listens: [{ topic: 'row-selected', schema: { type: 'object', required: ['a', 'b', 'c', 'd'] } }],
    };
    router.attach(frame('f1', TABLE));
    router.attach(frame('f2', greedy));

    assert.match(notices.shown[0].text, /“c”, which the emitter does not send; …\.$/);
  });
});
