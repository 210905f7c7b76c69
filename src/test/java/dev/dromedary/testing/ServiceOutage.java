package dev.dromedary.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy in front of one of the test run's real services, which a test can cut (the port refuses
 * connections and every open one is closed, as when the service stops) and restore (the same port answers
 * again): an outage of Elasticsearch, S3 or PostgreSQL for one application, without stopping the service
 * that the other tests share.
 */
public final class ServiceOutage implements AutoCloseable {

    private final String targetHost;
    private final int targetPort;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket listener;

    /** A proxy to {@code host:port}, listening on a free port of its own. */
    public ServiceOutage(String host, int port) throws IOException {
        this.targetHost = host;
        this.targetPort = port;
        this.port = RunningDromedary.freePort();
        restore();
    }

    /** A proxy to the host and port of {@code url} (http://host:port, or postgresql://host:port/db). */
    public static ServiceOutage inFrontOf(String url) throws IOException {
        java.net.URI address = java.net.URI.create(url.startsWith("jdbc:") ? url.substring("jdbc:".length()) : url);
        return new ServiceOutage(address.getHost(), address.getPort());
    }

    /** The proxy's address, in place of the service's: {@code http://127.0.0.1:<port>}. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The service is gone: no new connection is accepted, and the open ones are closed. */
    public synchronized void cut() throws IOException {
        if (listener != null) {
            listener.close();
            listener = null;
        }
        for (Socket socket : open) {
            socket.close();
        }
        open.clear();
    }

    /** The service is back, on the same port. */
    public synchronized void restore() throws IOException {
        if (listener != null) {
            return;
        }
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        listener = socket;
        Thread accepting = new Thread(() -> accept(socket), "outage-proxy-" + port);
        accepting.setDaemon(true);
        accepting.start();
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Socket service = new Socket(targetHost, targetPort);
                open.add(client);
                open.add(service);
                pipe(client, service);
                pipe(service, client);
            } catch (IOException e) {
                // closed by cut(), or the service refused: the client sees its connection end
            }
        }
    }

    private void pipe(Socket from, Socket to) {
        Thread copying = new Thread(() -> {
            byte[] buffer = new byte[65_536];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (SocketException e) {
                // one side closed
            } catch (IOException e) {
                // one side failed
            } finally {
                close(from);
                close(to);
            }
        }, "outage-pipe-" + port);
        copying.setDaemon(true);
        copying.start();
    }

    private void close(Socket socket) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        cut();
    }
}
