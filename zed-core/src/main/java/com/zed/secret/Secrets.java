package com.zed.secret;

import com.zed.model.SecretRef;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves {@link SecretRef}s at apply time.
 *
 * <ul>
 *   <li>{@code env(NAME)}: the variable's value; unset or empty is an error naming the variable.</li>
 *   <li>{@code file(PATH)}: the file's UTF-8 content with one trailing newline ({@code \n} or
 *       {@code \r\n}) stripped; missing, unreadable, not a regular file, larger than 64 KiB, not
 *       UTF-8 or empty is an error naming the path. A file that group or others may read or write
 *       is resolved but gets a warning on {@link Secret#warnings()} (Kubernetes and Docker mount
 *       secrets 0644, so refusing would break common setups); {@link Policy#STRICT} refuses it,
 *       as {@code erl} does for {@code ~/.erlang.cookie}.</li>
 * </ul>
 * No message, warning or exception ever contains a secret's value.
 */
public final class Secrets {

    /** What to do with a secret file that group or others can access. */
    public enum Policy { WARN, STRICT }

    static final long MAX_FILE_BYTES = 64 * 1024;

    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private Secrets() {
    }

    /** Resolves against this process's environment, warning on loose file permissions. */
    public static Secret resolve(SecretRef ref) {
        return resolve(ref, System.getenv(), Policy.WARN);
    }

    /** Resolves against the given environment (specs inject one), warning on loose file permissions. */
    public static Secret resolve(SecretRef ref, Map<String, String> env) {
        return resolve(ref, env, Policy.WARN);
    }

    public static Secret resolve(SecretRef ref, Map<String, String> env, Policy policy) {
        if (ref instanceof SecretRef.Env e) {
            return fromEnv(e, env);
        }
        if (ref instanceof SecretRef.File f) {
            return fromFile(f, policy);
        }
        throw new IllegalArgumentException("unknown secret reference type: " + ref.getClass().getName());
    }

    private static Secret fromEnv(SecretRef.Env ref, Map<String, String> env) {
        String value = env.get(ref.name());
        if (value == null) {
            throw new SecretException(ref, "environment variable " + ref.name() + " is not set");
        }
        if (value.isEmpty()) {
            throw new SecretException(ref, "environment variable " + ref.name() + " is empty");
        }
        return new Secret(ref, value, List.of());
    }

    private static Secret fromFile(SecretRef.File ref, Policy policy) {
        Path path = Path.of(ref.path());
        List<String> warnings = new ArrayList<>();
        try {
            if (!Files.exists(path)) {
                throw new SecretException(ref, "file " + path + " does not exist");
            }
            if (!Files.isRegularFile(path)) {
                throw new SecretException(ref, path + " is not a regular file");
            }
            if (Files.size(path) > MAX_FILE_BYTES) {
                throw new SecretException(ref, "file " + path + " is larger than " + MAX_FILE_BYTES
                        + " bytes; not a secret file?");
            }
            String loose = looseMode(path);
            if (loose != null) {
                String msg = "file " + path + " is accessible by group/others (mode " + loose + "); chmod 600 it";
                if (policy == Policy.STRICT) {
                    throw new SecretException(ref, msg);
                }
                warnings.add(ref + ": " + msg);
            }
            byte[] bytes = Files.readAllBytes(path);
            String value;
            try {
                value = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                throw new SecretException(ref, "file " + path + " is not UTF-8 text");
            }
            value = stripOneNewline(value);
            if (value.isEmpty()) {
                throw new SecretException(ref, "file " + path + " is empty");
            }
            return new Secret(ref, value, warnings);
        } catch (NoSuchFileException e) {
            throw new SecretException(ref, "file " + path + " does not exist");
        } catch (AccessDeniedException e) {
            throw new SecretException(ref, "file " + path + " is not readable (permission denied)");
        } catch (IOException e) {
            throw new SecretException(ref, "file " + path + " cannot be read: " + e, e);
        }
    }

    static String stripOneNewline(String s) {
        if (s.endsWith("\r\n")) {
            return s.substring(0, s.length() - 2);
        }
        if (s.endsWith("\n")) {
            return s.substring(0, s.length() - 1);
        }
        return s;
    }

    /** The symbolic mode when group/others have any access; null when owner-only or not a POSIX file system. */
    private static String looseMode(Path path) throws IOException {
        Set<PosixFilePermission> perms;
        try {
            // Follows symlinks: Kubernetes mounts secrets as symlinks to the real files.
            perms = Files.getPosixFilePermissions(path);
        } catch (UnsupportedOperationException e) {
            return null;
        }
        for (PosixFilePermission p : perms) {
            if (GROUP_OR_OTHERS.contains(p)) {
                return PosixFilePermissions.toString(perms);
            }
        }
        return null;
    }
}
