package dev.threatip.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.threatip.intel.Category;
import dev.threatip.intel.CategoryVerdict;
import dev.threatip.intel.Confidence;
import dev.threatip.intel.ThreatLevel;
import dev.threatip.intel.Verdict;
import dev.threatip.net.IpAddress;
import dev.threatip.store.PathCount;
import jakarta.mail.BodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * E-mail through an in-process SMTP server (GreenMail) and RFC 5424 syslog to real UDP and TCP
 * listeners on loopback.
 */
class SmtpAndSyslogChannelTest {
    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(ServerSetupTest.SMTP)
            .withConfiguration(com.icegreen.greenmail.configuration.GreenMailConfiguration.aConfig()
                    .withUser("threatip@example.net", "threatip", "s3cret-smtp-pass"));

    static final Instant NOW = Instant.parse("2026-11-01T00:04:10Z");

    @TempDir
    Path dir;

    /** A scanner whose logged path and user agent try HTML injection. */
    static Alert hostileAlert() {
        IpAddress ip = IpAddress.parse("203.0.113.7");
        String url = "https://threatip.example.net/#/ip/203.0.113.7";
        return new Alert("scanners", AlertPolicy.Grouping.IP, ip, Verdict.Kind.MALICIOUS, ThreatLevel.HIGH,
                List.of(new CategoryVerdict(Category.WEB_ATTACK, Confidence.HIGH, "behavior", List.of("xss-probe"), List.of())),
                37, List.of(new PathCount("/search?q=<script>alert(1)</script>", 9), new PathCount("/.env", 4)),
                List.of("<img src=x onerror=alert(2)>"), NOW.minusSeconds(247), NOW, url, 1,
                List.of(new Alert.Member(ip, ThreatLevel.HIGH, 37, url)), NOW);
    }

    private ChannelSpec.Smtp smtp(boolean starttls) throws Exception {
        Path pw = Files.writeString(dir.resolve("smtp.pass"), "s3cret-smtp-pass\n");
        return new ChannelSpec.Smtp("mail", "127.0.0.1", ServerSetupTest.SMTP.getPort(), starttls, "threatip", pw,
                "threatip@example.net", List.of("soc@example.net", "oncall@example.net"));
    }

    @Test
    void smtp_sendsMultipartTextAndEscapedHtmlWithAuthAndAlertMessageId() throws Exception {
        Alert a = hostileAlert();
        Channel mail = Channel.of(smtp(false), AlertFixtures.fastRetries(3));
        mail.send(new Channel.Outgoing(42, a, AlertJson.write(a), NOW));

        assertTrue(MAIL.waitForIncomingEmail(5000, 2));
        MimeMessage m = MAIL.getReceivedMessages()[0];
        assertEquals("<threatip-alert-42@threatip>", m.getMessageID());
        assertEquals("42", m.getHeader("X-Threatip-Alert-Id", null));
        assertEquals("threatip@example.net", m.getFrom()[0].toString());
        assertEquals(2, m.getAllRecipients().length);
        assertEquals("[threatip] malicious high: 203.0.113.7 (web_attack (high)) - scanners", m.getSubject());
        MimeMultipart parts = (MimeMultipart) m.getContent();
        assertTrue(parts.getContentType().startsWith("multipart/alternative"), parts.getContentType());
        BodyPart text = parts.getBodyPart(0);
        BodyPart html = parts.getBodyPart(1);
        assertTrue(text.isMimeType("text/plain"));
        assertTrue(html.isMimeType("text/html"));
        String t = (String) text.getContent();
        assertTrue(t.contains("/search?q=<script>alert(1)</script>"), t); // plain text shows it as logged
        assertTrue(t.contains("https://threatip.example.net/#/ip/203.0.113.7"), t);
        String h = (String) html.getContent();
        assertFalse(h.contains("<script>"), h);
        assertFalse(h.contains("<img src=x"), h);
        assertTrue(h.contains("/search?q=&lt;script&gt;alert(1)&lt;/script&gt;"), h);
        assertTrue(h.contains("&lt;img src=x onerror=alert(2)&gt;"), h);
        assertTrue(h.contains("<a href=\"https://threatip.example.net/#/ip/203.0.113.7\">"), h);
        assertTrue(GreenMailUtil.getHeaders(m).contains("Message-ID: <threatip-alert-42@threatip>"));
    }

    @Test
    void smtp_withStarttlsRequired_refusesAServerThatDoesNotOfferIt() throws Exception {
        // GreenMail offers no STARTTLS: required STARTTLS must fail rather than send in clear text
        Alert a = hostileAlert();
        Channel mail = Channel.of(smtp(true), AlertFixtures.fastRetries(3));
        Exception e = assertThrows(Exception.class, () -> mail.send(new Channel.Outgoing(43, a, AlertJson.write(a), NOW)));
        assertTrue(DeliveryWorker.describe(e).contains("STARTTLS"), DeliveryWorker.describe(e));
        assertEquals(0, MAIL.getReceivedMessages().length);
    }

    @Test
    void syslog_udp_receivesOneRfc5424DatagramWithStructuredData() throws Exception {
        try (DatagramSocket listener = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout(5000);
            Channel siem = Channel.of(new ChannelSpec.Syslog("siem", "127.0.0.1", listener.getLocalPort(), ChannelSpec.Transport.UDP),
                    AlertFixtures.fastRetries(3));
            Alert a = hostileAlert();
            siem.send(new Channel.Outgoing(7, a, AlertJson.write(a), NOW));
            DatagramPacket p = new DatagramPacket(new byte[8192], 8192);
            listener.receive(p);
            assertRfc5424(new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8), 7);
        }
    }

    @Test
    void syslog_tcp_receivesOctetCountedRfc5424Frame() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            CompletableFuture<byte[]> got = CompletableFuture.supplyAsync(() -> {
                try (Socket s = listener.accept(); InputStream in = s.getInputStream()) {
                    ByteArrayOutputStream all = new ByteArrayOutputStream();
                    in.transferTo(all);
                    return all.toByteArray();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Channel siem = Channel.of(new ChannelSpec.Syslog("siem", "127.0.0.1", listener.getLocalPort(), ChannelSpec.Transport.TCP),
                    AlertFixtures.fastRetries(3));
            Alert a = hostileAlert();
            siem.send(new Channel.Outgoing(8, a, AlertJson.write(a), NOW));
            byte[] frame = got.get(5, TimeUnit.SECONDS);
            String text = new String(frame, StandardCharsets.UTF_8);
            int sp = text.indexOf(' ');
            int len = Integer.parseInt(text.substring(0, sp));
            assertEquals(frame.length - sp - 1, len, "octet count is the message's byte length");
            assertRfc5424(new String(frame, sp + 1, len, StandardCharsets.UTF_8), 8);
        }
    }

    private static void assertRfc5424(String msg, long id) {
        Matcher m = Pattern.compile("^<(\\d+)>1 (\\S+) (\\S+) threatip (\\d+) alert \\[threatip@32473 ([^\\]]*(?:\\\\][^\\]]*)*)\\] \uFEFF(.*)$",
                Pattern.DOTALL).matcher(msg);
        assertTrue(m.matches(), msg);
        assertEquals(16 * 8 + 2, Integer.parseInt(m.group(1)), "local0.crit for a high level");
        assertEquals("2026-11-01T00:04:10Z", m.group(2));
        String sd = m.group(5);
        assertTrue(sd.contains("id=\"" + id + "\""), sd);
        assertTrue(sd.contains("ip=\"203.0.113.7\""), sd);
        assertTrue(sd.contains("verdict=\"malicious\""), sd);
        assertTrue(sd.contains("level=\"high\""), sd);
        assertTrue(sd.contains("policy=\"scanners\""), sd);
        assertTrue(sd.contains("categories=\"web_attack\""), sd);
        assertTrue(m.group(6).contains("203.0.113.7"), m.group(6));
        assertFalse(m.group(6).contains("\n"));
    }
}
