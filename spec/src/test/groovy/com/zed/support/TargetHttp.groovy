package com.zed.support

import com.zed.exec.Connector

import java.nio.charset.StandardCharsets
import java.time.Duration

/** A plain HTTP GET sent from the target's side (through a Connector): "STATUS BODY". For specs only. */
class TargetHttp {
    static String get(Connector connector, int port, String path, Duration timeout = Duration.ofSeconds(5)) {
        def c = connector.open('127.0.0.1', port, timeout)
        try {
            c.readTimeout(timeout)
            c.output().write("GET $path HTTP/1.1\r\nHost: 127.0.0.1:$port\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII))
            c.output().flush()
            String text = new String(c.input().readAllBytes(), StandardCharsets.UTF_8)
            String status = text.readLines()[0].split(' ')[1]
            String body = text.substring(text.indexOf('\r\n\r\n') + 4)
            "$status ${body.trim()}"
        } finally {
            c.close()
        }
    }
}
