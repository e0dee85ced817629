package dev.pgo.backup;

import dev.pgo.sql.Lsn;

import java.util.regex.Pattern;

/**
 * WAL file names: 8 hex digits of timeline, then the segment number as 16 hex digits. pgo
 * clusters keep initdb's 16 MB segments (the size is fixed at initdb and pgo does not change it).
 */
public final class WalSegments {
    public static final long SEGMENT_BYTES = 16L * 1024 * 1024;
    private static final Pattern SEGMENT = Pattern.compile("[0-9A-F]{24}(\\.partial)?");

    private WalSegments() {
    }

    public static boolean isSegment(String fileName) {
        return SEGMENT.matcher(fileName).matches();
    }

    /**
     * Whether a WAL file name starts with a segment's name: a segment, a partial one, or a
     * backup history file ({@code <segment>.<offset>.backup}), which is named after its segment.
     */
    public static boolean namesSegment(String fileName) {
        return fileName.length() >= 24 && isSegment(fileName.substring(0, 24));
    }

    /** The segment number a file name holds, whatever its timeline. */
    public static long segmentNumber(String fileName) {
        long high = Long.parseLong(fileName.substring(8, 16), 16);
        long low = Long.parseLong(fileName.substring(16, 24), 16);
        return high * 0x100 + low;
    }

    /** The file name of segment number {@code segment} on {@code timeline}. */
    public static String fileName(int timeline, long segment) {
        return String.format("%08X%08X%08X", timeline, segment / 0x100, segment % 0x100);
    }

    public static long segmentOf(String lsn) {
        return Lsn.toBytes(lsn) / SEGMENT_BYTES;
    }
}
