// mesa-js-client@1.4.8 (browser client, on the `ws` WebSocket) against the server at MESA_URL.
import { CLIENT_KINDS, serverUrl } from '../lib/harness.mjs';
import { defineClientSuite, defineSendSuite } from '../lib/client-suite.mjs';

// started before any test: a reference server (no MESA_URL) is closed after the last test of the file
const url = await serverUrl();

defineClientSuite('mesa-js-client', url, CLIENT_KINDS.js);
defineSendSuite('mesa-js-client', url, [CLIENT_KINDS.js]);
defineSendSuite('both clients mixed', url, [CLIENT_KINDS.node, CLIENT_KINDS.js]);
