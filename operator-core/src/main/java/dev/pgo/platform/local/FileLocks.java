package dev.pgo.platform.local;

import dev.pgo.PgoException;
import dev.pgo.platform.ClusterLock;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Exclusive locks on files under $PGO_HOME/locks, so concurrent pgo processes (and threads of one
 * process, which OS file locks do not separate) never work on the same thing at once.
 */
final class FileLocks {
    private final Path dir;
    private final Map<String, ReentrantLock> inProcess = new ConcurrentHashMap<>();

    FileLocks(Path dir) {
        this.dir = dir;
    }

    ClusterLock acquire(String name, Duration wait, String what) {
        ReentrantLock local = inProcess.computeIfAbsent(name, n -> new ReentrantLock());
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            if (!local.tryLock(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw busy(what);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PgoException("interrupted while waiting for " + what);
        }
        try {
            FileChannel channel = FileChannel.open(dir.resolve(name + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            while (true) {
                FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null;
                }
                if (lock != null) {
                    FileLock held = lock;
                    return () -> release(held, channel, local);
                }
                if (System.nanoTime() > deadline) {
                    channel.close();
                    throw busy(what);
                }
                Thread.sleep(50);
            }
        } catch (IOException e) {
            local.unlock();
            throw new PgoException("cannot lock " + what + ": " + e.getMessage());
        } catch (InterruptedException e) {
            local.unlock();
            Thread.currentThread().interrupt();
            throw new PgoException("interrupted while waiting for " + what);
        } catch (RuntimeException e) {
            local.unlock();
            throw e;
        }
    }

    private static void release(FileLock lock, FileChannel channel, ReentrantLock local) {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // closing the channel releases the lock anyway
        } finally {
            local.unlock();
        }
    }

    private static PgoException busy(String what) {
        return new PgoException(what + " is busy: another pgo process is working on it",
                "wait for it to finish, or retry");
    }
}
