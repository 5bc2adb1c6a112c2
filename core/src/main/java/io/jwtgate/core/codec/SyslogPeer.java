package io.jwtgate.core.codec;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;

/**
 * A syslog server as {@code access_log syslog:...} and {@code error_log syslog:...} name it
 * ({@code server=addr[:port],facility=,severity=,tag=,nohostname}), and the UDP datagrams nginx sends it: RFC 3164,
 * {@code <PRI>Mmm dd hh:mm:ss hostname tag: message}, the time local and without a year, no newline at the end
 * (docs/operations.md#syslog).
 *
 * <p>Sending never blocks: the socket is a connected, non-blocking UDP socket, opened at the first message. A failed
 * send closes it, and the next message opens a new one, as nginx does (a syslog server restarted, a route changed).
 * Safe for use by several threads.
 */
public final class SyslogPeer {

    /** nginx's facility names, in code order ({@code local7} is 23). */
    static final List<String> FACILITIES = List.of("kern", "user", "mail", "daemon", "auth", "intern", "lpr", "news",
            "uucp", "clock", "authpriv", "ftp", "ntp", "audit", "alert", "cron", "local0", "local1", "local2",
            "local3", "local4", "local5", "local6", "local7");
    /** nginx's severity names, in code order: its error-log level words ({@code error}, not {@code err}). */
    static final List<String> SEVERITIES = List.of("emerg", "alert", "crit", "error", "warn", "notice", "info",
            "debug");
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
        "Nov", "Dec"};
    private static final int MAX_TAG = 32;
    private static final int DEFAULT_PORT = 514;

    private final InetSocketAddress server;
    private final int facility;
    private final int severity;
    private final String tag;
    private final boolean hostname;
    private DatagramChannel channel;

    private SyslogPeer(InetSocketAddress server, int facility, int severity, String tag, boolean hostname) {
        this.server = server;
        this.facility = facility;
        this.severity = severity;
        this.tag = tag;
        this.hostname = hostname;
    }

    /** Whether a log destination names a syslog server rather than a file. */
    public static boolean isSyslog(String destination) {
        return destination.startsWith("syslog:");
    }

    /**
     * Reads {@code syslog:...} as nginx's {@code ngx_syslog_process_conf}: defaults {@code local7}, {@code info},
     * tag {@code nginx}, port 514.
     *
     * @throws IllegalArgumentException with nginx's words, such as {@code no syslog server specified}
     */
    public static SyslogPeer parse(String destination) {
        InetSocketAddress server = null;
        int facility = -1;
        int severity = -1;
        String tag = null;
        boolean hostname = true;
        for (String p : destination.substring("syslog:".length()).split(",", -1)) {
            if (p.startsWith("server=")) {
                if (server != null) {
                    throw new IllegalArgumentException("duplicate syslog \"server\"");
                }
                server = address(p.substring(7));
            } else if (p.startsWith("facility=")) {
                if (facility >= 0) {
                    throw new IllegalArgumentException("duplicate syslog \"facility\"");
                }
                facility = FACILITIES.indexOf(p.substring(9));
                if (facility < 0) {
                    throw new IllegalArgumentException("unknown syslog facility \"" + p.substring(9) + "\"");
                }
            } else if (p.startsWith("severity=")) {
                if (severity >= 0) {
                    throw new IllegalArgumentException("duplicate syslog \"severity\"");
                }
                severity = SEVERITIES.indexOf(p.substring(9));
                if (severity < 0) {
                    throw new IllegalArgumentException("unknown syslog severity \"" + p.substring(9) + "\"");
                }
            } else if (p.startsWith("tag=")) {
                if (tag != null) {
                    throw new IllegalArgumentException("duplicate syslog \"tag\"");
                }
                tag = tag(p.substring(4));
            } else if (p.equals("nohostname")) {
                hostname = false;
            } else {
                throw new IllegalArgumentException("unknown syslog parameter \"" + p + "\"");
            }
        }
        if (server == null) {
            throw new IllegalArgumentException("no syslog server specified");
        }
        return new SyslogPeer(server, facility < 0 ? 23 : facility, severity < 0 ? 6 : severity,
                tag == null ? "nginx" : tag, hostname);
    }

    /** RFC 3164: at most 32 characters; nginx allows letters, digits and underscores. */
    private static String tag(String tag) {
        if (tag.length() > MAX_TAG) {
            throw new IllegalArgumentException("syslog tag length exceeds 32");
        }
        for (int i = 0; i < tag.length(); i++) {
            char c = Character.toLowerCase(tag.charAt(i));
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c == '_')) {
                throw new IllegalArgumentException("syslog \"tag\" only allows alphanumeric characters and underscore");
            }
        }
        return tag;
    }

    /** {@code host[:port]}, {@code [v6][:port]}; a name is resolved now, to its first address, as nginx does. */
    private static InetSocketAddress address(String url) {
        if (url.startsWith("unix:")) {
            // the JDK has no Unix datagram sockets: nginx's unix:/dev/log cannot be offered
            throw new IllegalArgumentException("unix sockets are not supported in syslog server \"" + url + "\"");
        }
        String host = url;
        int port = DEFAULT_PORT;
        int colon = url.lastIndexOf(':');
        if (colon >= 0 && (url.charAt(0) != '[' || url.lastIndexOf(']') < colon)) {
            port = portOf(url, url.substring(colon + 1));
            host = url.substring(0, colon);
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("no host in syslog server \"" + url + "\"");
        }
        InetSocketAddress a = new InetSocketAddress(host, port);
        if (a.isUnresolved()) {
            throw new IllegalArgumentException("host not found in syslog server \"" + url + "\"");
        }
        return a;
    }

    private static int portOf(String url, String digits) {
        int port = -1;
        if (!digits.isEmpty() && digits.length() <= 5 && digits.chars().allMatch(Character::isDigit)) {
            port = Integer.parseInt(digits);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("invalid port in syslog server \"" + url + "\"");
        }
        return port;
    }

    /** The {@code severity=} given, or {@code info}: an access log's lines; an error log's have their level's. */
    public int severity() {
        return severity;
    }

    /** The severity of an nginx error-log level word ({@code warn} is 4), or -1. */
    public static int severityOf(String level) {
        return SEVERITIES.indexOf(level);
    }

    /** The PRI and HEADER parts, up to the message: {@code <190>Dec  7 21:19:51 host nginx: }. */
    public String header(int lineSeverity) {
        ZonedDateTime t = ZonedDateTime.now(ZoneId.systemDefault());
        StringBuilder sb = new StringBuilder(64).append('<').append(facility * 8 + lineSeverity).append('>')
                .append(MONTHS[t.getMonthValue() - 1]).append(' ');
        if (t.getDayOfMonth() < 10) {
            sb.append(' ');
        }
        sb.append(t.getDayOfMonth()).append(' ')
                .append(String.format(Locale.ROOT, "%02d:%02d:%02d", t.getHour(), t.getMinute(), t.getSecond()))
                .append(' ');
        if (hostname) {
            sb.append(HostName.NAME).append(' ');
        }
        return sb.append(tag).append(": ").toString();
    }

    /**
     * Sends one datagram.
     *
     * @throws IOException when it could not be sent (the next call tries with a new socket)
     */
    public void send(byte[] datagram) throws IOException {
        DatagramChannel ch = channel();
        try {
            int n = ch.write(ByteBuffer.wrap(datagram));
            if (n != datagram.length) {
                throw new IOException("sent only " + n + " of " + datagram.length + " bytes");
            }
        } catch (IOException e) {
            closeChannel(ch);
            throw e;
        }
    }

    private synchronized DatagramChannel channel() throws IOException {
        if (channel == null) {
            DatagramChannel ch = DatagramChannel.open();
            try {
                ch.configureBlocking(false);
                ch.connect(server);
            } catch (IOException e) {
                ch.close();
                throw e;
            }
            channel = ch;
        }
        return channel;
    }

    private synchronized void closeChannel(DatagramChannel ch) {
        if (channel == ch) {
            channel = null;
        }
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing a UDP socket that failed: nothing left to release or report
        }
    }

    /** Closes the socket (the configuration that uses it is gone). */
    public void close() {
        DatagramChannel ch;
        synchronized (this) {
            ch = channel;
        }
        if (ch != null) {
            closeChannel(ch);
        }
    }
}
