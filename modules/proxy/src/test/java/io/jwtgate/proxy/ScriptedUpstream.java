package io.jwtgate.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An upstream on a plain socket that reads each request head and then runs a script on the connection (answer a
 * 101 and echo, stay silent, close...), one thread per connection. It records each head, and what each script
 * reports (such as when it saw the connection close). No HTTP library between the wire and the test.
 */
final class ScriptedUpstream implements AutoCloseable {

    /** What to do on a connection after its request head. */
    interface Script {
        void run(Socket s, InputStream in, OutputStream out, ScriptedUpstream upstream) throws IOException;
    }

    private final ServerSocket socket;
    private final Script script;
    private final BlockingQueue<String> heads = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();

    private ScriptedUpstream(ServerSocket socket, Script script) {
        this.socket = socket;
        this.script = script;
    }

    static ScriptedUpstream start(Script script) throws IOException {
        ScriptedUpstream u = new ScriptedUpstream(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), script);
        Thread t = new Thread(u::accept, "scripted-upstream");
        t.setDaemon(true);
        t.start();
        return u;
    }

    /** Answers {@code answer} and then copies every byte back until the client closes; reports {@code eof}. */
    static Script echoAfter(String answer) {
        return (s, in, out, u) -> {
            out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                out.flush();
            }
            u.report("eof");
        };
    }

    int port() {
        return socket.getLocalPort();
    }

    /** The next request head received (ISO-8859-1, up to and with the blank line), or null after {@code wait}. */
    String takeHead(Duration wait) throws InterruptedException {
        return heads.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The next event a script reported, or null after {@code wait}. */
    String takeEvent(Duration wait) throws InterruptedException {
        return events.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    void report(String event) {
        events.add(event);
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                Thread t = new Thread(() -> serve(s), "scripted-upstream-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed by close()
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setSoTimeout(30_000);
            InputStream in = s.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    return;
                }
                head.write(b);
                matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
            }
            heads.add(head.toString(StandardCharsets.ISO_8859_1));
            script.run(s, in, s.getOutputStream(), this);
        } catch (IOException e) {
            events.add("error " + e.getMessage());
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
