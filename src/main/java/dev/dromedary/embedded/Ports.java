package dev.dromedary.embedded;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Checks that a port is free before a server is started on it; a server already there answers in its place. */
public final class Ports {

    private Ports() {
    }

    /** Fails, naming the setting, when {@code port} (not 0, which picks a free one) is in use. */
    public static void requireFree(int port, String setting) throws IOException {
        if (port == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(port));
        } catch (BindException e) {
            throw new IOException(setting + " " + port + " is in use (by a server left running, perhaps); stop what "
                    + "uses it or set " + setting + " to another port");
        }
    }
}
