// A golden-layout config made read only, for the view mode (?mode=view), a layout the caller may only
// view, and an old revision: no headers to drag, no close, maximise or pop-out buttons, no
// re-ordering. A stack that holds several windows keeps a bare row of tabs, so that every window can
// still be seen (clicking a tab shows it; it cannot be dragged or closed). Splitters are made inert by
// the stylesheet (html.read-only).

const NO_BUTTONS = { popout: false, maximise: false, close: false, tabDropdown: false };

/** `config`: an unresolved LayoutConfig (LayoutConfig.fromResolved of a saved one). */
export function readOnlyConfig(config) {
  return {
    ...config,
    openPopouts: [],
    root: config.root ? readOnlyItem(config.root) : undefined,
    header: { ...(config.header || {}), show: false, ...NO_BUTTONS },
    settings: {
      ...(config.settings || {}),
      reorderEnabled: false,
      showPopoutIcon: false,
      showMaximiseIcon: false,
      showCloseIcon: false,
    },
  };
}

/** One item (and what it holds) made read only; nothing is maximised (there is no button to restore). */
export function readOnlyItem(node) {
  const copy = { ...node };
  delete copy.hasHeaders;
  copy.isClosable = false;
  if (copy.type === 'component') {
    copy.reorderEnabled = false;
    // a window outside a stack gets a stack of its own, which reads its header settings from it
    copy.header = { show: false, ...NO_BUTTONS };
    return copy;
  }
  const content = Array.isArray(copy.content) ? copy.content : [];
  if (copy.type === 'stack') {
    copy.header = content.length > 1 ? { show: 'top', ...NO_BUTTONS } : { show: false, ...NO_BUTTONS };
  } else {
    delete copy.header;
  }
  copy.content = content.map(readOnlyItem);
  copy.maximised = false;
  return copy;
}
