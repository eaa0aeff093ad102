package com.zed.beam;

import com.zed.exec.Connector;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A minimal epmd client (PORT_PLEASE2_REQ) with timeouts, on any port, over any {@link Connector}
 * (so epmd is asked on the target, through SSH). JInterface's own lookup uses a process-wide epmd
 * port ({@code OtpEpmd.useEpmdPort}) and sockets without a connect timeout; this one takes the port
 * per call and is bounded by the caller's deadline.
 */
final class Epmd {

    private static final int PORT_PLEASE2_REQ = 122;
    private static final int PORT2_RESP = 119;

    /** epmd answered, and the name is not registered: the node is not running. */
    static final class NotRegistered extends IOException {
        NotRegistered(String alive) {
            super(alive + " not registered");
        }
    }

    /** epmd did not answer the protocol: closed the connection, or answered something else. */
    static final class BadAnswer extends IOException {
        BadAnswer(String message) {
            super(message);
        }
    }

    /** epmd accepted the connection but did not answer in time. */
    static final class Silent extends java.net.SocketTimeoutException {
        Silent(String message) {
            super(message);
        }
    }

    private Epmd() {
    }

    /** The distribution port of {@code alive} as registered with epmd at {@code host:port}. */
    static int lookup(Connector connector, String host, int port, String alive, Deadline deadline,
                      Bounded.Guard guard) throws IOException {
        Connector.Connection c;
        try {
            c = guard.register(connector.open(host, port, deadline.remaining()));
        } catch (java.net.SocketTimeoutException e) {
            throw new Silent("no connection to epmd " + host + ":" + port);
        }
        try (c) {
            c.readTimeout(deadline.remaining());
            byte[] name = alive.getBytes(StandardCharsets.UTF_8);
            byte[] req = new byte[3 + name.length];
            req[0] = (byte) ((name.length + 1) >> 8);
            req[1] = (byte) (name.length + 1);
            req[2] = (byte) PORT_PLEASE2_REQ;
            System.arraycopy(name, 0, req, 3, name.length);
            OutputStream out = c.output();
            out.write(req);
            out.flush();
            DataInputStream in = new DataInputStream(c.input());
            int tag;
            int result;
            try {
                tag = in.readUnsignedByte();
                result = in.readUnsignedByte();
            } catch (EOFException e) {
                throw new BadAnswer("closed the connection without answering");
            } catch (java.net.SocketTimeoutException e) {
                throw new Silent("epmd " + host + ":" + port + " did not answer");
            }
            if (tag != PORT2_RESP) {
                throw new BadAnswer("not an epmd answer (first byte " + tag + ")");
            }
            if (result != 0) {
                throw new NotRegistered(alive);
            }
            try {
                return in.readUnsignedShort();
            } catch (EOFException e) {
                throw new BadAnswer("answer cut short");
            }
        }
    }
}
