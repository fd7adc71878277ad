/*
 * Mesh tracker: <script defer src="https://<mesh>/m/s.js" data-site="shop.example"></script>
 * Sends each page view (path, referrer, screen size) and, through mesh.track(name, props), custom
 * events to the collector with navigator.sendBeacon. No cookies, no storage, nothing else read.
 */
(function () {
  'use strict';
  var script = document.currentScript;
  var site = script && script.getAttribute('data-site');
  if (!site) {
    return;
  }
  var endpoint = new URL('__BEACON_PATH__', script.src).href;
  var lastUrl = null;
  var firstView = true;

  function send(name, props) {
    var body = JSON.stringify({
      site: site,
      name: name,
      url: location.href,
      // within a single-page app the browser keeps the first referrer: only the first view carries it
      referrer: firstView ? document.referrer : '',
      screen: screen.width + 'x' + screen.height,
      props: props
    });
    // a string body goes as text/plain: no CORS preflight, and the beacon survives the page closing
    if (navigator.sendBeacon && navigator.sendBeacon(endpoint, body)) {
      return;
    }
    if (window.fetch) {
      fetch(endpoint, {method: 'POST', body: body, keepalive: true, credentials: 'omit', mode: 'no-cors'})
        .catch(function () {});
    }
  }

  function pageview() {
    if (location.href === lastUrl) {
      return;
    }
    lastUrl = location.href;
    send('pageview');
    firstView = false;
  }

  window.mesh = window.mesh || {};
  window.mesh.track = function (name, props) {
    send(String(name), props || undefined);
  };

  var pushState = history.pushState;
  history.pushState = function () {
    pushState.apply(this, arguments);
    pageview();
  };
  window.addEventListener('popstate', pageview);
  pageview();
})();
