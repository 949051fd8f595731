// Reference server: a REAL Node Mesa 1.5.8 server (@cryb/mesa, no Redis) that behaves
// like the Java test endpoint dev.mesa.it.interop.InteropEndpoint. The interop tests
// start it in-process when MESA_URL is unset, which proves the tests against the
// original implementation; InteropIT always sets MESA_URL (our server on Liberty).
//
// Standalone: `node reference-server.mjs [port]` prints the URL and runs until killed.
//
// Differences from our endpoint that are the application's doing, not Mesa's:
// - Node Mesa 1.5.8 without Redis delivers send(msg, ['*']) to nobody (it only
//   matches '*' on messages that went through Redis pub/sub), so SEND expands "*"
//   to the authenticated ids here, which is what our Mesa.send does.
// - Connection.disconnect() closes with 1000; Node's client.disconnect() without
//   a code closes with no status (1005), so KICK passes 1000 explicitly.
// One difference that is Mesa's, and that the tests know about (REFERENCE flag):
// - a client that misses its heartbeats is closed without a status code (1005)
//   by Node Mesa 1.5.8; our contract closes it with 4000.
import http from 'node:http';
import { pathToFileURL } from 'node:url';
import mesa from '@cryb/mesa';

const { default: Server, Message } = mesa;

export const HEARTBEAT_INTERVAL = 300;
export const HEARTBEAT_MAX_ATTEMPTS = 2;
export const RECONNECT_INTERVAL = 300;

/**
 * Starts the reference server on 127.0.0.1.
 * @param {number} port 0 for any free port
 * @returns {Promise<{url: string, close: () => Promise<void>}>}
 */
export async function startReferenceServer(port = 0) {
  const httpServer = http.createServer((req, res) => {
    res.writeHead(404);
    res.end();
  });
  await new Promise((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, '127.0.0.1', resolve);
  });

  const server = new Server({
    server: httpServer,
    path: '/interop',
    gracefullyExit: false,
    heartbeat: { enabled: true, interval: HEARTBEAT_INTERVAL, maxAttempts: HEARTBEAT_MAX_ATTEMPTS },
    reconnect: { enabled: true, interval: RECONNECT_INTERVAL }
  });
  server.on('error', (error) => console.error('[reference-server]', error));

  server.on('connection', (client) => {
    client.authenticate((credentials, done) => {
      const token = credentials && credentials.token;
      if (typeof token === 'string' && token.startsWith('u:') && token.length > 2) {
        const id = token.substring(2);
        return done(null, { id, user: { id, name: `User ${id}` } });
      }
      return done(new Error('bad token'));
    });

    client.on('message', (message) => {
      const { data, type } = message;
      switch (type) {
        case 'ECHO':
          return client.send(new Message(0, data, 'ECHO'), true);
        case 'SEND': {
          const out = new Message(0, data.payload, data.type);
          let ids = data.ids;
          if (ids && ids.indexOf('*') > -1) {
            ids = server.clients.filter((c) => c.authenticated).map((c) => c.id);
          }
          if (!ids) return server.send(out);
          if (data.excluding) return server.send(out, ids, data.excluding);
          return server.send(out, ids);
        }
        case 'KICK':
          return client.disconnect(1000);
        default:
          return undefined;
      }
    });
  });

  const { port: actualPort } = httpServer.address();
  return {
    url: `ws://127.0.0.1:${actualPort}/interop`,
    close: () => new Promise((resolve) => {
      for (const c of server.clients) {
        if (c.heartbeatInterval) clearInterval(c.heartbeatInterval);
        c.socket.terminate();
      }
      server.close();
      httpServer.close(() => resolve());
      httpServer.closeAllConnections?.();
    })
  };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { url } = await startReferenceServer(Number(process.argv[2] || 0));
  console.log(`Node Mesa 1.5.8 reference server listening on ${url}`);
}
