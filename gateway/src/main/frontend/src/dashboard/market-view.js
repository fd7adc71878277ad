// What the marketplace lists, without the DOM (marketplace.js draws it): the widgets that match the
// search, grouped by data-mesh domain and sorted, and the sentences above and instead of the list.

/**
 * The widgets to list from the catalog's `entries`: those with a manifest that are available, or
 * unavailable but still placed (`placed`: widget id → windows showing it), that match `query` (lower
 * case, '' for all). Grouped by domain ('unassigned' without one), domains and then widgets (by
 * label, else id) in alphabetical order. `total` counts the available widgets, `shown` those listed.
 */
export function marketView(entries, placed, query) {
  const listed = entries
    .filter((e) => e.manifest && (e.available || placed.has(e.id)))
    .filter((e) => !query || matches(e, query));
  const byDomain = new Map();
  for (const entry of listed) {
    const domain = entry.manifest.domain || 'unassigned';
    if (!byDomain.has(domain)) byDomain.set(domain, []);
    byDomain.get(domain).push(entry);
  }
  const groups = [...byDomain]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([domain, list]) => ({
      domain,
      entries: list.sort((a, b) => (a.manifest.label || a.id).localeCompare(b.manifest.label || b.id)),
    }));
  return { total: entries.filter((e) => e.available).length, shown: listed.length, groups };
}

/** Whether the search (lower case) is in the id, label, description, domain, owner, kind or a tag. */
export function matches(entry, query) {
  const m = entry.manifest;
  const tags = m.tags && typeof m.tags === 'object' ? Object.entries(m.tags).flat() : [];
  return [entry.id, m.label, m.description, m.domain, m.owner, m.domainKind, ...tags].some(
    (v) => typeof v === 'string' && v.toLowerCase().includes(query),
  );
}

/**
 * The line above the list: the registry's state while it has not answered, else how many widgets
 * there are, or how many match `search` (as typed).
 */
export function countText({ loaded, error }, { total, shown }, search) {
  if (!loaded) return error ? `The registry cannot be reached (${error}); trying again…` : 'Loading the registry…';
  const widgets = `widget${total === 1 ? '' : 's'}`;
  return search ? `${shown} of ${total} ${widgets} match “${search}”` : `${total} ${widgets} in the registry`;
}

/** What the list says when nothing is listed. */
export function emptyText(total) {
  return total === 0
    ? 'No widget is registered yet. Drop one into the widgets folder and it appears here within seconds.'
    : 'No widget matches.';
}
