package org.dl4jlabs.common.data.folder;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.dl4jlabs.common.LabsException;
import org.dl4jlabs.common.data.ImageFiles;
import org.dl4jlabs.common.io.AtomicFiles;
import org.dl4jlabs.common.io.IoErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks every photo of a folder once, so that one bad file never stops a run: files that cannot be
 * decoded are skipped, with the reason; greyscale and CMYK photos decode and are converted to RGB when
 * loaded. Real folders hold such files (PetImages has 0-byte files, files that are not JPEG, CMYK
 * JPEGs and {@code Thumbs.db}), and DataVec's {@code ImageRecordReader} stops at the first it meets.
 * <p>
 * The verdicts are cached in a manifest named after the folder's listing (each file's path, size and
 * modification time), so the next run reads them instead of decoding every photo, and a changed
 * folder is scanned afresh.
 */
public final class PhotoScan {

    /** A file left out, and why. */
    public record Skipped(String file, String reason) {
    }

    /**
     * What the scan found.
     *
     * @param usable    the photos that decode
     * @param skipped   files left out, by path relative to the folder
     * @param greyscale usable photos stored in one channel (converted to RGB when loaded)
     * @param cmyk      usable JPEGs stored in CMYK, for print (converted to RGB when loaded)
     */
    public record Result(List<Photo> usable, List<Skipped> skipped, int greyscale, int cmyk) {
        /** "skipped 3 files: a.jpg (empty file), ..." with at most {@code shown} names; empty when none. */
        public String summary(int shown) {
            if (skipped.isEmpty()) {
                return "";
            }
            String names = skipped.stream().limit(shown).map(s -> s.file() + " (" + s.reason() + ")")
                    .collect(Collectors.joining(", "));
            return "skipped " + skipped.size() + (skipped.size() == 1 ? " file: " : " files: ") + names
                    + (skipped.size() > shown ? ", ..." : "");
        }
    }

    /** The manifest as stored: verdicts on the files that are not usable. */
    private record Manifest(int version, List<Skipped> skipped, List<String> greyscale, List<String> cmyk) {
    }

    private static final int VERSION = 3;
    private static final int SKIPPED_SHOWN = 5;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> JPEG_EXTENSIONS = Set.of("jpg", "jpeg");
    private static final Logger log = LoggerFactory.getLogger(PhotoScan.class);

    private PhotoScan() {
    }

    /**
     * {@link #scan} with the manifests in the cache's {@code photo-manifests/}, saying in the console
     * what was skipped (the first few names) and how many photos are converted to RGB.
     */
    public static Result scanInCache(PhotoFolder folder, Path cacheDirectory) {
        Result result = scan(folder, cacheDirectory.resolve("photo-manifests"));
        if (!result.skipped().isEmpty()) {
            log.warn("{}", result.summary(SKIPPED_SHOWN));
        }
        if (result.greyscale() + result.cmyk() > 0) {
            log.info("{} greyscale and {} CMYK photos are converted to RGB", result.greyscale(), result.cmyk());
        }
        return result;
    }

    /** Scans {@code folder}'s photos, or reads the verdicts cached under {@code manifestDirectory}. */
    public static Result scan(PhotoFolder folder, Path manifestDirectory) {
        Path manifestFile = manifestDirectory.resolve(listingKey(folder) + ".json");
        Manifest manifest = readManifest(manifestFile);
        if (manifest == null) {
            log.info("Checking {} photos in {} (once: the verdicts are cached in {})", folder.photos().size(),
                    folder.root(), manifestFile);
            manifest = check(folder);
            try {
                byte[] json = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest);
                AtomicFiles.write(manifestFile, out -> out.write(json));
            } catch (IOException e) {
                log.warn("Could not cache the scan of {} in {}: {}", folder.root(), manifestFile, IoErrors.reason(e));
            }
        }
        Set<String> skippedFiles = manifest.skipped().stream().map(Skipped::file).collect(Collectors.toSet());
        List<Photo> usable = folder.photos().stream()
                .filter(photo -> !skippedFiles.contains(relative(folder, photo.file()))).toList();
        return new Result(usable, manifest.skipped(), manifest.greyscale().size(), manifest.cmyk().size());
    }

    private static Manifest check(PhotoFolder folder) {
        List<Skipped> skipped = new ArrayList<>();
        List<String> greyscale = new ArrayList<>();
        List<String> cmyk = new ArrayList<>();
        for (Path file : folder.notImages()) {
            skipped.add(new Skipped(relative(folder, file), "not an image file"));
        }
        for (Photo photo : folder.photos()) {
            String name = relative(folder, photo.file());
            String problem = problem(photo.file());
            if (problem == null) {
                problem = ImageFiles.tooLarge(photo.file()).orElse(null);
            }
            if (problem != null) {
                skipped.add(new Skipped(name, problem));
                continue;
            }
            try (Mat image = opencv_imgcodecs.imread(photo.file().toString(), opencv_imgcodecs.IMREAD_UNCHANGED)) {
                if (image == null || image.empty()) {
                    skipped.add(new Skipped(name, "cannot be decoded as an image"));
                } else if (image.channels() == 1) {
                    greyscale.add(name);
                } else if (jpegComponents(photo.file()) == 4) {
                    cmyk.add(name); // OpenCV decodes CMYK to three channels itself
                }
            }
        }
        return new Manifest(VERSION, skipped, greyscale, cmyk);
    }

    /** What is wrong with a file before decoding it: empty, or a JPEG by name that is not one or is cut short. */
    static String problem(Path file) {
        try {
            long size = Files.size(file);
            if (size == 0) {
                return "empty file (0 bytes)";
            }
            String name = file.getFileName().toString();
            String extension = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
            if (!JPEG_EXTENSIONS.contains(extension)) {
                return null;
            }
            try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
                if (size < 4 || in.readUnsignedShort() != 0xFFD8) {
                    return isOtherImage(in) ? null : "not a JPEG (named .jpg)";
                }
                // A complete JPEG ends with the end-of-image marker FF D9 (some writers add padding after it).
                int tail = (int) Math.min(size, 1024);
                byte[] end = new byte[tail];
                in.seek(size - tail);
                in.readFully(end);
                for (int i = tail - 2; i >= 0; i--) {
                    if ((end[i] & 0xFF) == 0xFF && (end[i + 1] & 0xFF) == 0xD9) {
                        return null;
                    }
                }
                return "truncated JPEG (no end-of-image marker)";
            }
        } catch (IOException e) {
            return "cannot be read: " + e.getMessage();
        }
    }

    /**
     * The number of colour components a JPEG's frame header declares (1 grey, 3 YCbCr, 4 CMYK), or -1
     * when the file is not a JPEG, has no frame header or cannot be read.
     */
    static int jpegComponents(Path file) {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            if (in.length() < 4 || in.readUnsignedShort() != 0xFFD8) {
                return -1;
            }
            while (in.getFilePointer() + 4 <= in.length()) {
                int marker = in.readUnsignedShort();
                int length = in.readUnsignedShort();
                boolean startOfFrame = marker >= 0xFFC0 && marker <= 0xFFCF
                        && marker != 0xFFC4 && marker != 0xFFC8 && marker != 0xFFCC;
                if (startOfFrame) {
                    in.skipBytes(5); // sample precision, height, width
                    return in.readUnsignedByte();
                }
                if ((marker & 0xFF00) != 0xFF00 || length < 2) {
                    return -1;
                }
                in.seek(in.getFilePointer() + length - 2);
            }
            return -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /** PNG, GIF or BMP content under a .jpg name still decodes; it is no reason to skip the photo. */
    private static boolean isOtherImage(RandomAccessFile in) throws IOException {
        in.seek(0);
        byte[] head = new byte[4];
        int n = in.read(head);
        String text = n < 2 ? "" : new String(head, 0, n, StandardCharsets.ISO_8859_1);
        return text.startsWith("\u0089PNG") || text.startsWith("GIF8") || text.startsWith("BM");
    }

    private static Manifest readManifest(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            Manifest manifest = JSON.readValue(file.toFile(), Manifest.class);
            return manifest.version() == VERSION ? manifest : null;
        } catch (IOException e) {
            log.warn("Scanning the photos again: the cached scan {} cannot be read ({})", file, IoErrors.reason(e));
            return null;
        }
    }

    /** A digest of every file's path, size and modification time: a changed folder gets a new manifest. */
    static String listingKey(PhotoFolder folder) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(folder.root().toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
            List<Path> files = new ArrayList<>(folder.notImages());
            folder.photos().forEach(photo -> files.add(photo.file()));
            files.sort(null);
            for (Path file : files) {
                String line = "\n" + relative(folder, file) + "\t" + Files.size(file) + "\t"
                        + Files.getLastModifiedTime(file).toMillis();
                digest.update(line.getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(digest.digest()).substring(0, 32);
        } catch (IOException e) {
            throw new LabsException("cannot read the listing of " + folder.root() + ": " + IoErrors.reason(e), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String relative(PhotoFolder folder, Path file) {
        return folder.root().relativize(file).toString();
    }
}
