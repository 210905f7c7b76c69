package dev.dromedary.embedded;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The lock a process holds on {@code DATA_DIR/dromedary.lock} while it runs embedded servers on that data
 * directory. The operating system lets it go when the process ends, however it ends (a SIGKILL included),
 * so holding it proves that no live process uses the directory: only then are servers that a killed run
 * left behind stopped, and a second process on the same directory is refused with the holder's pid.
 */
public final class DataDirLock implements AutoCloseable {

    static final String FILE = "dromedary.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock, or fails saying which process holds it. */
    public static DataDirLock take(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        Path file = dataDir.resolve(FILE);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            channel.close();
            throw new IOException("this process runs embedded servers on " + dataDir + " already", e);
        }
        if (lock == null) {
            String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
            channel.close();
            throw new IOException(dataDir + " is in use by another Dromedary (" + (holder.isEmpty() ? "a process starting" : holder)
                    + "), whose embedded servers keep their data there; stop it, or give this one its own DATA_DIR");
        }
        ProcessHandle self = ProcessHandle.current();
        String owner = "pid " + self.pid() + self.info().startInstant().map(start -> ", started " + start).orElse("");
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((owner + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        channel.force(false);
        return new DataDirLock(channel, lock);
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
