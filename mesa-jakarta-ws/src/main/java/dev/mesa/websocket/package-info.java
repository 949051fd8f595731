/**
 * The Jakarta WebSocket binding of Mesa: registers every {@code @MesaEndpoint}
 * with the container when the web application starts, enforces the transport
 * limits, and owns each connection's send path. Nothing here is API: adding
 * this jar to a WAR is all it takes.
 */
package dev.mesa.websocket;
