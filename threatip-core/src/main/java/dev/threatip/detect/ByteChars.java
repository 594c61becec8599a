package dev.threatip.detect;

/**
 * A reusable {@link CharSequence} view of bytes (one char per byte, ISO-8859-1), so a
 * {@link java.util.regex.Matcher} can be reset onto a field without building a String.
 */
final class ByteChars implements CharSequence {
    private byte[] b;
    private int from;
    private int len;

    ByteChars set(byte[] b, int from, int to) {
        this.b = b;
        this.from = from;
        this.len = b == null ? 0 : Math.max(0, to - from);
        return this;
    }

    @Override
    public int length() {
        return len;
    }

    @Override
    public char charAt(int index) {
        return (char) (b[from + index] & 0xFF);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return new ByteChars().set(b, from + start, from + end);
    }

    @Override
    public String toString() {
        return len == 0 ? "" : new String(b, from, len, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
