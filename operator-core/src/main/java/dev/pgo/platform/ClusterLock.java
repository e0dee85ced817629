package dev.pgo.platform;

/** Held while one process works on a cluster; closing releases it. */
public interface ClusterLock extends AutoCloseable {
    @Override
    void close();
}
