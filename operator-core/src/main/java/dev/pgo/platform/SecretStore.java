package dev.pgo.platform;

import dev.pgo.sql.Credentials;

import java.util.Optional;

/** Passwords of a cluster's roles: generated once, kept where only pgo can read them. */
public interface SecretStore {
    Optional<Credentials> get(String cluster, String role);

    /** The role's credentials, generating and storing a password the first time. */
    Credentials ensure(String cluster, String role);

    void deleteAll(String cluster);

    /**
     * Keeps the cluster's secrets after the cluster itself is gone (its volumes were kept), where
     * they would otherwise be deleted with it, as owned objects are on Kubernetes.
     */
    default void release(String cluster) {
    }
}
