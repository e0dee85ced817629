package dev.pgo.backup;

import dev.pgo.PgoException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The streamed check finds what pg_verifybackup finds in an unpacked backup. */
class ManifestCheckTest {
    private static final Map<String, String> FILES = new LinkedHashMap<>(Map.of(
            "PG_VERSION", "15\n", "global/pg_control", "control data", "base/1/112", "x".repeat(1500)));

    @Test
    void aTarThatMatchesItsManifestHasNoProblem() throws Exception {
        assertEquals(List.of(), check(manifest(FILES, "SHA256"), tar(FILES)));
        assertEquals(List.of(), check(manifest(FILES, "NONE"), tar(FILES)));
    }

    @Test
    void missingExtraResizedAndChangedFilesAreEachNamed() throws Exception {
        var inTar = new LinkedHashMap<>(FILES);
        inTar.remove("global/pg_control");
        inTar.put("base/1/999", "stray");
        inTar.put("PG_VERSION", "16\n");
        inTar.put("base/1/112", "short");
        inTar.put("postgresql.auto.conf", "ignored, as pg_verifybackup ignores it");
        inTar.put("pg_wal/000000010000000000000001", "ignored too");
        List<String> problems = check(manifest(FILES, "SHA256"), tar(inTar));
        assertEquals(java.util.Set.of(
                "checksum mismatch for file \"PG_VERSION\"",
                "\"base/1/112\" has size 5 in the backup but size 1500 in the manifest",
                "\"base/1/999\" is in the backup but not in the manifest",
                "\"global/pg_control\" is in the manifest but not in the backup"), java.util.Set.copyOf(problems));
        assertEquals(4, problems.size());
    }

    @Test
    void aTruncatedArchiveOrAnEditedManifestIsRefused() throws Exception {
        byte[] whole = tar(FILES);
        byte[] cut = java.util.Arrays.copyOf(whole, 1024 + 100);
        var check = ManifestCheck.parse(manifest(FILES, "SHA256"), "m");
        PgoException inside = assertThrows(PgoException.class, () -> check.checkTar(new ByteArrayInputStream(cut), ""));
        assertTrue(inside.getMessage().contains("truncated"), inside.getMessage());
        byte[] noEnd = java.util.Arrays.copyOf(whole, whole.length - 1024);
        PgoException truncated = assertThrows(PgoException.class,
                () -> check.checkTar(new ByteArrayInputStream(noEnd), ""));
        assertTrue(truncated.getMessage().contains("truncated"), truncated.getMessage());

        String edited = new String(manifest(FILES, "SHA256"), StandardCharsets.UTF_8).replace("\"Size\": 3", "\"Size\": 4");
        PgoException refused = assertThrows(PgoException.class,
                () -> ManifestCheck.parse(edited.getBytes(StandardCharsets.UTF_8), "m"));
        assertTrue(refused.getMessage().contains("does not match its own checksum"), refused.getMessage());
    }

    private static List<String> check(byte[] manifest, byte[] tar) throws Exception {
        var check = ManifestCheck.parse(manifest, "test manifest");
        check.checkTar(new ByteArrayInputStream(tar), "");
        return check.problems();
    }

    /** A manifest as pg_basebackup writes it, its own SHA-256 over all lines before the last. */
    private static byte[] manifest(Map<String, String> files, String algorithm) throws Exception {
        var text = new StringBuilder("{ \"PostgreSQL-Backup-Manifest-Version\": 1,\n\"Files\": [\n");
        int i = 0;
        for (var file : files.entrySet()) {
            byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
            String sum = algorithm.equals("NONE") ? "" : ", \"Checksum\": \""
                    + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)) + "\"";
            text.append("{ \"Path\": \"").append(file.getKey()).append("\", \"Size\": ").append(content.length)
                    .append(", \"Checksum-Algorithm\": \"").append(algorithm).append("\"").append(sum).append(" }")
                    .append(++i < files.size() ? ",\n" : "\n");
        }
        text.append("],\n\"WAL-Ranges\": [\n{ \"Timeline\": 1, \"Start-LSN\": \"0/2000028\", \"End-LSN\": \"0/2000100\" }\n],\n");
        byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
        String own = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        return (text + "\"Manifest-Checksum\": \"" + own + "\"}\n").getBytes(StandardCharsets.UTF_8);
    }

    /** A ustar archive with a directory entry before the files, as pg_basebackup writes one. */
    private static byte[] tar(Map<String, String> files) {
        var out = new ByteArrayOutputStream();
        out.writeBytes(header("base", 0, '5'));
        for (var file : files.entrySet()) {
            byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
            out.writeBytes(header(file.getKey(), content.length, '0'));
            out.writeBytes(content);
            out.writeBytes(new byte[(512 - content.length % 512) % 512]);
        }
        out.writeBytes(new byte[1024]);
        return out.toByteArray();
    }

    private static byte[] header(String name, long size, char type) {
        byte[] header = new byte[512];
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(bytes, 0, header, 0, bytes.length);
        byte[] octal = String.format("%011o", size).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(octal, 0, header, 124, octal.length);
        header[156] = (byte) type;
        System.arraycopy("ustar".getBytes(StandardCharsets.US_ASCII), 0, header, 257, 5);
        return header;
    }
}
