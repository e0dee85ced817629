package dev.pgo.api.v1;

/** Where a cluster is in its life, as status.phase says it. */
public enum Phase {
    Creating, Running, Updating, Failed, Deleting
}
