package com.zed.platform;

import java.time.Instant;
import java.util.Optional;

/** What the service manager says about a service. */
public record ServiceStatus(String name, boolean active, String state, long mainPid, Optional<Instant> since,
                            int restarts) { }
