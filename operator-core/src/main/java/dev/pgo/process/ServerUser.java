package dev.pgo.process;

import dev.pgo.PgoException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The OS user PostgreSQL server programs run as. PostgreSQL refuses to run as root, so when pgo
 * itself runs as root, initdb, pg_ctl and friends run as an unprivileged user ("postgres" unless
 * PGO_SERVER_USER says otherwise); otherwise they run as the current user.
 */
public record ServerUser(String name, int uid, int gid, boolean switchNeeded) {

    public static ServerUser detect() {
        int myUid = currentUid();
        if (myUid != 0) {
            return new ServerUser(System.getProperty("user.name"), myUid, -1, false);
        }
        String name = System.getenv().getOrDefault("PGO_SERVER_USER", "postgres");
        return lookup(name);
    }

    static int currentUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            return "root".equals(System.getProperty("user.name")) ? 0 : 1000;
        }
    }

    private static ServerUser lookup(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
                String[] f = line.split(":");
                if (f.length > 3 && f[0].equals(name)) {
                    int uid = Integer.parseInt(f[2]);
                    if (uid == 0) {
                        throw new PgoException("PGO_SERVER_USER '" + name + "' is root; PostgreSQL refuses to run as root",
                                "set PGO_SERVER_USER to an unprivileged user");
                    }
                    return new ServerUser(name, uid, Integer.parseInt(f[3]), true);
                }
            }
        } catch (IOException e) {
            throw new PgoException("cannot read /etc/passwd to find the PostgreSQL server user: " + e.getMessage());
        }
        throw new PgoException("pgo runs as root, and PostgreSQL refuses to; the OS user '" + name
                + "' to run it as does not exist",
                "install the postgresql package (it creates the 'postgres' user) or set PGO_SERVER_USER");
    }
}
