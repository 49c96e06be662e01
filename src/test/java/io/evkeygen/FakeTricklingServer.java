package io.evkeygen;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A FAKE of a remote store that never finishes an answer: an HTTP/1.1 server on 127.0.0.1 that
 * answers every request at once with {@code 200} and headers announcing a 1 MB body, then sends the
 * body one space every 100 ms, for ever (well inside any read timeout; JSON and XML parsers alike
 * wait for more after white space). Only an overall deadline ends such a call.
 */
public final class FakeTricklingServer implements AutoCloseable {
    private final ServerSocket socket;
    private final AtomicInteger requests = new AtomicInteger();

    public FakeTricklingServer() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::accept, "fake-trickling-accept");
        accept.setDaemon(true);
        accept.start();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }

    /** Requests answered so far. */
    public int requests() {
        return requests.get();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                Thread t = new Thread(() -> trickle(s), "fake-trickling-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void trickle(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            skipHeaders(in);
            requests.incrementAndGet();
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n"
                    + "x-amz-request-id: trickle\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            while (!socket.isClosed()) {
                Thread.sleep(100);
                out.write(' ');
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // the client gave up: what a deadline is for
        }
    }

    /** Reads up to the blank line ending the request headers (request bodies are left unread). */
    private static void skipHeaders(InputStream in) throws IOException {
        int state = 0;
        for (int b; state < 4 && (b = in.read()) >= 0; ) {
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
