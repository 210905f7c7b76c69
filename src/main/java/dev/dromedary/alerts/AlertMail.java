package dev.dromedary.alerts;

import dev.dromedary.app.Settings;
import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.List;
import java.util.Properties;

/**
 * E-mail notices through SMTP_HOST and SMTP_PORT, with STARTTLS, TLS or neither (SMTP_TLS), authenticated only when
 * SMTP_USER is set. Jakarta Mail directly: camel-mail logs in with whatever user it is given, an empty one included,
 * and a relay that takes mail without credentials refuses that.
 */
public final class AlertMail {

    private final Session session;
    private final boolean configured;

    public AlertMail(Settings settings) {
        String host = settings.text("SMTP_HOST");
        configured = !host.isEmpty();
        Properties properties = new Properties();
        properties.put("mail.smtp.host", host);
        properties.put("mail.smtp.port", settings.text("SMTP_PORT"));
        properties.put("mail.smtp.connectiontimeout", settings.text("ALERT_TIMEOUT_MS"));
        properties.put("mail.smtp.timeout", settings.text("ALERT_TIMEOUT_MS"));
        properties.put("mail.smtp.writetimeout", settings.text("ALERT_TIMEOUT_MS"));
        String tls = settings.text("SMTP_TLS");
        switch (tls) {
            case "starttls" -> properties.put("mail.smtp.starttls.required", "true");
            case "tls" -> properties.put("mail.smtp.ssl.enable", "true");
            case "none" -> { }
            default -> throw new IllegalArgumentException("SMTP_TLS is starttls, tls or none, not '" + tls + "'");
        }
        String user = settings.text("SMTP_USER");
        Authenticator login = null;
        if (!user.isEmpty()) {
            properties.put("mail.smtp.auth", "true");
            String password = settings.text("SMTP_PASSWORD");
            login = new Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    return new PasswordAuthentication(user, password);
                }
            };
        }
        session = Session.getInstance(properties, login);
    }

    /** Sends one message; its Message-ID is the notice's, so that a mail client shows a notice sent twice once. */
    void send(String from, List<String> to, String subject, String text, String noticeId) throws MessagingException {
        if (!configured) {
            throw new MessagingException("SMTP_HOST is not set");
        }
        MimeMessage message = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", "<" + noticeId + "@dromedary>");
            }
        };
        message.setFrom(new InternetAddress(from));
        for (String address : to) {
            message.addRecipient(Message.RecipientType.TO, new InternetAddress(address));
        }
        message.setSubject(subject, "UTF-8");
        message.setText(text, "UTF-8");
        message.setHeader("X-Dromedary-Alert-Id", noticeId);
        Transport.send(message);
    }
}
