package dev.threatip.log;

/**
 * Event time from the bytes of a log line, to epoch milliseconds, without allocating: the
 * common log format's {@code 10/Oct/2000:13:55:36 -0700}, ISO-8601 / RFC 3339 (with or without
 * fraction, {@code T} or space, {@code Z} or offset, no zone meaning UTC), and epoch numbers in
 * seconds, milliseconds, microseconds or nanoseconds (told apart by magnitude), with an optional
 * fraction ({@code 1700000000.123}).
 */
public final class EventTime {
    /** Returned when the text is not a time this class reads. */
    public static final long INVALID = Long.MIN_VALUE;

    private static final long MILLIS_PER_DAY = 86_400_000L;

    private EventTime() {
    }

    /** Parses any of the supported forms. */
    public static long parse(byte[] b, int from, int to) {
        if (to - from >= 20 && b[from + 2] == '/') {
            return parseClf(b, from, to);
        }
        if (to - from >= 10 && b[from + 4] == '-') {
            return parseIso(b, from, to);
        }
        return parseEpoch(b, from, to);
    }

    /** {@code dd/Mon/yyyy:HH:mm:ss ±hhmm} (the zone may be absent: UTC). */
    public static long parseClf(byte[] b, int from, int to) {
        if (to - from < 20 || b[from + 2] != '/' || b[from + 6] != '/' || b[from + 11] != ':'
                || b[from + 14] != ':' || b[from + 17] != ':') {
            return INVALID;
        }
        int day = digits2(b, from);
        int month = month(b[from + 3], b[from + 4], b[from + 5]);
        int year = digits4(b, from + 7);
        int hh = digits2(b, from + 12);
        int mm = digits2(b, from + 15);
        int ss = digits2(b, from + 18);
        int offset = 0;
        int i = from + 20;
        if (i < to && b[i] == ' ') {
            i++;
        }
        if (i < to) {
            offset = zoneMinutes(b, i, to);
            if (offset == Integer.MIN_VALUE) {
                return INVALID;
            }
        }
        return compose(year, month, day, hh, mm, ss, 0, offset);
    }

    /** {@code yyyy-MM-dd[T ]HH:mm:ss[.fff…][Z|±hh:mm|±hhmm]}; a bare date is midnight UTC. */
    public static long parseIso(byte[] b, int from, int to) {
        int len = to - from;
        if (len < 10 || b[from + 4] != '-' || b[from + 7] != '-') {
            return INVALID;
        }
        int year = digits4(b, from);
        int month = digits2(b, from + 5);
        int day = digits2(b, from + 8);
        if (len == 10) {
            return compose(year, month, day, 0, 0, 0, 0, 0);
        }
        if (len < 19 || (b[from + 10] != 'T' && b[from + 10] != ' ') || b[from + 13] != ':' || b[from + 16] != ':') {
            return INVALID;
        }
        int hh = digits2(b, from + 11);
        int mm = digits2(b, from + 14);
        int ss = digits2(b, from + 17);
        int i = from + 19;
        int millis = 0;
        if (i < to && (b[i] == '.' || b[i] == ',')) {
            i++;
            int scale = 100;
            int start = i;
            while (i < to && b[i] >= '0' && b[i] <= '9') {
                millis += (b[i] - '0') * scale;
                scale /= 10;
                i++;
            }
            if (i == start) {
                return INVALID;
            }
        }
        int offset = 0;
        if (i < to) {
            if (b[i] == 'Z' || b[i] == 'z') {
                if (i + 1 != to) {
                    return INVALID;
                }
            } else {
                offset = zoneMinutes(b, i, to);
                if (offset == Integer.MIN_VALUE) {
                    return INVALID;
                }
            }
        }
        return compose(year, month, day, hh, mm, ss, millis, offset);
    }

    /** Epoch seconds (≤ 11 digits), milliseconds (≤ 14), microseconds (≤ 17) or nanoseconds, optionally with a fraction. */
    public static long parseEpoch(byte[] b, int from, int to) {
        int dot = from;
        while (dot < to && b[dot] != '.') {
            dot++;
        }
        long whole = Decimal.parse(b, from, dot);
        if (whole == Decimal.INVALID) {
            return INVALID;
        }
        int digits = dot - from;
        long millis;
        if (digits <= 11) {
            millis = whole * 1000;
            if (dot < to) {
                int scale = 100;
                for (int i = dot + 1; i < to; i++) {
                    int d = b[i] - '0';
                    if (d < 0 || d > 9) {
                        return INVALID;
                    }
                    millis += d * scale;
                    scale /= 10;
                }
            }
            return millis;
        }
        if (dot < to) {
            return INVALID;
        }
        if (digits <= 14) {
            return whole;
        }
        return digits <= 17 ? whole / 1000 : whole / 1_000_000;
    }

    private static int zoneMinutes(byte[] b, int i, int to) {
        int sign = b[i] == '+' ? 1 : b[i] == '-' ? -1 : 0;
        if (sign == 0) {
            return Integer.MIN_VALUE;
        }
        int len = to - i;
        int hh;
        int mm;
        if (len == 5) {
            hh = digits2(b, i + 1);
            mm = digits2(b, i + 3);
        } else if (len == 6 && b[i + 3] == ':') {
            hh = digits2(b, i + 1);
            mm = digits2(b, i + 4);
        } else if (len == 3) {
            hh = digits2(b, i + 1);
            mm = 0;
        } else {
            return Integer.MIN_VALUE;
        }
        if (hh < 0 || mm < 0 || hh > 23 || mm > 59) {
            return Integer.MIN_VALUE;
        }
        return sign * (hh * 60 + mm);
    }

    private static long compose(int year, int month, int day, int hh, int mm, int ss, int millis, int offsetMinutes) {
        if (year < 1970 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31 || hh < 0 || hh > 23
                || mm < 0 || mm > 59 || ss < 0 || ss > 60) {
            return INVALID;
        }
        long days = daysFromCivil(year, month, day);
        return days * MILLIS_PER_DAY + ((hh * 60L + mm) * 60 + ss) * 1000 + millis - offsetMinutes * 60_000L;
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's civil-from-days inverse). */
    static long daysFromCivil(int y, int m, int d) {
        y -= m <= 2 ? 1 : 0;
        long era = (y >= 0 ? y : y - 399) / 400;
        long yoe = y - era * 400;
        long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
    }

    private static int digits2(byte[] b, int i) {
        int a = b[i] - '0';
        int c = b[i + 1] - '0';
        return (a < 0 || a > 9 || c < 0 || c > 9) ? -100 : a * 10 + c;
    }

    private static int digits4(byte[] b, int i) {
        int hi = digits2(b, i);
        int lo = digits2(b, i + 2);
        return hi < 0 || lo < 0 ? -1 : hi * 100 + lo;
    }

    private static int month(byte a, byte b, byte c) {
        int key = ((a | 0x20) << 16) | ((b | 0x20) << 8) | (c | 0x20);
        return switch (key) {
            case ('j' << 16) | ('a' << 8) | 'n' -> 1;
            case ('f' << 16) | ('e' << 8) | 'b' -> 2;
            case ('m' << 16) | ('a' << 8) | 'r' -> 3;
            case ('a' << 16) | ('p' << 8) | 'r' -> 4;
            case ('m' << 16) | ('a' << 8) | 'y' -> 5;
            case ('j' << 16) | ('u' << 8) | 'n' -> 6;
            case ('j' << 16) | ('u' << 8) | 'l' -> 7;
            case ('a' << 16) | ('u' << 8) | 'g' -> 8;
            case ('s' << 16) | ('e' << 8) | 'p' -> 9;
            case ('o' << 16) | ('c' << 8) | 't' -> 10;
            case ('n' << 16) | ('o' << 8) | 'v' -> 11;
            case ('d' << 16) | ('e' << 8) | 'c' -> 12;
            default -> -1;
        };
    }
}
