package dev.mesa.it.cluster.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;

/**
 * Free loopback ports for the cluster harness. Every port is asked from the kernel (bind to port 0 on
 * 127.0.0.1, so it comes from the ephemeral range) and never one the other servers of the build use
 * (9080/9443 sample, 9280/9643 Arquillian IT server, 6379 a Redis someone may run).
 *
 * <p>Liberty starts even when its port is taken (only {@code CWWKO0221E} in the log), so a chosen port
 * is probed again right before use and the harness checks the log for the listener afterwards.
 */
public final class Ports {

    private static final Set<Integer> RESERVED = Set.of(9080, 9443, 9280, 9643, 6379);

    private Ports() {
    }

    /** A port nobody listens on right now on 127.0.0.1. */
    public static int free() {
        for (int attempt = 0; attempt < 20; attempt++) {
            int port;
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                port = s.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot find a free loopback port", e);
            }
            if (!RESERVED.contains(port) && isFree(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free loopback port found in 20 attempts");
    }

    /** Whether 127.0.0.1:{@code port} can be bound now. */
    public static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
