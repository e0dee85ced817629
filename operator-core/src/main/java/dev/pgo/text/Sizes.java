package dev.pgo.text;

import java.util.Locale;

/** Byte counts for people: 512B, 3.4MiB, 1.2GiB. */
public final class Sizes {
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

    private Sizes() {
    }

    /** 1.5GiB-style sizes; "-" for a size that is not known. */
    public static String human(long bytes) {
        if (bytes < 0) {
            return "-";
        }
        if (bytes < 1024) {
            return bytes + "B";
        }
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, value >= 100 ? "%.0f%s" : "%.1f%s", value, UNITS[unit]);
    }
}
