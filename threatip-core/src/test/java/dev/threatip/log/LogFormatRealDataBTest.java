package dev.threatip.log;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real logs in the shared data folder ({@code ../../shared/data} from the module, or
 * {@code /work/shared/data}): at least 99.9% of their data lines (directives excluded) parse as
 * events with a client address. Skipped when the folder is absent.
 */
class LogFormatRealDataBTest {
    static Stream<Arguments> samples() {
        return Stream.of(
                Arguments.of("aws-alb", "logs/aws/aws_alb_nlb_sample.log"),
                Arguments.of("aws-cloudfront", "logs/aws/aws_cloudfront_sample.log"),
                Arguments.of("w3c", "logs/iis/w3c_iis_big.log"),
                Arguments.of("zeek", "logs/zeek/zeek_http.log"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("samples")
    void parse_realSample_parsesAtLeast999PerMille(String format, String relative) throws IOException {
        Path file = dataDir().map(d -> d.resolve(relative)).filter(Files::isRegularFile).findFirst().orElse(null);
        assumeTrue(file != null, "shared data not present: " + relative);
        List<String> results = LogFormatGoldenBTest.parseAll(LogFormatGoldenBTest.FORMATS.get(format), Files.readAllBytes(file));
        long directives = results.stream().filter("DIRECTIVE"::equals).count();
        long malformed = results.stream().filter("MALFORMED"::equals).count();
        long events = results.stream().filter(r -> r.startsWith("EVENT")).count();
        long withClient = results.stream().filter(r -> r.startsWith("EVENT") && !r.startsWith("EVENT remote=- ")).count();
        System.out.printf("%s %s: %d lines, %d events (%d with client), %d directives, %d malformed%n",
                format, relative, results.size(), events, withClient, directives, malformed);
        long data = events + malformed;
        assertTrue(data > 0, "no data lines in " + file);
        assertTrue(withClient * 1000 >= data * 999, format + ": " + withClient + " of " + data + " data lines parsed with a client");
    }

    private static Stream<Path> dataDir() {
        return Stream.of(Path.of("../../shared/data"), Path.of("../../../shared/data"), Path.of("/work/shared/data"))
                .filter(Files::isDirectory);
    }
}
