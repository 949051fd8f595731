package dev.mesa.it.cluster.harness;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal blocking RESP2 client, enough for the tests to look at the real Redis the way a Node
 * Mesa server or Dispatcher does (SMEMBERS, GET, PUBSUB NUMSUB, SHUTDOWN NOSAVE) and to watch a
 * pub/sub channel. No dependency, bounded timeouts, one connection per instance, not thread safe.
 *
 * <p>Replies: simple string and bulk string → {@link String} (null bulk → null), integer →
 * {@link Long}, array → {@link List}; an error reply throws {@link RespError}.
 */
public final class Resp implements AutoCloseable {

    /** An error reply ({@code -ERR ...}). */
    public static final class RespError extends RuntimeException {
        RespError(String message) {
            super(message);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private Resp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects to 127.0.0.1:{@code port} within 2 s; replies must come within 5 s. */
    public static Resp connect(int port) {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(5000);
            s.setTcpNoDelay(true);
            return new Resp(s);
        } catch (IOException e) {
            try {
                s.close();
            } catch (IOException ignored) {
                // nothing
            }
            throw new UncheckedIOException("cannot connect to redis at 127.0.0.1:" + port, e);
        }
    }

    /** Sends a command and reads its reply. */
    public Object call(String... args) {
        try {
            write(args);
            return read();
        } catch (IOException e) {
            throw new UncheckedIOException("redis " + String.join(" ", args) + " failed", e);
        }
    }

    /** Sends a command without reading a reply (SHUTDOWN has none when it succeeds). */
    public void send(String... args) {
        try {
            write(args);
        } catch (IOException e) {
            throw new UncheckedIOException("redis " + String.join(" ", args) + " failed", e);
        }
    }

    /** Sets the read timeout of the next replies. */
    public Resp timeout(int millis) {
        try {
            socket.setSoTimeout(millis);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /**
     * Reads the next reply (pub/sub pushes after SUBSCRIBE).
     *
     * @return the reply, or null when nothing arrived within the read timeout
     */
    public Object readPush() {
        try {
            return read();
        } catch (SocketTimeoutException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(String... args) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (String a : args) {
            byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
            b.write(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            b.write(bytes);
            b.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.write(b.toByteArray());
        out.flush();
    }

    private Object read() throws IOException {
        int type = in.read();
        if (type == -1) {
            throw new EOFException("redis closed the connection");
        }
        String line = line();
        switch (type) {
            case '+':
                return line;
            case '-':
                throw new RespError(line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int len = Integer.parseInt(line);
                if (len < 0) {
                    return null;
                }
                byte[] data = in.readNBytes(len);
                if (data.length < len) {
                    throw new EOFException("short bulk string");
                }
                in.readNBytes(2);
                return new String(data, StandardCharsets.UTF_8);
            }
            case '*': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                List<Object> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    list.add(read());
                }
                return list;
            }
            default:
                throw new IOException("unexpected RESP type byte " + (char) type);
        }
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c == -1) {
                throw new EOFException("redis closed the connection");
            }
            if (c == '\r') {
                in.read(); // '\n'
                return sb.toString();
            }
            sb.append((char) c);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
