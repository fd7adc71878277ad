// Traffic of one tracked site: headline numbers against the period before, visitors now, and views and
// unique visitors over time (Chart.js). New hits arrive pushed on the tracker's live feed and are added
// where they belong; a `page-selected` event narrows everything to that page.
import {
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  PointElement,
  Tooltip,
} from 'chart.js';
import {
  AnalyticsElement,
  BUCKET_MS,
  PAGE_SELECTED,
  api,
  baseStyles,
  bucketLabel,
  clock,
  compact,
  count,
  fillSnippet,
  percent,
  rangePicker,
} from '../shared/analytics.js';

// only what a line chart needs, so that the rest of Chart.js stays out of the bundle
Chart.register(LineController, LineElement, PointElement, CategoryScale, LinearScale, Filler, Legend, Tooltip);

const TAG = 'mesh-site-traffic';

const styles = new CSSStyleSheet();
styles.replaceSync(`
  .narrow { display: flex; flex-wrap: wrap; align-items: center; gap: 0.25rem 0.5rem; margin: 0; }
  .narrow strong { overflow-wrap: anywhere; }
  .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(8.5rem, 1fr)); gap: 0.5rem; }
  .card { border: 1px solid var(--mesh-border, #e5e7eb); border-radius: var(--mesh-radius, 8px); padding: 0.5rem 0.75rem; min-width: 0; }
  .card .label { display: block; font-size: 0.75rem; text-transform: uppercase; letter-spacing: 0.04em; color: var(--mesh-muted, #6b7280); }
  .card .value { display: block; font-size: 1.35rem; font-weight: 600; margin: 0.1rem 0; overflow-wrap: anywhere; }
  .card .note { display: block; font-size: 0.75rem; color: var(--mesh-muted, #6b7280); }
  .up { color: var(--mesh-positive, #15803d); }
  .down { color: var(--mesh-negative, #b91c1c); }
  figure { display: flex; flex-direction: column; flex: 1; min-height: 10rem; margin: 0; }
  figcaption { font-size: 0.75rem; color: var(--mesh-muted, #6b7280); padding-bottom: 0.25rem; }
  /* Chart.js sizes the canvas to this box and follows it with a ResizeObserver */
  .plot { position: relative; flex: 1; min-height: 9rem; }
  .content { display: flex; flex-direction: column; gap: 0.5rem; flex: 1; }
  /* narrow frames: the cards stack in one column and the chart keeps the width */
  @container (max-width: 20rem) { .cards { grid-template-columns: 1fr; } .card .value { font-size: 1.15rem; } }
`);

const template = document.createElement('template');
template.innerHTML = `
<div class="frame">
  <div class="bar">
    <h2>Traffic<small class="site"></small></h2>
    <span class="live">live</span>
  </div>
  <p class="status" role="status"></p>
  <div class="content" hidden>
    <p class="narrow" hidden>
      <span>Only the page <strong class="page"></strong></span>
      <button type="button" class="all">Show all pages</button>
    </p>
    <div class="cards">
      <div class="card" data-kpi="views"><span class="label">Views</span><span class="value"></span><span class="note"></span></div>
      <div class="card" data-kpi="visitors"><span class="label">Unique visitors</span><span class="value"></span><span class="note"></span></div>
      <div class="card" data-kpi="now"><span class="label">Visitors now</span><span class="value"></span><span class="note">on the site, last 5 minutes</span></div>
    </div>
    <div class="empty" hidden>
      <p class="why"></p>
      <div class="snippet"></div>
    </div>
    <figure>
      <figcaption></figcaption>
      <div class="plot"><canvas role="img"></canvas></div>
    </figure>
    <details class="snippet-box">
      <summary>Tracking snippet for this site</summary>
      <div class="snippet"></div>
    </details>
  </div>
</div>`;

class MeshSiteTraffic extends AnalyticsElement {
  #data = null; // {bucket, points: [{t, views, visitors}], views, visitors, previous, now, at}
  #chart = null;
  #rollTimer = null;

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = [baseStyles, styles];
    root.append(template.content.cloneNode(true));
    root.querySelector('.bar').append(rangePicker());
    this.wire();
    root.querySelector('.all').addEventListener('click', () => {
      const site = this.site;
      this.narrow(null);
      if (site) this.publish(PAGE_SELECTED, { site, page: null });
    });
    root.querySelector('details').addEventListener('toggle', (e) => {
      if (e.target.open && this.site) fillSnippet(e.target.querySelector('.snippet'), this.site);
    });
  }

  /** What the headline shows: `{views, visitors, visitorsNow}` (null before the first load). */
  get totals() {
    return this.#data && { views: this.#data.views, visitors: this.#data.visitors, visitorsNow: this.#data.now };
  }

  /** The chart's points, oldest first: `[{t, views, visitors}]` with `t` in ms (null before a load). */
  get series() {
    return this.#data && this.#data.points.map((p) => ({ ...p }));
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    clearTimeout(this.#rollTimer);
    this.#rollTimer = null;
    // Chart.js holds observers and listeners: a closed window must let go of them
    this.#chart?.destroy();
    this.#chart = null;
  }

  async load(site, range, signal) {
    const question = { range: range.id, page: this.page };
    const [series, summary, now] = await Promise.all([
      api(`sites/${site}/timeseries`, question, signal),
      api(`sites/${site}/summary`, question, signal),
      api(`sites/${site}/now`, {}, signal),
    ]);
    this.#data = {
      bucket: series.bucket,
      points: series.points.map((p) => ({ t: Date.parse(p.t), views: p.views, visitors: p.visitors })),
      views: summary.views,
      visitors: summary.visitors,
      previous: summary.previous,
      now: now.visitors,
      at: Date.now(),
      range,
      page: this.page,
    };
    this.#scheduleRoll();
  }

  /** Adds a live message: its views (of the page narrowed to, if any) to the bucket of its time. */
  apply(message) {
    const data = this.#data;
    data.now = message.visitorsNow;
    const views = data.page === null ? message.views : (message.pages.get(data.page) ?? 0);
    if (views === 0) return;
    this.#roll(message.at);
    const points = data.points;
    let i = points.length - 1;
    while (i >= 0 && points[i].t > message.at) i--;
    if (i < 0) return; // older than the range: not news for this chart
    points[i].views += views;
    data.views += views;
  }

  /** The range ends now: when time moves past the last bucket, a new one starts and the oldest leaves. */
  #roll(now) {
    const data = this.#data;
    const size = BUCKET_MS[data.bucket];
    let last = data.points[data.points.length - 1];
    let moved = false;
    while (last && now >= last.t + size) {
      last = { t: last.t + size, views: 0, visitors: 0 };
      data.points.push(last);
      data.points.shift();
      moved = true;
    }
    return moved;
  }

  #scheduleRoll() {
    clearTimeout(this.#rollTimer);
    const data = this.#data;
    const last = data?.points[data.points.length - 1];
    if (!last) return;
    const wait = Math.max(1000, last.t + BUCKET_MS[data.bucket] - Date.now());
    // a local redraw at the bucket's end, never a request
    this.#rollTimer = setTimeout(() => {
      if (this.#roll(Date.now()) && this.state === 'ready') this.#drawChart();
      this.#scheduleRoll();
    }, wait);
  }

  isEmpty() {
    const d = this.#data;
    return d.page === null && d.views === 0 && d.previous.views === 0;
  }

  render() {
    const root = this.shadowRoot;
    const data = this.#data;
    if (!data) return;
    const locale = this.locale;
    const empty = this.state === 'empty';

    root.querySelector('.narrow').hidden = data.page === null;
    root.querySelector('.narrow .page').textContent = data.page ?? '';
    this.#card('views', data.views, data.previous.views, data.range, locale);
    this.#card('visitors', data.visitors, data.previous.visitors, data.range, locale);
    root.querySelector('[data-kpi="now"] .value').textContent = count(data.now, locale);

    const emptyBox = root.querySelector('.empty');
    emptyBox.hidden = !empty;
    root.querySelector('figure').hidden = empty;
    root.querySelector('details').hidden = empty;
    if (empty) {
      emptyBox.querySelector('.why').textContent =
        `No hits from ${this.site} yet (${data.range.label.toLowerCase()} and the period before). Paste this snippet into the site's pages; hits show here as they come.`;
      fillSnippet(emptyBox.querySelector('.snippet'), this.site);
      this.#chart?.destroy();
      this.#chart = null;
    } else {
      this.#drawChart();
    }
  }

  #card(kpi, value, before, range, locale) {
    const card = this.shadowRoot.querySelector(`[data-kpi="${kpi}"]`);
    card.querySelector('.value').textContent = count(value, locale);
    const note = card.querySelector('.note');
    note.classList.remove('up', 'down');
    if (before === 0) {
      note.textContent = value === 0 ? `none in ${range.previous} either` : `none in ${range.previous}`;
    } else {
      const ratio = (value - before) / before;
      note.textContent = `${percent(ratio, locale)} against ${range.previous} (${count(before, locale)})`;
      if (ratio > 0) note.classList.add('up');
      if (ratio < 0) note.classList.add('down');
    }
    if (kpi === 'visitors') note.textContent += `; counted at ${clock(this.#data.at, locale)}`;
  }

  #drawChart() {
    const data = this.#data;
    const locale = this.locale;
    const points = data.points;
    const severalDays = points.length > 0 && points[points.length - 1].t - points[0].t > BUCKET_MS.day;
    const labels = points.map((p) => bucketLabel(p.t, data.bucket, severalDays, locale));
    const what = data.page === null ? this.site : `${data.page} on ${this.site}`;
    const caption =
      `Views and unique visitors per ${data.bucket} of ${what}, ${data.range.label.toLowerCase()}. ` +
      `Views come in live; unique visitors are counted when the range loads (${clock(data.at, locale)}).`;
    this.shadowRoot.querySelector('figcaption').textContent = caption;
    const canvas = this.shadowRoot.querySelector('canvas');
    canvas.setAttribute('aria-label', `Line chart: ${caption} ${count(data.views, locale)} views in all.`);

    const style = getComputedStyle(this);
    const accent = style.getPropertyValue('--mesh-accent').trim() || '#2563eb';
    const muted = style.getPropertyValue('--mesh-muted').trim() || '#6b7280';
    const grid = style.getPropertyValue('--mesh-border').trim() || '#e5e7eb';
    const soft = style.getPropertyValue('--mesh-accent-soft').trim() || 'rgba(37, 99, 235, 0.12)';
    const datasets = [
      {
        label: 'Views',
        data: points.map((p) => p.views),
        borderColor: accent,
        backgroundColor: soft,
        fill: true,
        pointRadius: 0,
        borderWidth: 2,
        tension: 0.25,
      },
      {
        label: 'Unique visitors',
        data: points.map((p) => p.visitors),
        borderColor: muted,
        borderDash: [4, 3],
        pointRadius: 0,
        borderWidth: 1.5,
        tension: 0.25,
      },
    ];
    if (this.#chart) {
      this.#chart.data.labels = labels;
      this.#chart.data.datasets.forEach((d, i) => {
        d.data = datasets[i].data;
      });
      // live additions redraw without animation, so that a busy site does not keep the chart moving
      this.#chart.update('none');
      return;
    }
    const font = { family: style.fontFamily, size: 11 };
    this.#chart = new Chart(canvas, {
      type: 'line',
      data: { labels, datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: matchMedia('(prefers-reduced-motion: reduce)').matches ? false : { duration: 300 },
        interaction: { mode: 'index', intersect: false },
        plugins: {
          legend: { position: 'bottom', labels: { color: muted, font, boxWidth: 12 } },
          tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${count(item.parsed.y, this.locale)}` } },
        },
        scales: {
          x: {
            grid: { display: false },
            ticks: { color: muted, font, maxTicksLimit: 8, maxRotation: 0, autoSkip: true },
          },
          y: {
            beginAtZero: true,
            grid: { color: grid },
            border: { display: false },
            ticks: { color: muted, font, maxTicksLimit: 5, precision: 0, callback: (v) => compact(v, this.locale) },
          },
        },
      },
    });
  }
}

if (!customElements.get(TAG)) customElements.define(TAG, MeshSiteTraffic);
