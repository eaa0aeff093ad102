package com.zed.exec;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.UserInfo;

import java.util.ArrayList;
import java.util.List;

/**
 * Strict host-key checking for one connection, as JSch's {@link HostKeyRepository}: the decision is
 * {@link HostKeys#check}; an unknown key is accepted (and written to the first known_hosts file) only
 * when {@code acceptNew} was asked for; a changed, revoked or other-type key is refused always. The
 * session runs with {@code StrictHostKeyChecking=yes}, so JSch itself never adds or replaces a key.
 * After a refusal, {@link #refusal()} is the message for the user.
 */
final class HostKeyCheck implements HostKeyRepository {
    private final HostKeys keys;
    private final String label;
    private final boolean acceptNew;
    private final boolean hashNew;
    private volatile String refusal;
    private volatile String accepted;

    /**
     * @param label how the user named the host, for messages (e.g. {@code zh2 (10.77.0.12)})
     */
    HostKeyCheck(HostKeys keys, String label, boolean acceptNew, boolean hashNew) {
        this.keys = keys;
        this.label = label;
        this.acceptNew = acceptNew;
        this.hashNew = hashNew;
    }

    /** Why the last key was refused (null when none was). */
    String refusal() {
        return refusal;
    }

    /** The line written for a newly accepted key, or null. */
    String accepted() {
        return accepted;
    }

    @Override
    public int check(String host, byte[] key) {
        String type = HostKeys.typeOf(key);
        HostKeys.Result r = keys.check(host, type, key);
        String fp = type + " " + HostKeys.fingerprint(key);
        String files = String.join(", ", keys.files().stream().map(Object::toString).toList());
        switch (r.verdict()) {
            case KNOWN:
                return OK;
            case UNKNOWN:
                if (acceptNew) {
                    keys.append(host, type, key, hashNew);
                    accepted = "accepted the new host key of " + label + ", " + fp + ", and added it to " + keys.files().get(0);
                    return OK;
                }
                refusal = "host key of " + label + " is not known: it offers " + fp + ", which is in none of "
                        + files + ". Compare that fingerprint with the host's own (ssh-keygen -lf"
                        + " /etc/ssh/ssh_host_" + shortType(type) + "_key.pub, run on the host); if it matches,"
                        + " connect once with --accept-new-host-key (SshSettings.acceptNewHostKeys), which adds it to "
                        + keys.files().get(0);
                return NOT_INCLUDED;
            case CHANGED:
                refusal = "HOST KEY CHANGED for " + label + ": it offers " + fp + ", but " + r.entry().where()
                        + " holds another " + type + " key for it (" + HostKeys.fingerprint(r.entry().key())
                        + "). Refused, and nothing was run: someone may be intercepting the connection. If the host"
                        + " was really reinstalled, remove the old line (ssh-keygen -R " + host + " -f "
                        + r.entry().file() + ") and verify the new key.";
                return CHANGED;
            case OTHER_TYPE:
                refusal = "host key of " + label + " does not match: it offers " + fp + ", but " + r.entry().where()
                        + " knows it only with a " + r.entry().type() + " key. Refused; add the " + type
                        + " key to known_hosts yourself once you have verified it.";
                return CHANGED;
            default:
                refusal = "host key of " + label + " (" + fp + ") is marked @revoked at " + r.entry().where() + ". Refused.";
                return CHANGED;
        }
    }

    @Override
    public void add(HostKey hostkey, UserInfo ui) {
        // JSch adds keys only under StrictHostKeyChecking=ask/no, never used here.
    }

    @Override
    public void remove(String host, String type) {
    }

    @Override
    public void remove(String host, String type, byte[] key) {
    }

    @Override
    public String getKnownHostsRepositoryID() {
        return keys.files().isEmpty() ? "known_hosts" : keys.files().get(0).toString();
    }

    @Override
    public HostKey[] getHostKey() {
        return new HostKey[0];
    }

    /**
     * The keys known for {@code host}: JSch asks before the key exchange, to prefer the key types that
     * are known (so a host known by its RSA key is asked for that one, not refused for offering ed25519).
     */
    @Override
    public HostKey[] getHostKey(String host, String type) {
        List<HostKey> out = new ArrayList<>();
        for (HostKeys.Entry e : keys.entriesFor(host)) {
            if (e.marker() == null && (type == null || e.type().equals(type))) {
                try {
                    out.add(new HostKey(host, HostKey.GUESS, e.key()));
                } catch (JSchException ignored) {
                    // a key type JSch does not know cannot be preferred
                }
            }
        }
        return out.toArray(new HostKey[0]);
    }

    private static String shortType(String type) {
        return switch (type) {
            case "ssh-ed25519" -> "ed25519";
            case "ssh-rsa" -> "rsa";
            default -> type.startsWith("ecdsa") ? "ecdsa" : type;
        };
    }
}
