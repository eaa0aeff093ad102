package com.zed.beam;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** An HTTP GET of {@code url} must answer {@code status}; redirects are not followed (a 302 is a 302). */
public final class HttpCheck extends AbstractHealthCheck {

    private final URI url;
    private final int status;
    private final String displayUrl;
    // One client per check: it keeps its connection pool between retries; its threads are daemons.
    private final HttpClient client;

    public HttpCheck(String url, int status, Duration timeout) {
        super(timeout);
        this.url = URI.create(url);
        String scheme = this.url.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("http check needs an http:// or https:// url, got " + url);
        }
        this.status = status;
        // Never show user:password from the url.
        this.displayUrl = this.url.getUserInfo() == null ? url : url.replace(this.url.getRawUserInfo() + "@", "***@");
        this.client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout)
                .build();
    }

    @Override
    String probe(Deadline deadline, Bounded.Guard guard) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(url)
                .GET()
                .timeout(deadline.remaining().isZero() ? Duration.ofMillis(1) : deadline.remaining())
                .header("User-Agent", "zed-health")
                .build();
        // sendAsync + cancel on the Guard: HttpClient.send is not reliably interruptible.
        var future = client.sendAsync(req, HttpResponse.BodyHandlers.discarding());
        guard.register(() -> future.cancel(true));
        try {
            int got = future.get().statusCode();
            return got == status ? null : "HTTP " + got + " (expected " + status + ")";
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof java.net.ConnectException && c.getMessage() == null) {
                return diagnoseConnect(c, deadline, guard);
            }
            throw c instanceof Exception ex ? ex : e;
        }
    }

    /**
     * Java 17's HttpClient reports a refused connection or an unknown host as a bare ConnectException
     * with no message; find the real reason with a plain socket connect (same deadline).
     */
    private String diagnoseConnect(Throwable c, Deadline deadline, Bounded.Guard guard) {
        for (Throwable t = c; t != null; t = t.getCause()) {
            if (t instanceof java.nio.channels.UnresolvedAddressException) {
                return "unknown host " + url.getHost();
            }
        }
        int port = url.getPort() != -1 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
        try (java.net.Socket s = guard.register(new java.net.Socket())) {
            s.connect(new java.net.InetSocketAddress(url.getHost(), port), deadline.remainingMillisForSocket());
            return "cannot connect (the HTTP client gave no reason; a plain TCP connect works)";
        } catch (Exception e) {
            return networkReason(e, deadline);
        }
    }

    @Override
    public String describe() {
        return "http " + displayUrl;
    }
}
