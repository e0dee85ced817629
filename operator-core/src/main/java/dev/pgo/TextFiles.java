package dev.pgo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a text file a user named (a manifest, the client configuration) strictly as UTF-8, with
 * errors that say what is wrong with it: not there, not readable, a directory, not text. Bytes
 * that are not UTF-8 are refused rather than replaced, so what pgo acts on is what the file says.
 */
public final class TextFiles {
    private TextFiles() {
    }

    public static String read(Path file) {
        if (Files.isDirectory(file)) {
            throw new PgoException("cannot read " + file + ": it is a directory");
        }
        try {
            return decode(Files.readAllBytes(file), file.toString());
        } catch (NoSuchFileException e) {
            throw new PgoException("cannot read " + file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new PgoException("cannot read " + file + ": permission denied");
        } catch (IOException e) {
            throw new PgoException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** {@code bytes} as UTF-8 text; {@code source} names them in the error. */
    public static String decode(byte[] bytes, String source) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new PgoException("cannot read " + source + ": it is not UTF-8 text");
        }
    }
}
