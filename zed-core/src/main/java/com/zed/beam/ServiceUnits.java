package com.zed.beam;

import com.zed.platform.Sandbox;
import com.zed.platform.ServiceSpec;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The service of a BEAM release, confined: its own system user, a state directory in its dataset as the only
 * place it may write, the release read-only, the cookie as a credential. Pure functions of their parameters.
 *
 * <pre>
 * &lt;mountpoint&gt;/releases/&lt;v&gt;/   root:root, dirs and executables 755, files 644 (ReleaseUnpacker)
 * &lt;mountpoint&gt;/current          root's symlink to releases/&lt;v&gt;
 * &lt;mountpoint&gt;/state/           &lt;user&gt;:&lt;user&gt; 700: working directory, STATE_DIRECTORY, crash dumps
 * /tmp                         private to the unit (PrivateTmp): RELEASE_TMP
 * $HOME/.erlang.cookie         the credential (HOME = the unit's credentials directory), else HOME = state
 * </pre>
 */
public final class ServiceUnits {
    /** The state directory's name inside the app's dataset. */
    public static final String STATE = "state";

    private ServiceUnits() {
    }

    /** {@code zed-<app>}: the unit's name. */
    public static String service(String app) {
        return "zed-" + app;
    }

    /**
     * The app's system user: {@code zed-<app>} when that is a valid user name (lower case, at most 32
     * characters); otherwise a lower-cased prefix and 8 hex digits of the app name's SHA-256, so apps that
     * differ only in case or in {@code .} vs {@code _} never share a user.
     */
    public static String user(String app) {
        String plain = "zed-" + app;
        if (plain.matches("[a-z0-9_-]{1,32}")) {
            return plain;
        }
        String prefix = ("zed-" + app.toLowerCase(Locale.ROOT)).replaceAll("[^a-z0-9_-]", "_");
        prefix = prefix.substring(0, Math.min(prefix.length(), 32 - 9));
        return prefix + "-" + sha256(app).substring(0, 8);
    }

    /** {@code Zed app <app> (<dataset>)}: people read it in {@code systemctl status}, {@link #owner} reads it back. */
    static String description(String app, String owner) {
        return descriptionPrefix(app) + owner + ")";
    }

    private static String descriptionPrefix(String app) {
        return "Zed app " + app + " (";
    }

    /**
     * The dataset an installed unit of {@code app} was generated for, from its {@code Description=} line; empty
     * for a unit Zed did not write or wrote before units named their dataset.
     */
    public static Optional<String> owner(String unitText, String app) {
        String prefix = "Description=" + descriptionPrefix(app);
        for (String l : unitText.split("\n")) {
            String line = l.strip();
            if (line.startsWith(prefix) && line.endsWith(")") && line.length() > prefix.length() + 1) {
                return Optional.of(line.substring(prefix.length(), line.length() - 1).replace("%%", "%"));
            }
        }
        return Optional.empty();
    }

    /** {@code <mountpoint>/state}: owned by the app's user, the only place it may write. */
    public static String stateDirectory(String mountpoint) {
        return mountpoint + "/" + STATE;
    }

    /**
     * The app's confined service.
     *
     * @param app               the app (release) name: runs {@code <mountpoint>/current/bin/<app> start}
     * @param owner             the app's dataset, named in the unit's description ({@link #owner}): the unit is its
     * @param mountpoint        the app dataset's mountpoint
     * @param user              the user it runs as ({@link #user(String)}; created by {@code Platform.ensureUser})
     * @param stateDirectory    its working directory, the only path it may write ({@link #stateDirectory(String)};
     *                          created by {@code Platform.ensureStateDirectory})
     * @param distPort          the one Erlang distribution port of the node, if fixed (set on the start command only)
     * @param cookie            whether the node gets its cookie as a credential ({@code Platform.writeCookie}); then
     *                          {@code RELEASE_COOKIE} must NOT be in the environment file
     * @param bindLowPorts      whether it may bind ports below 1024
     * @param preCommandTimeout how long each pre-command may run before it is stopped and fails
     */
    public static ServiceSpec forApp(String app, String owner, String mountpoint, String user, String stateDirectory,
                                     OptionalInt distPort, boolean cookie, boolean bindLowPorts,
                                     Duration preCommandTimeout) {
        return forApp(service(app), app, owner, mountpoint, user, stateDirectory, distPort, cookie, bindLowPorts,
                preCommandTimeout);
    }

    /** {@link #forApp(String, String, String, String, String, OptionalInt, boolean, boolean, Duration)} named {@code service}. */
    public static ServiceSpec forApp(String service, String app, String owner, String mountpoint, String user,
                                     String stateDirectory, OptionalInt distPort, boolean cookie, boolean bindLowPorts,
                                     Duration preCommandTimeout) {
        var start = new ArrayList<String>();
        // The fixed distribution port applies to the node only: ERL_AFLAGS on the start command, not in the
        // shared environment, where `bin/app rpc/stop` helper nodes would fight for the port.
        distPort.ifPresent(p -> {
            start.add("/usr/bin/env");
            start.add("ERL_AFLAGS=-kernel inet_dist_listen_min " + p + " inet_dist_listen_max " + p);
        });
        start.add(mountpoint + "/current/bin/" + app);
        start.add("start");

        var env = new LinkedHashMap<String, String>();
        if (!cookie) {
            env.put("HOME", stateDirectory);
        }
        env.put("RELEASE_TMP", "/tmp");
        env.put("STATE_DIRECTORY", stateDirectory);
        var box = new Sandbox(user, env, List.of(stateDirectory), cookie, bindLowPorts, false, preCommandTimeout);
        // No ExecStop: SIGTERM makes the BEAM shut down gracefully (init:stop).
        return new ServiceSpec(service, description(app, owner), stateDirectory, start, List.of(), Optional.of(box));
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
