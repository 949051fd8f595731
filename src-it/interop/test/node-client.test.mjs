// @cryb/mesa@1.5.8 Client (Node) against the server at MESA_URL.
import { CLIENT_KINDS, serverUrl } from '../lib/harness.mjs';
import { defineClientSuite, defineSendSuite } from '../lib/client-suite.mjs';

// started before any test: a reference server (no MESA_URL) is closed after the last test of the file
const url = await serverUrl();

defineClientSuite('@cryb/mesa Client', url, CLIENT_KINDS.node);
defineSendSuite('@cryb/mesa Client', url, [CLIENT_KINDS.node]);
