package dev.threatip.cli;

import dev.threatip.log.ClientIpResolver;
import dev.threatip.net.Cidr;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** How to read access logs: the options {@code scan} and {@code explain} share (a picocli mixin). */
final class LogReadingOptions {
    @Option(names = "--format", paramLabel = "auto|NAME", defaultValue = "auto",
            description = "Log format, or auto to detect it (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--log-format", paramLabel = "STRING", description = "An nginx log_format or Apache LogFormat string.")
    String logFormat;

    @Option(names = "--ip-field", paramLabel = "NAME", description = "Field holding the client address (JSON logs; dotted paths).")
    String ipField;

    @Option(names = "--trusted-proxy", paramLabel = "CIDR",
            description = "Proxy whose X-Forwarded-For / X-Real-IP / CF-Connecting-IP is believed (repeatable).")
    List<String> trustedProxies = new ArrayList<>();

    /**
     * The client-IP resolver for {@code --trusted-proxy}: with none, forwarding headers are ignored.
     *
     * @throws IllegalArgumentException naming the option and the bad network
     */
    ClientIpResolver resolver() {
        List<Cidr> trusted = new ArrayList<>();
        for (String t : trustedProxies) {
            try {
                trusted.add(Cidr.parse(t.strip()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--trusted-proxy: " + e.getMessage(), e);
            }
        }
        return ClientIpResolver.trusting(trusted);
    }
}
