package dev.pgo.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgo.PgoException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * Checks a tar-format base backup against its backup_manifest as pg_verifybackup checks a
 * directory: the manifest's own checksum, then every file's size and checksum, files missing
 * and files that should not be there. It reads the archives as a stream (decompressed on the
 * fly by the caller), so the check costs one read of the backup instead of writing an unpacked
 * copy to disk and reading that back. The WAL the backup needs is left to pg_waldump
 * ({@link #walRanges()}), as pg_verifybackup does.
 */
public final class ManifestCheck {
    /** What pg_verifybackup ignores by default: files the backup adds or the restore rewrites. */
    private static final Set<String> IGNORED = Set.of("backup_manifest", "pg_wal", "postgresql.auto.conf",
            "recovery.signal", "standby.signal");
    private static final int BLOCK = 512;
    private static final int MAX_PROBLEMS = 5;

    /** One file the manifest lists. */
    record ManifestFile(long size, String algorithm, String checksum) {
    }

    /** A WAL range the backup needs: from start to end on a timeline. */
    public record WalRange(int timeline, String start, String end) {
    }

    private final String source;
    private final Map<String, ManifestFile> files;
    private final List<WalRange> walRanges;
    private final Set<String> seen = new java.util.HashSet<>();
    private final List<String> problems = new ArrayList<>();

    private ManifestCheck(String source, Map<String, ManifestFile> files, List<WalRange> walRanges) {
        this.source = source;
        this.files = files;
        this.walRanges = walRanges;
    }

    /** Reads a manifest, refusing one whose own checksum does not match its text. */
    public static ManifestCheck read(Path manifest) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(manifest);
        } catch (IOException e) {
            throw new PgoException("cannot read " + manifest + ": " + e.getMessage(), "the backup is incomplete");
        }
        return parse(bytes, manifest.toString());
    }

    static ManifestCheck parse(byte[] bytes, String source) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(bytes);
        } catch (IOException e) {
            throw new PgoException(source + " is not a backup manifest: " + e.getMessage());
        }
        checkOwnChecksum(bytes, root.path("Manifest-Checksum").asText(""), source);
        var files = new LinkedHashMap<String, ManifestFile>();
        for (JsonNode file : root.path("Files")) {
            String path = file.has("Path") ? file.path("Path").asText()
                    : new String(HexFormat.of().parseHex(file.path("Encoded-Path").asText()), StandardCharsets.UTF_8);
            files.put(path, new ManifestFile(file.path("Size").asLong(), file.path("Checksum-Algorithm").asText("NONE"),
                    file.path("Checksum").asText("")));
        }
        var ranges = new ArrayList<WalRange>();
        for (JsonNode range : root.path("WAL-Ranges")) {
            ranges.add(new WalRange(range.path("Timeline").asInt(), range.path("Start-LSN").asText(),
                    range.path("End-LSN").asText()));
        }
        if (ranges.isEmpty()) {
            throw new PgoException(source + " names no WAL range; the backup is incomplete");
        }
        return new ManifestCheck(source, files, List.copyOf(ranges));
    }

    /** SHA-256 of the text up to and including the newline before the checksum's own line. */
    private static void checkOwnChecksum(byte[] bytes, String expected, String source) {
        int last = -1;
        int penultimate = -1;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                penultimate = last;
                last = i;
            }
        }
        if (expected.isEmpty() || penultimate < 0) {
            throw new PgoException(source + " has no checksum of its own; the backup is incomplete");
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(bytes, 0, penultimate + 1);
            if (!HexFormat.of().formatHex(sha.digest()).equalsIgnoreCase(expected)) {
                throw new PgoException(source + " does not match its own checksum: the manifest is damaged");
            }
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public List<WalRange> walRanges() {
        return walRanges;
    }

    /**
     * Reads one tar archive of the backup, {@code prefix} before its member names (empty for
     * the base archive, {@code pg_tblspc/OID/} for a tablespace's), checking each file.
     */
    public void checkTar(InputStream tar, String prefix) throws IOException {
        byte[] header = new byte[BLOCK];
        String longName = null;
        while (readFully(tar, header)) {
            if (allZero(header)) {
                return; // the end-of-archive blocks
            }
            char type = (char) header[156];
            long size = size(header);
            String name = longName != null ? longName : name(header);
            longName = null;
            if (type == 'L') { // GNU long name: the data is the next member's name
                longName = new String(readData(tar, size), StandardCharsets.UTF_8).replaceAll("\0+$", "");
                continue;
            }
            if (type == '0' || type == '\0') {
                checkFile(prefix + name, size, tar);
            } else {
                skip(tar, size);
            }
            skip(tar, padding(size));
        }
        throw new PgoException("the archive ends without its end-of-archive blocks: it is truncated");
    }

    /** What is wrong, once every archive was read: problems found, and files the manifest lists that none held. */
    public List<String> problems() {
        var all = new ArrayList<>(problems);
        for (String path : files.keySet()) {
            if (!seen.contains(path) && !ignored(path) && all.size() < MAX_PROBLEMS) {
                all.add("\"" + path + "\" is in the manifest but not in the backup");
            }
        }
        return all;
    }

    private void checkFile(String path, long size, InputStream tar) throws IOException {
        ManifestFile expected = files.get(path);
        if (expected == null) {
            if (!ignored(path)) {
                problem("\"" + path + "\" is in the backup but not in the manifest");
            }
            skip(tar, size);
            return;
        }
        seen.add(path);
        if (expected.size() != size) {
            problem("\"" + path + "\" has size " + size + " in the backup but size " + expected.size()
                    + " in the manifest");
            skip(tar, size);
            return;
        }
        Digest digest = Digest.of(expected.algorithm());
        byte[] buffer = new byte[64 * 1024];
        long left = size;
        while (left > 0) {
            int n = tar.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new PgoException("the archive ends inside \"" + path + "\": it is truncated");
            }
            digest.update(buffer, n);
            left -= n;
        }
        if (digest != Digest.NONE && !digest.hex().equalsIgnoreCase(expected.checksum())) {
            problem("checksum mismatch for file \"" + path + "\"");
        }
    }

    private void problem(String text) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(text);
        }
    }

    private static boolean ignored(String path) {
        for (String ignored : IGNORED) {
            if (path.equals(ignored) || path.startsWith(ignored + "/")) {
                return true;
            }
        }
        return false;
    }

    /** The checksum algorithms a manifest may name. */
    private abstract static class Digest {
        static final Digest NONE = new Digest() {
            @Override
            void update(byte[] bytes, int length) {
            }

            @Override
            String hex() {
                return "";
            }
        };

        abstract void update(byte[] bytes, int length);

        abstract String hex();

        static Digest of(String algorithm) {
            return switch (algorithm.toUpperCase(java.util.Locale.ROOT)) {
                case "NONE" -> NONE;
                case "CRC32C" -> new Crc32c();
                case "SHA224", "SHA256", "SHA384", "SHA512" -> new Sha(algorithm.substring(0, 3) + "-"
                        + algorithm.substring(3));
                default -> throw new PgoException("the manifest names an unknown checksum algorithm " + algorithm);
            };
        }
    }

    /** PostgreSQL writes a CRC-32C as the bytes of the value in the machine's order, little-endian here. */
    private static final class Crc32c extends Digest {
        private final CRC32C crc = new CRC32C();

        @Override
        void update(byte[] bytes, int length) {
            crc.update(bytes, 0, length);
        }

        @Override
        String hex() {
            int value = (int) crc.getValue();
            return HexFormat.of().formatHex(new byte[] {(byte) value, (byte) (value >>> 8), (byte) (value >>> 16),
                    (byte) (value >>> 24)});
        }
    }

    private static final class Sha extends Digest {
        private final MessageDigest digest;

        Sha(String name) {
            try {
                digest = MessageDigest.getInstance(name);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        void update(byte[] bytes, int length) {
            digest.update(bytes, 0, length);
        }

        @Override
        String hex() {
            return HexFormat.of().formatHex(digest.digest());
        }
    }

    private static String name(byte[] header) {
        String name = text(header, 0, 100);
        boolean ustar = text(header, 257, 5).equals("ustar");
        String prefix = ustar ? text(header, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private static String text(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    /** Octal, or base-256 (the high bit of the first byte set) for members of 8 GiB and more. */
    private static long size(byte[] header) {
        if ((header[124] & 0x80) != 0) {
            long value = 0;
            for (int i = 125; i < 136; i++) {
                value = (value << 8) | (header[i] & 0xff);
            }
            return value;
        }
        String octal = text(header, 124, 12).trim();
        return octal.isEmpty() ? 0 : Long.parseLong(octal, 8);
    }

    private static long padding(long size) {
        return (BLOCK - size % BLOCK) % BLOCK;
    }

    private static boolean allZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean readFully(InputStream in, byte[] block) throws IOException {
        int read = in.readNBytes(block, 0, block.length);
        if (read == 0) {
            return false;
        }
        if (read < block.length) {
            throw new PgoException("the archive ends inside a header: it is truncated");
        }
        return true;
    }

    private static byte[] readData(InputStream in, long size) throws IOException {
        byte[] data = in.readNBytes((int) size);
        skip(in, padding(size));
        return data;
    }

    private static void skip(InputStream in, long bytes) throws IOException {
        try {
            in.skipNBytes(bytes);
        } catch (java.io.EOFException e) {
            throw new PgoException("the archive ends inside a member: it is truncated");
        }
    }

    @Override
    public String toString() {
        return "ManifestCheck[" + source + ", " + files.size() + " files]";
    }
}
