// The layouts API (/api/layouts, /api/me) as the page uses it: JSON in and out, the server's error
// messages as the thrown error's message, versions sent as If-Match, and a layout's link token
// (from ?link=) added to every call about that layout.

/** A refused or failed call: `status` (0 when the server could not be reached) and the answer's body. */
export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.body = body || {};
  }

  /** 409: someone saved a newer version; `body.current` is the layout as it is now. */
  get isConflict() {
    return this.status === 409;
  }
}

const FALLBACK_MESSAGES = {
  400: 'The server refused the request as invalid.',
  401: 'Sign in to use layouts.',
  403: 'You may not do that with this layout.',
  404: 'This layout does not exist, or it is not shared with you.',
  409: 'Someone saved a newer version of this layout.',
  413: 'The layout is too large to be saved.',
  428: 'The server needs the version this change is based on.',
  503: 'Layouts are unavailable right now; try again in a moment.',
};

export class LayoutsApi {
  #links = new Map(); // layout id → link token

  /** Sends `token` with every call about layout `id` (a view or edit link). */
  useLink(id, token) {
    if (id && token) this.#links.set(id, token);
  }

  linkOf(id) {
    return this.#links.get(id) || null;
  }

  me() {
    return this.#call('GET', '/api/me');
  }

  list(scope = 'all') {
    return this.#call('GET', `/api/layouts?scope=${encodeURIComponent(scope)}`).then((answer) => answer.layouts || []);
  }

  get(id) {
    return this.#call('GET', this.#url(id));
  }

  create({ name, description, content }) {
    return this.#call('POST', '/api/layouts', { body: { name, description: description || '', content } });
  }

  /** changes: {name?, description?, content?}; version: the one they are based on. */
  update(id, changes, version) {
    return this.#call('PUT', this.#url(id), { body: changes, version });
  }

  remove(id, version) {
    return this.#call('DELETE', this.#url(id), { version });
  }

  clone(id, name) {
    return this.#call('POST', this.#url(id, '/clone'), { body: name ? { name } : {} });
  }

  revisions(id) {
    return this.#call('GET', this.#url(id, '/revisions')).then((answer) => answer.revisions || []);
  }

  revision(id, n) {
    return this.#call('GET', this.#url(id, `/revisions/${encodeURIComponent(n)}`));
  }

  restore(id, n, version) {
    return this.#call('POST', this.#url(id, `/revisions/${encodeURIComponent(n)}/restore`), {
      body: { version },
      version,
    });
  }

  upstream(id) {
    return this.#call('GET', this.#url(id, '/upstream'));
  }

  pull(id, version) {
    return this.#call('POST', this.#url(id, '/pull'), { body: { version }, version });
  }

  shares(id) {
    return this.#call('GET', this.#url(id, '/shares'));
  }

  /** body: {shares, link: null | {role}, resetToken?} */
  putShares(id, body) {
    return this.#call('PUT', this.#url(id, '/shares'), { body });
  }

  /** The layout's export document: {text, filename}. */
  async exportFile(id) {
    const response = await this.#send('GET', this.#url(id, '/export'), {});
    const text = await response.text();
    if (!response.ok) throw errorOf(response, text);
    const disposition = response.headers.get('Content-Disposition') || '';
    const named = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
    let filename = 'layout.json';
    if (named) {
      try {
        filename = decodeURIComponent(named[1]);
      } catch {
        filename = named[1];
      }
    }
    return { text, filename };
  }

  import(document) {
    return this.#call('POST', '/api/layouts/import', { body: document });
  }

  #url(id, suffix = '') {
    const token = this.#links.get(id);
    return `/api/layouts/${encodeURIComponent(id)}${suffix}${token ? `?link=${encodeURIComponent(token)}` : ''}`;
  }

  async #call(method, url, options = {}) {
    const response = await this.#send(method, url, options);
    const text = await response.text();
    if (!response.ok) throw errorOf(response, text);
    return parse(text) || {};
  }

  async #send(method, url, { body, version }) {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (version !== undefined && version !== null) headers['If-Match'] = `"${version}"`;
    try {
      return await fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'same-origin',
        cache: 'no-store',
      });
    } catch {
      throw new ApiError(0, 'The server cannot be reached; check the connection and try again.', {});
    }
  }
}

function parse(text) {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function errorOf(response, text) {
  const json = parse(text);
  const message =
    json && typeof json.message === 'string' && json.message
      ? withProblems(json.message, json.problems)
      : FALLBACK_MESSAGES[response.status] || `The server answered ${response.status}.`;
  return new ApiError(response.status, message, json || {});
}

function withProblems(message, problems) {
  if (!Array.isArray(problems) || problems.length === 0) return message;
  const details = problems
    .filter((p) => p && (p.field || p.problem))
    .map((p) => (p.field ? `${p.field}: ${p.problem}` : p.problem));
  const extra = details.filter((d) => !message.includes(d));
  return extra.length === 0 ? message : `${message} (${extra.join('; ')})`;
}
