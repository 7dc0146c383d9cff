package dev.isonet.internal.ns;

import dev.isonet.internal.cgroups.Limits;
import java.nio.file.Path;

/** What makes a node a container beyond its namespaces: a root filesystem (or null) and resource limits. */
public record ContainerOptions(Path rootfs, Limits limits) {
    public static final ContainerOptions NONE = new ContainerOptions(null, Limits.NONE);

    public boolean any() {
        return rootfs != null || limits.any();
    }
}
