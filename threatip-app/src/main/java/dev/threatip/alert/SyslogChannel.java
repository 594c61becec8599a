package dev.threatip.alert;

import dev.threatip.intel.CategoryVerdict;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * RFC 5424 syslog: {@code <PRI>1 TIMESTAMP HOSTNAME threatip PROCID alert [threatip@32473 id=..
 * policy=.. ip=.. verdict=.. level=.. count=.. categories=..] BOM MSG}, facility local0, severity
 * by level (high: crit, medium: warning, low: notice). Over UDP one datagram per message (RFC
 * 5426; delivered means sent — UDP has no acknowledgement); over TCP octet-counted frames
 * ({@code LEN SP MSG}, RFC 6587) on a connection per message, delivered when written and closed
 * cleanly. 32473 is the example enterprise number RFC 5612 reserves for documentation.
 */
final class SyslogChannel implements Channel {
    static final String SD_ID = "threatip@32473";
    private static final int FACILITY_LOCAL0 = 16;
    private static final int MAX_MSG_BYTES = 1800; // keeps a datagram within the 2048 bytes every receiver takes

    private final ChannelSpec.Syslog spec;
    private final Duration timeout;
    private final String hostname;
    private final String procId;

    SyslogChannel(ChannelSpec.Syslog spec, Duration timeout) {
        this.spec = spec;
        this.timeout = timeout;
        this.hostname = localHostname();
        this.procId = Long.toString(ProcessHandle.current().pid());
    }

    @Override
    public ChannelSpec spec() {
        return spec;
    }

    @Override
    public void send(Outgoing m) throws IOException {
        byte[] frame = format(m).getBytes(StandardCharsets.UTF_8);
        if (spec.transport() == ChannelSpec.Transport.UDP) {
            try (DatagramSocket socket = new DatagramSocket()) {
                socket.send(new DatagramPacket(frame, frame.length, InetAddress.getByName(spec.host()), spec.port()));
            }
            return;
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(spec.host(), spec.port()), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write((frame.length + " ").getBytes(StandardCharsets.US_ASCII));
            out.write(frame);
            out.flush();
            socket.shutdownOutput();
        }
    }

    /** The RFC 5424 message (without TCP framing). */
    String format(Outgoing m) {
        Alert a = m.alert();
        int severity = switch (a.level()) {
            case HIGH -> 2;
            case MEDIUM -> 4;
            case LOW -> 5;
        };
        StringBuilder cats = new StringBuilder();
        for (CategoryVerdict c : a.categories()) {
            cats.append(cats.length() == 0 ? "" : ",").append(c.category().wireName());
        }
        StringBuilder sb = new StringBuilder();
        sb.append('<').append(FACILITY_LOCAL0 * 8 + severity).append(">1 ")
                .append(m.now().truncatedTo(ChronoUnit.MILLIS)).append(' ')
                .append(hostname).append(" threatip ").append(procId).append(" alert [").append(SD_ID);
        param(sb, "id", Long.toString(m.id()));
        param(sb, "policy", a.policy());
        param(sb, "ip", a.ip().toString());
        param(sb, "verdict", a.verdict().wireName());
        param(sb, "level", a.level().wireName());
        param(sb, "count", Integer.toString(a.count()));
        param(sb, "categories", cats.toString());
        sb.append("] \uFEFF");
        byte[] msg = AlertText.syslog(a).getBytes(StandardCharsets.UTF_8);
        String text = AlertText.syslog(a);
        if (msg.length > MAX_MSG_BYTES) {
            text = new String(msg, 0, MAX_MSG_BYTES, StandardCharsets.UTF_8).replace("\uFFFD", "");
        }
        return sb.append(text).toString();
    }

    /** An SD-PARAM: {@code "}, {@code \} and {@code ]} escaped as RFC 5424 §6.3.3 says. */
    private static void param(StringBuilder sb, String name, String value) {
        sb.append(' ').append(name).append("=\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\' || c == ']') {
                sb.append('\\');
            }
            sb.append(c < 0x20 ? ' ' : c);
        }
        sb.append('"');
    }

    private static String localHostname() {
        try {
            String h = InetAddress.getLocalHost().getHostName();
            return h.isEmpty() || !h.chars().allMatch(c -> c > 32 && c < 127) || h.length() > 255 ? "-" : h;
        } catch (IOException e) {
            return "-";
        }
    }
}
