package dev.threatip.intel;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Downloads one URL into one cache file, politely and safely: a conditional GET from the
 * previous copy's validators, retries with exponential backoff and jitter for transient failures
 * (5xx, 429, timeouts, lost connections), and a body that replaces the old copy only once it
 * arrived whole: streamed to a temp file beside the target, checked against Content-Length and
 * the size limit, then renamed over the target atomically. Anything less leaves the old copy
 * untouched, byte for byte.
 */
final class HttpFetcher {
    /** The longest Retry-After honoured: a feed refresh must not hang a compile for an hour. */
    static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);

    /** What one fetch came to. */
    sealed interface Outcome permits Downloaded, NotModified, Failed {
    }

    /** A new copy is at the target; {@code meta} describes it. */
    record Downloaded(CacheMeta meta) implements Outcome {
    }

    /** The server confirmed the previous copy; {@code meta} carries the new date and validators. */
    record NotModified(CacheMeta meta) implements Outcome {
    }

    /** No usable answer; the target is as it was. {@code problem} is one line for the operator. */
    record Failed(String problem) implements Outcome {
    }

    /** One attempt: either the end of the fetch or a transient failure worth another try. */
    private sealed interface Attempt permits Final, Retry {
    }

    private record Final(Outcome outcome) implements Attempt {
    }

    private record Retry(String reason, Duration retryAfter) implements Attempt {
    }

    private final HttpClient client;
    private final FeedSource.FetchSettings settings;
    private final FeedSource.Sleeper sleeper;
    private final Clock clock;

    HttpFetcher(HttpClient client, FeedSource.FetchSettings settings, FeedSource.Sleeper sleeper, Clock clock) {
        this.client = client;
        this.settings = settings;
        this.sleeper = sleeper;
        this.clock = clock;
    }

    /**
     * Fetches {@code url} into {@code target}.
     *
     * @param previous  the meta of the copy at {@code target}, or null for an unconditional GET
     * @param userAgent the User-Agent to send
     */
    Outcome fetch(URI url, Path target, CacheMeta previous, String userAgent) {
        for (int attempt = 1; ; attempt++) {
            Attempt a = attemptOnce(url, target, previous, userAgent);
            if (a instanceof Final f) {
                return f.outcome();
            }
            Retry r = (Retry) a;
            if (attempt >= settings.maxAttempts()) {
                return new Failed(summary(r.reason(), attempt));
            }
            try {
                sleeper.sleep(backoff(attempt, r.retryAfter()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Failed(r.reason() + "; interrupted while waiting to retry");
            }
        }
    }

    private static String summary(String reason, int attempts) {
        if (attempts == 1) {
            return reason;
        }
        // "HTTP 500 after 3 attempts" reads well; "timed out after 60s after 3 attempts" does not
        return reason.startsWith("HTTP ") ? reason + " after " + attempts + " attempts"
                : reason + " (" + attempts + " attempts)";
    }

    /** initialBackoff × 2^(attempt-1) plus up to half again of jitter, or the server's Retry-After. */
    private Duration backoff(int attempt, Duration retryAfter) {
        if (retryAfter != null) {
            return retryAfter.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : retryAfter;
        }
        long base = settings.initialBackoff().toMillis() << Math.min(attempt - 1, 16);
        // jitter spreads the retries of many instances hit by the same outage
        return Duration.ofMillis(base + ThreadLocalRandom.current().nextLong(base / 2 + 1));
    }

    private Attempt attemptOnce(URI url, Path target, CacheMeta previous, String userAgent) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).GET()
                .timeout(settings.requestTimeout())
                .header("User-Agent", userAgent)
                .header("Accept-Encoding", "gzip");
        if (previous != null && previous.etag() != null) {
            request.header("If-None-Match", previous.etag());
        }
        if (previous != null && previous.lastModified() != null) {
            request.header("If-Modified-Since", previous.lastModified());
        }
        Path tmp;
        try {
            Files.createDirectories(target.getParent());
            tmp = Files.createTempFile(target.getParent(), ".fetch-", ".part");
        } catch (IOException e) {
            return new Final(new Failed("cannot write to the cache: " + e));
        }
        BodyToFile body = new BodyToFile(tmp, settings.maxBytes());
        try {
            HttpResponse<Long> response = await(client.sendAsync(request.build(), body), body);
            return answer(url, target, previous, response, body, tmp);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Final(new Failed("interrupted"));
        } catch (TimeoutException e) {
            return new Retry("timed out after " + DurationText.format(settings.requestTimeout()), null);
        } catch (ExecutionException e) {
            return failure(url, unwrap(e), body);
        } catch (IOException e) {
            return new Final(new Failed("cannot write to the cache: " + e));
        } finally {
            body.abort(null);
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                // a stray .part file is harmless; the next fetch uses a new temp name
            }
        }
    }

    /**
     * Waits for the whole response while data keeps coming: the request timeout bounds the
     * silence before the headers and between two chunks of the body (a large feed on a slow link
     * may take longer than that overall; a stalled one may not).
     */
    private HttpResponse<Long> await(CompletableFuture<HttpResponse<Long>> future, BodyToFile body)
            throws InterruptedException, ExecutionException, TimeoutException {
        long idle = settings.requestTimeout().toNanos();
        while (true) {
            long wait = body.lastProgress + idle - System.nanoTime();
            if (wait <= 0) {
                body.abort(new HttpTimeoutException("no data for " + DurationText.format(settings.requestTimeout())));
                future.cancel(true);
                throw new TimeoutException();
            }
            try {
                return future.get(wait, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                // data may have arrived meanwhile; the loop re-checks the idle time
            }
        }
    }

    private Attempt answer(URI url, Path target, CacheMeta previous, HttpResponse<Long> response,
                           BodyToFile body, Path tmp) throws IOException {
        int status = response.statusCode();
        HttpHeaders headers = response.headers();
        if (status == 304) {
            if (previous == null) {
                return new Final(new Failed("HTTP 304 to an unconditional request"));
            }
            return new Final(new NotModified(previous.confirmed(clock.instant(),
                    headers.firstValue("ETag").orElse(null), headers.firstValue("Last-Modified").orElse(null))));
        }
        if (status == 200) {
            long written = response.body();
            OptionalLong declared = headers.firstValueAsLong("Content-Length");
            if (declared.isPresent() && written != declared.getAsLong()) {
                return new Retry("body truncated: " + written + " of " + declared.getAsLong() + " bytes", null);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return new Final(new Downloaded(new CacheMeta(url.toString(), headers.firstValue("ETag").orElse(null),
                    headers.firstValue("Last-Modified").orElse(null), clock.instant(), written, body.sha256())));
        }
        if (status == 429 || status >= 500) {
            return new Retry("HTTP " + status, retryAfter(headers));
        }
        return new Final(new Failed("HTTP " + status));
    }

    private static Duration retryAfter(HttpHeaders headers) {
        // only the delta-seconds form; an HTTP-date falls back to our own backoff
        String v = headers.firstValue("Retry-After").orElse("").strip();
        return v.matches("\\d{1,9}") ? Duration.ofSeconds(Long.parseLong(v)) : null;
    }

    private Attempt failure(URI url, Throwable cause, BodyToFile body) {
        if (cause instanceof Refused r) {
            return new Final(new Failed(r.getMessage()));
        }
        if (cause instanceof HttpConnectTimeoutException) {
            return new Retry("connect timed out after " + DurationText.format(settings.connectTimeout()), null);
        }
        if (cause instanceof HttpTimeoutException) {
            return new Retry("timed out after " + DurationText.format(settings.requestTimeout()), null);
        }
        if (cause instanceof ConnectException) {
            return new Retry("cannot connect to " + url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : ""), null);
        }
        if (cause instanceof IOException) {
            if (body.declared >= 0 && body.written < body.declared) {
                return new Retry("body truncated: " + body.written + " of " + body.declared + " bytes", null);
            }
            return new Retry("connection failed: " + (cause.getMessage() != null ? cause.getMessage()
                    : cause.getClass().getSimpleName()), null);
        }
        return new Final(new Failed("request failed: " + cause));
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** A response that retrying will not fix (too large, an encoding we did not ask for). */
    private static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;

        Refused(String why) {
            super(why);
        }
    }

    /**
     * Streams a 200 body into the temp file as it arrives, counting bytes against the limit and
     * hashing them; any other status has its body discarded. The body is stored as sent: with
     * {@code Content-Encoding: gzip} that is the gzip stream, which {@link FeedInput} decodes by
     * its magic bytes, so a {@code .gz} feed is never decoded twice.
     */
    private static final class BodyToFile implements HttpResponse.BodyHandler<Long> {
        private final Path tmp;
        private final long maxBytes;
        private final MessageDigest sha = sha256Digest();
        volatile long lastProgress = System.nanoTime();
        volatile long declared = -1;
        volatile long written;
        private volatile Flow.Subscription subscription;
        private volatile FileChannel channel;
        private final CompletableFuture<Long> result = new CompletableFuture<>();

        BodyToFile(Path tmp, long maxBytes) {
            this.tmp = tmp;
            this.maxBytes = maxBytes;
        }

        @Override
        public HttpResponse.BodySubscriber<Long> apply(HttpResponse.ResponseInfo info) {
            lastProgress = System.nanoTime();
            if (info.statusCode() != 200) {
                return HttpResponse.BodySubscribers.replacing(0L);
            }
            declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
            String encoding = info.headers().firstValue("Content-Encoding").orElse("identity")
                    .strip().toLowerCase(Locale.ROOT);
            Refused refusal = null;
            if (!encoding.equals("identity") && !encoding.equals("gzip")) {
                refusal = new Refused("unsupported Content-Encoding '" + encoding + "'");
            } else if (declared > maxBytes) {
                refusal = new Refused("body of " + declared + " bytes exceeds the limit of " + maxBytes);
            }
            return new Subscriber(refusal);
        }

        String sha256() {
            return HexFormat.of().formatHex(sha.digest());
        }

        /** Stops the download (when {@code why} is non-null, the result fails with it) and closes the file. */
        void abort(Throwable why) {
            Flow.Subscription s = subscription;
            if (s != null && why != null) {
                s.cancel();
            }
            if (why != null) {
                result.completeExceptionally(why);
            }
            closeChannel();
        }

        private void closeChannel() {
            FileChannel c = channel;
            if (c != null) {
                try {
                    c.close();
                } catch (IOException e) {
                    // closing after a failure; the temp file is deleted anyway
                }
            }
        }

        private final class Subscriber implements HttpResponse.BodySubscriber<Long> {
            private final Refused refusal;

            Subscriber(Refused refusal) {
                this.refusal = refusal;
            }

            @Override
            public CompletableFuture<Long> getBody() {
                return result;
            }

            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                if (refusal != null) {
                    abort(refusal);
                    return;
                }
                try {
                    channel = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                } catch (IOException e) {
                    abort(e);
                    return;
                }
                s.request(1);
            }

            @Override
            public void onNext(List<ByteBuffer> items) {
                try {
                    for (ByteBuffer b : items) {
                        long total = written + b.remaining();
                        if (total > maxBytes) {
                            abort(new Refused("body exceeds the limit of " + maxBytes + " bytes"));
                            return;
                        }
                        sha.update(b.duplicate());
                        while (b.hasRemaining()) {
                            channel.write(b);
                        }
                        written = total;
                    }
                } catch (IOException e) {
                    abort(e);
                    return;
                }
                lastProgress = System.nanoTime();
                subscription.request(1);
            }

            @Override
            public void onError(Throwable t) {
                closeChannel();
                result.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                try {
                    // on disk before the rename, so a crash cannot leave a renamed but empty copy
                    channel.force(false);
                    channel.close();
                    result.complete(written);
                } catch (IOException e) {
                    result.completeExceptionally(e);
                }
            }
        }

        private static MessageDigest sha256Digest() {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has SHA-256", e);
            }
        }
    }
}
