package dev.threatip.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.threatip.net.IpAddress;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BlockPageTest {
    private static String render(BlockPage page, String id, String client, String rule, int status) {
        ByteBuf b = page.render(PooledByteBufAllocator.DEFAULT, id, IpAddress.parse(client), rule, status);
        try {
            return b.toString(StandardCharsets.UTF_8);
        } finally {
            b.release();
        }
    }

    /** The former renderer: a replace per placeholder over the whole template. */
    private static String replaced(String template, String id, String client, String rule, int status) {
        return template.replace("{{request_id}}", Pages.html(id)).replace("{{client_ip}}", Pages.html(client))
                .replace("{{rule}}", Pages.html(rule)).replace("{{status}}", Integer.toString(status));
    }

    @Test
    void operatorsPage_everyPlaceholderFilledAndEscaped_likeTheFormerReplace() {
        String template = "<!doctype html><title>Zugriff verweigert – {{status}}</title>\n"
                + "<p>Anfrage {{request_id}} von {{client_ip}} ({{rule}}), nochmals: {{request_id}}; {{unknown}} {{ {{status}}</p>";
        String rule = "bots<&>\"'";
        assertEquals(replaced(template, "4c1f0a9e2b7d3e61", "203.0.113.7", rule, 429),
                render(new BlockPage(template), "4c1f0a9e2b7d3e61", "203.0.113.7", rule, 429));
        assertEquals(replaced(template, "00f0000000000001", "2001:db8::7", "reputation", 403),
                render(new BlockPage(template), "00f0000000000001", "2001:db8::7", "reputation", 403));
    }

    @Test
    void builtInPage_showsStatusAndRequestId() {
        String page = render(new Pages(null).blocked(), "4c1f0a9e2b7d3e61", "203.0.113.7", "reputation", 403);
        assertEquals(true, page.contains("(HTTP 403)"), page);
        assertEquals(true, page.contains("<code>4c1f0a9e2b7d3e61</code>"), page);
        assertEquals(false, page.contains("{{"), page);
    }

    @Test
    void ruleIdThatLooksLikeAPlaceholder_staysAsWritten() {
        BlockPage page = new BlockPage("rule {{rule}} status {{status}}");
        assertEquals("rule {{status}} status 403", render(page, "01", "192.0.2.1", "{{status}}", 403));
    }

    @Test
    void templateWithoutPlaceholders_servedAsIs() {
        assertEquals("plain {{ page }}", render(new BlockPage("plain {{ page }}"), "01", "192.0.2.1", "r", 403));
        assertEquals("", render(new BlockPage(""), "01", "192.0.2.1", "r", 403));
    }
}
