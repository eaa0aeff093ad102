package com.zed.beam;

import com.zed.exec.Connector;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP GET of {@code url}, sent from the target (through its {@link Connector}), must answer
 * {@code status}; redirects are not followed (a 302 is a 302) and the body is not read.
 *
 * <p>A minimal HTTP/1.1 client over the connector's byte stream ({@code java.net.http} cannot use
 * another transport): one request with {@code Connection: close}, then the status line is all it
 * reads. A fresh connection per run. For https the TLS session runs over the same stream (JSSE
 * layered on {@link ConnectionSocket}), verified against the JVM's trust store and the url's host name.
 */
public final class HttpCheck extends AbstractHealthCheck {

    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.[01] (\\d{3})(?: .*)?");
    private static final int MAX_STATUS_LINE = 8192;

    private final URI url;
    private final int status;
    private final String displayUrl;
    private final Connector connector;
    private final String host;
    private final int port;
    private final boolean tls;
    private final javax.net.ssl.SSLSocketFactory tlsFactory;

    /** Connects from this host. */
    public HttpCheck(String url, int status, Duration timeout) {
        this(url, status, timeout, Connector.direct());
    }

    public HttpCheck(String url, int status, Duration timeout, Connector connector) {
        this(url, status, timeout, connector, (javax.net.ssl.SSLSocketFactory) javax.net.ssl.SSLSocketFactory.getDefault());
    }

    /** With the TLS socket factory (trust store) to use for https urls. */
    HttpCheck(String url, int status, Duration timeout, Connector connector, javax.net.ssl.SSLSocketFactory tlsFactory) {
        super(timeout);
        this.url = URI.create(url);
        String scheme = this.url.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("http check needs an http:// or https:// url, got " + safe(url));
        }
        this.tls = "https".equalsIgnoreCase(scheme);
        this.tlsFactory = tlsFactory;
        if (this.url.getHost() == null) {
            throw new IllegalArgumentException("http check url has no host: " + safe(url));
        }
        this.status = status;
        this.displayUrl = safe(url);
        this.connector = java.util.Objects.requireNonNull(connector, "connector");
        this.host = this.url.getHost();
        this.port = this.url.getPort() != -1 ? this.url.getPort() : tls ? 443 : 80;
    }

    /** Never show user:password from the url. */
    private static String safe(String url) {
        URI u;
        try {
            u = URI.create(url);
        } catch (IllegalArgumentException e) {
            return "(unparsable url)";
        }
        return u.getRawUserInfo() == null ? url : url.replace(u.getRawUserInfo() + "@", "***@");
    }

    @Override
    String probe(Deadline deadline, Bounded.Guard guard) throws Exception {
        try (Connector.Connection c = guard.register(connector.open(host, port, deadline.remaining()))) {
            c.readTimeout(deadline.remaining());
            OutputStream out;
            InputStream in;
            if (tls) {
                javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) tlsFactory.createSocket(
                        new ConnectionSocket(c), host, port, true);
                guard.register(s);
                javax.net.ssl.SSLParameters p = s.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                s.setSSLParameters(p);
                s.startHandshake();
                out = s.getOutputStream();
                in = s.getInputStream();
            } else {
                out = c.output();
                in = c.input();
            }
            out.write(request().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String line = statusLine(in);
            Matcher m = STATUS_LINE.matcher(line);
            if (!m.matches()) {
                return "not an HTTP answer (status line '" + cut(line) + "')";
            }
            int got = Integer.parseInt(m.group(1));
            return got == status ? null : "HTTP " + got + " (expected " + status + ")";
        } catch (EOFException e) {
            return "the server closed the connection without answering";
        } catch (javax.net.ssl.SSLException e) {
            if (isTimeout(e)) {
                return deadline.timeoutReason();
            }
            return "TLS failed: " + oneLine(e);
        }
    }

    String request() {
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        if (url.getRawQuery() != null) {
            path += "?" + url.getRawQuery();
        }
        String hostHeader = (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host)
                + (url.getPort() == -1 ? "" : ":" + port);
        return "GET " + path + " HTTP/1.1\r\n"
                + "Host: " + hostHeader + "\r\n"
                + "User-Agent: zed-health\r\n"
                + "Accept: */*\r\n"
                + "Connection: close\r\n"
                + "\r\n";
    }

    /** The first line of the answer, without its CRLF. */
    static String statusLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (line.size() < MAX_STATUS_LINE) {
            int b = in.read();
            if (b < 0) {
                if (line.size() == 0) {
                    throw new EOFException();
                }
                break;
            }
            if (b == '\n') {
                break;
            }
            line.write(b);
        }
        String s = line.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    private static String cut(String s) {
        String v = s.replaceAll("\\p{Cntrl}", "?");
        return v.length() <= 60 ? v : v.substring(0, 57) + "...";
    }

    @Override
    public String describe() {
        return "http " + displayUrl;
    }
}
