package io.candles.localkafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Picks a port that is free on the loopback interface right now, for servers that tests start. */
public final class FreePort {

    private FreePort() {
    }

    public static int pick() {
        return on(LocalKafkaSettings.LOOPBACK);
    }

    public static int on(String host) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + host, e);
        }
    }
}
