package dev.mesa.websocket;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;

import dev.mesa.CloseCodes;
import dev.mesa.runtime.EndpointRuntime;
import dev.mesa.runtime.InboundHandler;
import dev.mesa.runtime.Limits;
import dev.mesa.runtime.Transport;

/**
 * Adapts one Jakarta WebSocket session to the engine: reassembles fragmented
 * text messages under the per-message size limit (the container checks frames
 * only), refuses binary data, and writes through the connection's {@link Outbox}.
 */
final class MesaWebSocketEndpoint extends Endpoint {

    private static final Logger LOG = Logger.getLogger("dev.mesa");
    private final EndpointRuntime runtime;
    private Session session;
    private Outbox outbox;
    private InboundHandler handler;
    private final StringBuilder partial = new StringBuilder();
    private long partialBytes;

    MesaWebSocketEndpoint(EndpointRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        this.session = session;
        Limits limits = runtime.limits();
        session.setMaxIdleTimeout(0);
        session.setMaxTextMessageBufferSize(limits.maxMessageSize());
        session.setMaxBinaryMessageBufferSize(1024);
        outbox = new Outbox(new SessionWriter(), limits.outboundQueueSize(), CloseCodes.SLOW_CONSUMER, Writers.WRITE,
                Writers.CLOSE);
        Writers.watch(outbox, limits.sendTimeout().toMillis());
        session.addMessageHandler(String.class, (MessageHandler.Partial<String>) this::onText);
        session.addMessageHandler(ByteBuffer.class, (MessageHandler.Partial<ByteBuffer>) (data, last) ->
                refuse(CloseCodes.UNSUPPORTED_DATA, "Binary frames are not supported"));
        handler = runtime.open(new Transport() {
            @Override
            public void send(String frame) {
                outbox.send(frame);
            }

            @Override
            public void close(int code, String reason) {
                outbox.close(code, reason);
            }

            @Override
            public void abort(int code, String reason) {
                outbox.abort(code, reason);
            }
        });
    }

    private void onText(String part, boolean last) {
        long max = runtime.limits().maxMessageSize();
        if (last && partial.length() == 0) {
            if (Utf8.length(part) > max) {
                tooBig();
            } else {
                handler.onText(part);
            }
            return;
        }
        partialBytes += Utf8.length(part);
        if (partialBytes > max) {
            partial.setLength(0);
            partialBytes = 0;
            tooBig();
            return;
        }
        partial.append(part);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            partialBytes = 0;
            handler.onText(text);
        }
    }

    private void tooBig() {
        refuse(CloseCodes.MESSAGE_TOO_BIG, "Message larger than " + runtime.limits().maxMessageSize() + " bytes");
    }

    /** Closes a connection that sent what Mesa does not accept; logs why, never what. */
    private void refuse(int code, String reason) {
        LOG.info(() -> "Mesa closes a connection to " + runtime.path() + " (session " + session.getId() + ") with "
                + code + ": " + reason);
        outbox.abort(code, reason);
    }

    @Override
    public void onClose(Session session, CloseReason closeReason) {
        if (outbox != null) {
            outbox.closed();
            Writers.unwatch(outbox);
        }
        if (handler != null) {
            handler.onClose(closeReason.getCloseCode().getCode(), closeReason.getReasonPhrase());
        }
    }

    @Override
    public void onError(Session session, Throwable error) {
        if (handler != null) {
            handler.onError(error);
        } else {
            LOG.log(Level.FINE, "WebSocket error before Mesa took the connection", error);
        }
    }

    /** Writes with the container's blocking remote (on a writer thread); closes with the container's close. */
    private final class SessionWriter implements Outbox.Writer {

        @Override
        public void write(String frame) throws IOException {
            session.getBasicRemote().sendText(frame);
        }

        @Override
        public void close(int code, String reason) {
            if (!session.isOpen()) {
                // Closed already (a failed write, say): another close only waits in the container for nothing.
                return;
            }
            try {
                session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), Utf8.closeReason(reason)));
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.FINE, "Closing a WebSocket failed; it is gone either way", e);
            }
        }
    }
}
