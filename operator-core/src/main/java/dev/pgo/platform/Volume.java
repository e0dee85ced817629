package dev.pgo.platform;

/**
 * A persistent volume claim: name, requested capacity, bytes used (-1 when unknown), its status
 * (Bound, Pending, Lost), storage class, who owns it, where its data lives (a directory, or the
 * bound PersistentVolume) and when it was created.
 */
public record Volume(String name, String capacity, long usedBytes, String status, String storageClass,
                     String cluster, String instance, String location, String created) {
}
