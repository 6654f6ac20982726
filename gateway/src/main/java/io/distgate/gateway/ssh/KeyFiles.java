package io.distgate.gateway.ssh;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/** Key files on disk: created with their final mode, never overwritten, read with the checks OpenSSH makes. */
final class KeyFiles {

    /** An RSA-16384 OpenSSH private key is about 12 KiB; anything far larger is not a key file. */
    static final int MAX_KEY_FILE_BYTES = 64 * 1024;

    static final Set<PosixFilePermission> OWNER_READ_WRITE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> WORLD_READABLE = PosixFilePermissions.fromString("rw-r--r--");

    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private KeyFiles() {
    }

    /**
     * Creates {@code file} with {@code mode} in the same system call that creates it (the umask can
     * only narrow it), so a private key is never readable by others, not even between create and chmod.
     * CREATE_NEW fails on an existing file or symbolic link: a key is never overwritten.
     */
    static void createNew(Path file, byte[] content, Set<PosixFilePermission> mode) {
        try (OutputStream out = Channels.newOutputStream(Files.newByteChannel(file,
                EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(mode)))) {
            out.write(content);
        } catch (FileAlreadyExistsException e) {
            throw new SshKeyException(file, "already exists; keys are never overwritten: move it away first", e);
        } catch (IOException e) {
            throw new SshKeyException(file, "cannot be written: " + e, e);
        }
    }

    static void requireAbsent(Path file) {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new SshKeyException(file, "already exists; keys are never overwritten: move it away first");
        }
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // The write already failed and that failure is what the caller reports.
        }
    }

    /** The bytes of a private key file, refused like ssh(1) refuses it when others may read it. */
    static byte[] readPrivate(Path file) {
        requireRegularFile(file);
        requireOwnerOnly(file);
        return read(file);
    }

    static byte[] read(Path file) {
        requireRegularFile(file);
        try {
            long size = Files.size(file);
            if (size > MAX_KEY_FILE_BYTES) {
                throw new SshKeyException(file, "is " + size + " bytes, more than the " + MAX_KEY_FILE_BYTES
                        + " bytes a key file can be");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new SshKeyException(file, "does not exist", e);
        } catch (IOException e) {
            throw new SshKeyException(file, "cannot be read: " + e, e);
        }
    }

    private static void requireRegularFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw Files.exists(file)
                    ? new SshKeyException(file, "is not a regular file")
                    : new SshKeyException(file, "does not exist");
        }
    }

    /** Any group or other bit refuses the file, as OpenSSH does ({@code st_mode & 077}), not only read bits. */
    private static void requireOwnerOnly(Path file) {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(file);
        } catch (NoSuchFileException e) {
            throw new SshKeyException(file, "does not exist", e);
        } catch (IOException e) {
            throw new SshKeyException(file, "cannot be read: " + e, e);
        }
        Set<PosixFilePermission> exposed = EnumSet.noneOf(PosixFilePermission.class);
        exposed.addAll(permissions);
        exposed.retainAll(GROUP_OR_OTHERS);
        if (!exposed.isEmpty()) {
            throw new SshKeyException(file, "private key is accessible by group or others (mode "
                    + PosixFilePermissions.toString(permissions) + "); restrict it to its owner: chmod 600 " + file);
        }
    }
}
