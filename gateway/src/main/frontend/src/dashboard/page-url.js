// The page's own URLs: `/?layout=<id>[&mode=view][&revision=<n>][&link=<token>]`.

/** What the address asks for: {id, mode: 'edit' | 'view', link, revision}. */
export function requested(search = location.search) {
  const params = new URLSearchParams(search);
  const revision = Number(params.get('revision'));
  return {
    id: params.get('layout') || null,
    mode: params.get('mode') === 'view' ? 'view' : 'edit',
    link: params.get('link') || null,
    revision: Number.isInteger(revision) && revision > 0 ? revision : null,
  };
}

export function pageUrl({ id, mode, link, revision } = {}) {
  const params = new URLSearchParams();
  if (id) params.set('layout', id);
  if (id && mode === 'view') params.set('mode', 'view');
  if (id && revision) params.set('revision', String(revision));
  if (id && link) params.set('link', link);
  const query = params.toString();
  return `/${query ? `?${query}` : ''}`;
}

/** Opens another page of the dashboard (the current one's unsaved changes are in its draft). */
export function go(target) {
  location.assign(typeof target === 'string' ? target : pageUrl(target));
}
