package org.dsa110.contimg.publishing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * SHA-256 checksums and sizes of data products. A product is a regular file (FITS, UVFITS, a manifest) or a
 * directory (a CASA Measurement Set or calibration table). A directory's checksum is the SHA-256 over, for each
 * regular file below it in lexicographic order of its relative path ('/' separated), the relative path, a NUL, the
 * file's length as 8 bytes and its bytes: renaming, adding, removing or changing any member changes it.
 */
public final class Checksums {
    private static final int BUFFER = 1 << 16;

    /** Checksum (lower-case hex) and total size in bytes. */
    public record Digest(String sha256, long sizeBytes) {
    }

    private Checksums() {
    }

    public static Digest of(Path product) throws IOException {
        MessageDigest md = sha256();
        if (Files.isDirectory(product)) {
            long total = 0;
            for (Path f : filesOf(product)) {
                String rel = product.relativize(f).toString().replace('\\', '/');
                md.update(rel.getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                long size = Files.size(f);
                for (int i = 7; i >= 0; i--) {
                    md.update((byte) (size >>> (8 * i)));
                }
                total += update(md, f);
            }
            return new Digest(HexFormat.of().formatHex(md.digest()), total);
        }
        long size = update(md, product);
        return new Digest(HexFormat.of().formatHex(md.digest()), size);
    }

    /** Regular files below {@code dir}, sorted by relative path. */
    static List<Path> filesOf(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile).forEach(files::add);
        }
        files.sort((a, b) -> dir.relativize(a).toString().replace('\\', '/')
                .compareTo(dir.relativize(b).toString().replace('\\', '/')));
        return files;
    }

    private static long update(MessageDigest md, Path file) throws IOException {
        byte[] buf = new byte[BUFFER];
        long n = 0;
        try (InputStream in = Files.newInputStream(file)) {
            int r;
            while ((r = in.read(buf)) > 0) {
                md.update(buf, 0, r);
                n += r;
            }
        }
        return n;
    }

    /** Copies a file or a directory tree (target must not exist). */
    public static void copy(Path source, Path target) throws IOException {
        if (!Files.isDirectory(source)) {
            Files.copy(source, target);
            return;
        }
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(target.resolve(source.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, target.resolve(source.relativize(file).toString()));
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Deletes a file or a directory tree, if present. */
    public static void delete(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> walk = Files.walk(p)) {
                List<Path> all = walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList();
                for (Path q : all) {
                    Files.deleteIfExists(q);
                }
            }
        } else {
            Files.deleteIfExists(p);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
