package dev.threatip.log;

import java.util.Random;

/** Random but well-formed combined-format lines for property tests: the shapes real traffic and attackers produce. */
final class CombinedLines {
    private static final String[] METHODS = {"GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PROPFIND"};
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    private static final String TEXT = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/%&=+;:,!*()[]{}<>$#@|' éü日本";

    private CombinedLines() {
    }

    static String line(Random r, boolean withXff) {
        StringBuilder sb = new StringBuilder();
        sb.append(ip(r)).append(" - ").append(r.nextInt(4) == 0 ? "user" + r.nextInt(100) : "-").append(" [");
        sb.append(String.format("%02d/%s/%d:%02d:%02d:%02d %s%02d%02d", 1 + r.nextInt(28), MONTHS[r.nextInt(12)],
                1995 + r.nextInt(40), r.nextInt(24), r.nextInt(60), r.nextInt(60), r.nextBoolean() ? "+" : "-",
                r.nextInt(14), r.nextInt(4) * 15));
        sb.append("] \"");
        switch (r.nextInt(10)) {
            case 0 -> sb.append('-');
            case 1 -> sb.append("\\x16\\x03\\x01\\x00");
            case 2 -> sb.append(METHODS[r.nextInt(METHODS.length)]).append(' ').append(text(r, 1 + r.nextInt(30)).replace(" ", ""));
            default -> {
                sb.append(METHODS[r.nextInt(METHODS.length)]).append(" /").append(text(r, r.nextInt(60)).replace(" ", ""));
                if (r.nextBoolean()) {
                    sb.append('?').append(text(r, r.nextInt(40)).replace(" ", "+"));
                }
                sb.append(" HTTP/1.").append(r.nextInt(2));
            }
        }
        sb.append("\" ").append(100 + r.nextInt(500)).append(' ');
        sb.append(r.nextInt(5) == 0 ? "-" : Integer.toString(r.nextInt(1_000_000)));
        sb.append(" \"").append(r.nextBoolean() ? "-" : "https://" + text(r, r.nextInt(50))).append("\" \"");
        sb.append(r.nextInt(8) == 0 ? "-" : text(r, r.nextInt(120))).append('"');
        if (withXff) {
            sb.append(" \"").append(r.nextBoolean() ? "-" : ip(r) + ", " + ip(r)).append('"');
        }
        return sb.toString();
    }

    static String ip(Random r) {
        if (r.nextInt(4) == 0) {
            return String.format("2001:db8:%x::%x", r.nextInt(0x10000), r.nextInt(0x10000));
        }
        return r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256);
    }

    /** Text with the escapes loggers write: {@code \"} and {@code \\}, never a bare quote. */
    static String text(Random r, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int k = r.nextInt(60);
            if (k == 0) {
                sb.append("\\\"");
            } else if (k == 1) {
                sb.append("\\\\");
            } else {
                sb.append(TEXT.charAt(r.nextInt(TEXT.length())));
            }
        }
        return sb.toString();
    }
}
