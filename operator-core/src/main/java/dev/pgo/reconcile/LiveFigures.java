package dev.pgo.reconcile;

import dev.pgo.platform.Platform;
import dev.pgo.sql.ConnectionPools;
import dev.pgo.sql.ServerActivity;
import dev.pgo.validate.SpecValidator;

import java.util.Optional;

/**
 * Live figures of a cluster's primary for dashboards: asked over a pooled connection with the
 * probe's timeout, so a server that hangs costs one connect timeout and no more.
 */
public final class LiveFigures {
    private final Platform platform;
    private final ConnectionPools pools;

    public LiveFigures(Platform platform, ConnectionPools pools) {
        this.platform = platform;
        this.pools = pools;
    }

    /** The primary's activity; empty when the view has no observation or no primary that answers. */
    public Optional<ServerActivity> primaryActivity(LiveStatus.LiveView view) {
        ObservedCluster observed = view.observed();
        if (observed == null || observed.primary() == null) {
            return Optional.empty();
        }
        var primary = observed.instance(observed.primary()).filter(ObservedInstance::answers);
        var superuser = platform.secrets().get(view.cluster().name(), SpecValidator.SUPERUSER);
        if (primary.isEmpty() || superuser.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(pools.probe(primary.get().runtime().endpoint(), "postgres", superuser.get(),
                    ServerActivity::read));
        } catch (java.sql.SQLException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
