package dev.threatip.gateway;

import dev.threatip.net.IpAddress;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A block page template compiled once per policy: its text split at the placeholders
 * ({@code {{request_id}}}, {@code {{client_ip}}}, {@code {{rule}}}, {@code {{status}}}) into
 * UTF-8 byte runs, so a block writes those runs and the request's values straight into one pooled
 * buffer — no template scan, no {@code String} per request. Each placeholder is filled once, in a
 * single pass (a value that looks like a placeholder stays as it is); other {@code {{...}}} text is
 * kept. Values are HTML-escaped; the request id (hex) and the address (digits, dots, colons and
 * hex) need none. Immutable: shared by every event loop.
 */
final class BlockPage {
    private static final String[] NAMES = {"request_id", "client_ip", "rule", "status"};
    private static final int REQUEST_ID = 0;
    private static final int CLIENT_IP = 1;
    private static final int RULE = 2;
    private static final int STATUS = 3;

    private final byte[][] literals; // literals[i] precedes slots[i]; the last literal ends the page
    private final int[] slots;
    private final int literalBytes;

    BlockPage(String template) {
        List<byte[]> lits = new ArrayList<>();
        List<Integer> sl = new ArrayList<>();
        int from = 0;
        int at = 0;
        while ((at = template.indexOf("{{", at)) >= 0) {
            int slot = slotAt(template, at);
            if (slot < 0) {
                at += 2;
                continue;
            }
            lits.add(template.substring(from, at).getBytes(StandardCharsets.UTF_8));
            sl.add(slot);
            at += NAMES[slot].length() + 4;
            from = at;
        }
        lits.add(template.substring(from).getBytes(StandardCharsets.UTF_8));
        this.literals = lits.toArray(byte[][]::new);
        this.slots = sl.stream().mapToInt(Integer::intValue).toArray();
        int n = 0;
        for (byte[] l : literals) {
            n += l.length;
        }
        this.literalBytes = n;
    }

    private static int slotAt(String t, int at) {
        for (int i = 0; i < NAMES.length; i++) {
            String name = NAMES[i];
            if (t.startsWith(name, at + 2) && t.startsWith("}}", at + 2 + name.length())) {
                return i;
            }
        }
        return -1;
    }

    /** The page for one blocked request, in a buffer from {@code alloc} the caller owns. */
    ByteBuf render(ByteBufAllocator alloc, String requestId, IpAddress client, String rule, int status) {
        ByteBuf b = alloc.buffer(literalBytes + 64 * slots.length);
        for (int i = 0; i < slots.length; i++) {
            b.writeBytes(literals[i]);
            switch (slots[i]) {
                case REQUEST_ID -> ByteBufUtil.writeAscii(b, requestId);
                case CLIENT_IP -> ByteBufUtil.writeAscii(b, client.toString());
                case RULE -> ByteBufUtil.writeUtf8(b, Pages.html(rule));
                case STATUS -> ByteBufUtil.writeAscii(b, Integer.toString(status));
                default -> throw new IllegalStateException("slot " + slots[i]);
            }
        }
        b.writeBytes(literals[literals.length - 1]);
        return b;
    }
}
