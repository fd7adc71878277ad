// Intl formatters are costly to create, and every render would otherwise build new ones: one per
// key (kind, locale, options) is kept. Each widget bundle inlines its own copy of this module.
const formatters = new Map();

/** The formatter kept under `key`, made by `make()` the first time. */
export function cached(key, make) {
  let f = formatters.get(key);
  if (!f) {
    f = make();
    formatters.set(key, f);
  }
  return f;
}
