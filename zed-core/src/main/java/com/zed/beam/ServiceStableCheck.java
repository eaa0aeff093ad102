package com.zed.beam;

import com.zed.platform.ServiceStatus;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The service must be active and must not have restarted: it fails when the service manager says it
 * is not active, or when its restart count or main PID differ from the previous run of this check.
 * Run by {@link HealthWaiter} (where any failure restarts the stability window) this means: active,
 * with the same restart count and main PID, for the whole window. The only check a release without
 * health checks gets; worth adding to the others too (it catches a crash loop that an HTTP check
 * happens to miss between restarts).
 *
 * <p>The status comes from a {@link Supplier}, e.g. {@code () -> platform.status("zed-tiny")}; it
 * may run a remote command, and is bounded by the check's timeout like every check.
 */
public final class ServiceStableCheck extends AbstractHealthCheck {

    private final String service;
    private final Supplier<ServiceStatus> status;
    private ServiceStatus previous;
    /** A watch's check: {@code previous} stays the baseline ({@link #since}). */
    private final boolean fixed;

    public ServiceStableCheck(String service, Supplier<ServiceStatus> status, Duration timeout) {
        this(service, status, timeout, null);
    }

    /**
     * @param baseline the status right after the service was started, to compare the first run with;
     *                 null = the first run only records what it sees
     */
    public ServiceStableCheck(String service, Supplier<ServiceStatus> status, Duration timeout, ServiceStatus baseline) {
        this(service, status, timeout, baseline, false);
    }

    private ServiceStableCheck(String service, Supplier<ServiceStatus> status, Duration timeout, ServiceStatus baseline,
                               boolean fixed) {
        super(timeout);
        this.service = Objects.requireNonNull(service, "service");
        this.status = Objects.requireNonNull(status, "status");
        this.previous = baseline;
        this.fixed = fixed;
    }

    /**
     * For a post-deploy watch: compares every round with {@code baseline}, never with the round before, so
     * a restart during the watch keeps failing every round after it (a release that restarts is failing).
     */
    public static ServiceStableCheck since(String service, Supplier<ServiceStatus> status, Duration timeout,
                                           ServiceStatus baseline) {
        return new ServiceStableCheck(service, status, timeout, Objects.requireNonNull(baseline, "baseline"), true);
    }

    @Override
    String probe(Deadline deadline, Bounded.Guard guard) {
        ServiceStatus now = status.get();
        ServiceStatus before;
        synchronized (this) {
            before = previous;
            if (!fixed) {
                previous = now.active() ? now : null;
            }
        }
        if (!now.active()) {
            return "service " + service + " is " + now.state() + " (not active)";
        }
        if (before == null) {
            return null;
        }
        if (now.restarts() != before.restarts()) {
            return "service " + service + " restarted (restart count " + before.restarts() + " -> " + now.restarts() + ")";
        }
        if (now.mainPid() != before.mainPid()) {
            return "service " + service + " restarted (main PID " + before.mainPid() + " -> " + now.mainPid() + ")";
        }
        return null;
    }

    @Override
    public String describe() {
        return "service " + service + " stays up";
    }
}
