package dev.threatip.ingest;

/**
 * Where the message part of one syslog frame lies, or why the frame carries none.
 *
 * <p>Offsets point into the array the frame was parsed from, so the receiver copies exactly the
 * access-log line and nothing else. A malformed frame has {@code start == end} and a
 * {@code problem}.
 *
 * @param kind which header the frame had
 * @param priority the PRI value (facility × 8 + severity), or -1 for a bare line or malformed frame
 * @param start first byte of the message part
 * @param end one past its last byte (trailing {@code \n}, {@code \r\n} and NUL removed)
 * @param problem why the frame is malformed; null otherwise
 */
record SyslogMessage(Kind kind, int priority, int start, int end, String problem) {

    /** The header a frame was recognised by. */
    enum Kind {
        /** {@code <PRI>Mmm dd hh:mm:ss HOST TAG: MSG}, the BSD form nginx sends. */
        RFC3164,
        /** {@code <PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG}. */
        RFC5424,
        /** No {@code <PRI>}: the whole frame is the message. */
        BARE,
        /** No message could be taken from it; see {@link SyslogMessage#problem()}. */
        MALFORMED
    }

    static SyslogMessage malformed(String problem) {
        return new SyslogMessage(Kind.MALFORMED, -1, 0, 0, problem);
    }
}
