'use strict';
// Replaces sockjs-client's lib/transport-list.js in the SDK bundle (see build.mjs): only the
// transports the SDK allows (WebSocket, then XHR streaming and polling), none of the iframe, JSONP or
// XDR ones, which need inline scripts or frames and old browsers.
module.exports = [
  require('sockjs-client/lib/transport/websocket'),
  require('sockjs-client/lib/transport/xhr-streaming'),
  require('sockjs-client/lib/transport/xhr-polling'),
];
