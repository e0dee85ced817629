package dev.pgo.platform;

/** A persistent volume claim: name, requested capacity, bytes used, and who owns it. */
public record Volume(String name, String capacity, long usedBytes, String cluster, String instance,
                     String location, String created) {
}
