package dev.threatip.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A client that writes bytes as given — malformed, pipelined, trickled — and reads what comes back. */
final class RawHttp implements AutoCloseable {
    final Socket socket;
    final OutputStream out;
    final InputStream in;

    RawHttp(int port, int readTimeoutMillis) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(readTimeoutMillis);
        out = socket.getOutputStream();
        in = socket.getInputStream();
    }

    void send(String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Everything until the gateway closes the connection (or the read timeout, which fails). */
    String readToClose() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int r;
        while ((r = in.read(buf)) > 0) {
            b.write(buf, 0, r);
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    /** Reads until {@code marker} has been seen {@code times} times; what was read. */
    String readUntil(String marker, int times) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (count(b.toString(StandardCharsets.ISO_8859_1), marker) < times) {
            int r = in.read(buf);
            if (r < 0) {
                break;
            }
            b.write(buf, 0, r);
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    /** Whether the peer closed the connection (a read returns end of stream). */
    boolean closedByPeer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    static int count(String s, String m) {
        int n = 0;
        for (int i = s.indexOf(m); i >= 0; i = s.indexOf(m, i + m.length())) {
            n++;
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
