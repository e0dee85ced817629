import java.io.DataInputStream;
import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Rewrites the classes of a jar that are older than Java 6 (class file version 50) as Java 8
 * classes with stack maps, the same code otherwise; a jar without such classes is left alone.
 *
 * <p>Why: the JVM's AOT cache (and class data sharing before it) cannot hold classes older than
 * version 50, nor any class that extends or implements one. picocli is compiled for Java 5, so
 * without this every pgo command loads and verifies picocli's 175 classes from its jar on each
 * start, and with them each command class of pgo's, as they implement picocli's interfaces.
 *
 * <p>Usage: java scripts/UpgradeClassFiles.java JAR... (run by scripts/train-aot-cache)
 */
public final class UpgradeClassFiles {
    private static final int OLDEST_CACHEABLE = ClassFile.JAVA_6_VERSION;

    public static void main(String[] args) throws IOException {
        for (String arg : args) {
            Path jar = Path.of(arg);
            int upgraded = upgrade(jar);
            if (upgraded > 0) {
                System.out.println("upgraded " + upgraded + " class files of " + jar.getFileName() + " to Java 8");
            }
        }
    }

    /** Upgrades the jar in place and returns how many of its classes were upgraded. */
    static int upgrade(Path jar) throws IOException {
        if (!holdsOldClasses(jar)) {
            return 0;
        }
        Path upgraded = Files.createTempFile(jar.getParent(), jar.getFileName().toString(), ".tmp");
        int count = 0;
        try (var loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
             var in = new ZipInputStream(Files.newInputStream(jar));
             var out = new ZipOutputStream(Files.newOutputStream(upgraded))) {
            // Stack maps name the common supertypes of values, which takes the class hierarchy:
            // the JDK's own classes, and the jar's read from the jar itself.
            var classFile = ClassFile.of(ClassFile.StackMapsOption.GENERATE_STACK_MAPS,
                    ClassFile.ClassHierarchyResolverOption.of(ClassHierarchyResolver.defaultResolver()
                            .orElse(ClassHierarchyResolver.ofResourceParsing(loader))));
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                byte[] bytes = in.readAllBytes();
                if (entry.getName().endsWith(".class") && !entry.getName().endsWith("module-info.class")) {
                    var model = classFile.parse(bytes);
                    if (model.majorVersion() < OLDEST_CACHEABLE) {
                        bytes = classFile.transformClass(model, ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL)
                                .andThen((builder, element) -> {
                                    if (element instanceof ClassFileVersion) {
                                        builder.withVersion(ClassFile.JAVA_8_VERSION, 0);
                                    } else {
                                        builder.with(element);
                                    }
                                }));
                        count++;
                    }
                }
                var copy = new ZipEntry(entry.getName());
                copy.setTime(entry.getTime());
                out.putNextEntry(copy);
                out.write(bytes);
                out.closeEntry();
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(upgraded);
            throw e;
        }
        if (count == 0) {
            Files.delete(upgraded);
        } else {
            // Newer than the artifact in the Maven repository, so a later build's copy of the
            // dependencies leaves it (and the AOT cache made with it) in place.
            Files.setPosixFilePermissions(upgraded, Files.getPosixFilePermissions(jar));
            Files.move(upgraded, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return count;
    }

    /** Whether a class of the jar is older than the cache takes, read from the class files' headers. */
    private static boolean holdsOldClasses(Path jar) throws IOException {
        try (var zip = new ZipFile(jar.toFile())) {
            for (var entries = zip.entries(); entries.hasMoreElements(); ) {
                ZipEntry entry = entries.nextElement();
                if (!entry.getName().endsWith(".class")) {
                    continue;
                }
                try (var in = new DataInputStream(zip.getInputStream(entry))) {
                    in.readInt(); // 0xCAFEBABE
                    in.readUnsignedShort(); // minor version
                    if (in.readUnsignedShort() < OLDEST_CACHEABLE) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private UpgradeClassFiles() {
    }
}
