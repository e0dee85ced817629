package dev.pgo.sql;

/** PostgreSQL write-ahead log positions ("16/B374D848") as byte offsets. */
public final class Lsn {
    private Lsn() {
    }

    public static long toBytes(String lsn) {
        if (lsn == null || lsn.isEmpty()) {
            return -1;
        }
        int slash = lsn.indexOf('/');
        return (Long.parseLong(lsn.substring(0, slash), 16) << 32) | Long.parseLong(lsn.substring(slash + 1), 16);
    }
}
