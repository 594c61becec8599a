package dev.threatip.alert;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Date;
import java.util.Properties;

/**
 * E-mail over SMTP with Jakarta Mail (Angus): {@code multipart/alternative} with a text and an
 * HTML part, {@code Message-ID: <threatip-alert-ID@threatip>} and {@code X-Threatip-Alert-Id}
 * (the same on every retry, so mail filters and humans can spot a repeat). With
 * {@code starttls} (the default) the session requires STARTTLS and verifies the server's
 * certificate and name before authenticating: a server that does not offer STARTTLS is an error,
 * never a silent downgrade to plain text. The password is read from its file on every attempt,
 * so rotating it needs no restart.
 */
final class SmtpChannel implements Channel {
    private final ChannelSpec.Smtp spec;
    private final Duration timeout;

    SmtpChannel(ChannelSpec.Smtp spec, Duration timeout) {
        this.spec = spec;
        this.timeout = timeout;
    }

    @Override
    public ChannelSpec spec() {
        return spec;
    }

    @Override
    public void send(Outgoing m) throws MessagingException, IOException {
        Session session = Session.getInstance(properties());
        MimeMessage msg = new AlertMessage(session, m.id());
        msg.setFrom(new InternetAddress(spec.from(), true));
        for (String to : spec.to()) {
            msg.addRecipient(Message.RecipientType.TO, new InternetAddress(to, true));
        }
        msg.setSubject(AlertText.subject(m.alert()), "UTF-8");
        msg.setSentDate(Date.from(m.now()));
        msg.setHeader(WebhookChannel.ALERT_ID, Long.toString(m.id()));
        MimeMultipart alternative = new MimeMultipart("alternative");
        MimeBodyPart text = new MimeBodyPart();
        text.setText(AlertText.text(m.alert()), "UTF-8", "plain");
        MimeBodyPart html = new MimeBodyPart();
        html.setText(AlertText.html(m.alert()), "UTF-8", "html");
        alternative.addBodyPart(text);
        alternative.addBodyPart(html);
        msg.setContent(alternative);
        msg.saveChanges();
        try (Transport t = session.getTransport("smtp")) {
            if (spec.username() != null) {
                t.connect(spec.host(), spec.port(), spec.username(), password());
            } else {
                t.connect(spec.host(), spec.port(), null, null);
            }
            t.sendMessage(msg, msg.getAllRecipients());
        }
    }

    private Properties properties() {
        String ms = Long.toString(timeout.toMillis());
        Properties p = new Properties();
        p.put("mail.smtp.host", spec.host());
        p.put("mail.smtp.port", Integer.toString(spec.port()));
        p.put("mail.smtp.connectiontimeout", ms);
        p.put("mail.smtp.timeout", ms);
        p.put("mail.smtp.writetimeout", ms);
        p.put("mail.smtp.auth", Boolean.toString(spec.username() != null));
        if (spec.starttls()) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
            p.put("mail.smtp.ssl.checkserveridentity", "true");
        }
        return p;
    }

    private String password() throws IOException {
        String text = Files.readString(spec.passwordFile(), StandardCharsets.UTF_8);
        int nl = text.indexOf('\n');
        return (nl < 0 ? text : text.substring(0, nl)).strip();
    }

    /** A message whose Message-ID is derived from the outbox id instead of a random one. */
    private static final class AlertMessage extends MimeMessage {
        private final long id;

        AlertMessage(Session session, long id) {
            super(session);
            this.id = id;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", "<threatip-alert-" + id + "@threatip>");
        }
    }
}
