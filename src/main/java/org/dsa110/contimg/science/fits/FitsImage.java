package org.dsa110.contimg.science.fits;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import nom.tam.fits.FitsException;
import nom.tam.fits.Header;
import nom.tam.fits.HeaderCard;
import nom.tam.util.Cursor;
import nom.tam.util.FitsFile;
import org.dsa110.contimg.science.image.Beam;
import org.dsa110.contimg.science.image.ImagePlane;
import org.dsa110.contimg.science.sky.SkyCoords;
import org.dsa110.contimg.science.wcs.CelestialWcs;

/**
 * A 2-D image in the primary HDU of a FITS file, opened for random access.
 *
 * <p>Opening reads only the header (nom-tam-fits). Pixels are read on demand straight from the file with positional
 * reads: {@link #readCutout} reads just the byte ranges of the requested rows (one read per row, or one per block
 * of rows when the cutout spans the full width), so a small cutout of a large image costs a few kilobytes.
 * {@link #dataBytesRead()} counts the bytes read so far.
 *
 * <p>Axes 3 and up (the degenerate FREQ and STOKES axes of radio images) are ignored: pixels come from the first
 * plane (index 0 on every higher axis). Pixel coordinates are 0-based; BSCALE/BZERO are applied and integer BLANK
 * values become NaN. Supported BITPIX: 8, 16, 32, 64, -32, -64. Reads use positional I/O, so one open image may be
 * read from several threads at once.
 */
public final class FitsImage implements Closeable {

    /** Largest single read when whole rows are contiguous. */
    private static final int MAX_READ_BYTES = 4 << 20;
    private static final Pattern AIPS_BEAM = Pattern.compile(
            "BMAJ\\s*=\\s*([-+0-9.EeDd]+)\\s+BMIN\\s*=\\s*([-+0-9.EeDd]+)\\s+BPA\\s*=\\s*([-+0-9.EeDd]+)");

    private final Path path;
    private final Header header;
    private final long dataOffset;
    private final int width;
    private final int height;
    private final int bitpix;
    private final int bytesPerPixel;
    private final double bscale;
    private final double bzero;
    private final boolean hasBlank;
    private final long blank;
    private final FileChannel channel;
    private final AtomicLong dataBytesRead = new AtomicLong();

    private FitsImage(Path path, Header header, long dataOffset, FileChannel channel) throws IOException {
        this.path = path;
        this.header = header;
        this.dataOffset = dataOffset;
        this.channel = channel;
        int naxis = header.getIntValue("NAXIS", 0);
        if (naxis < 2) {
            throw new IOException(path + ": primary HDU is not an image (NAXIS = " + naxis + ")");
        }
        this.width = header.getIntValue("NAXIS1");
        this.height = header.getIntValue("NAXIS2");
        this.bitpix = header.getIntValue("BITPIX");
        this.bytesPerPixel = switch (bitpix) {
            case 8 -> 1;
            case 16 -> 2;
            case 32, -32 -> 4;
            case 64, -64 -> 8;
            default -> throw new IOException(path + ": unsupported BITPIX " + bitpix);
        };
        this.bscale = header.getDoubleValue("BSCALE", 1.0);
        this.bzero = header.getDoubleValue("BZERO", 0.0);
        this.hasBlank = bitpix > 0 && header.containsKey("BLANK");
        this.blank = hasBlank ? header.getLongValue("BLANK") : 0L;
        long planeBytes = (long) width * height * bytesPerPixel;
        if (channel.size() < dataOffset + planeBytes) {
            throw new IOException(path + ": truncated, " + channel.size() + " bytes < " + (dataOffset + planeBytes));
        }
    }

    /** Opens {@code path} and reads its primary header (no pixel data). */
    public static FitsImage open(Path path) throws IOException {
        Header header;
        long dataOffset;
        try (FitsFile in = new FitsFile(path.toFile(), "r")) {
            header = Header.readHeader(in);
            if (header == null) {
                throw new IOException(path + ": no FITS header");
            }
            // After the header (padded to 2880 bytes) the file pointer is at the first data byte.
            dataOffset = in.getFilePointer();
        } catch (FitsException e) {
            throw new IOException(path + ": invalid FITS header: " + e.getMessage(), e);
        }
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            return new FitsImage(path, header, dataOffset, channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    // ------------------------------------------------------------------ metadata

    public Path path() {
        return path;
    }

    /** The primary header as read (live nom-tam-fits object; do not modify). */
    public Header header() {
        return header;
    }

    /** NAXIS1. */
    public int width() {
        return width;
    }

    /** NAXIS2. */
    public int height() {
        return height;
    }

    public int bitpix() {
        return bitpix;
    }

    /** True when axes 1/2 carry a RA/DEC SIN or TAN WCS that {@link #wcs()} can read. */
    public boolean hasWcs() {
        try {
            CelestialWcs.fromHeader(header);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * The celestial WCS of axes 1 and 2.
     *
     * @throws IllegalArgumentException when the header has none or an unsupported one (see {@link #hasWcs()})
     */
    public CelestialWcs wcs() {
        return CelestialWcs.fromHeader(header);
    }

    /**
     * Restoring beam from BMAJ/BMIN/BPA (degrees; BPA defaults to 0), falling back to an AIPS
     * "CLEAN BMAJ= … BMIN= … BPA= …" HISTORY card; null when neither is present or the axes are not positive.
     */
    public Beam beam() {
        if (header.containsKey("BMAJ") && header.containsKey("BMIN")) {
            double bmaj = header.getDoubleValue("BMAJ");
            double bmin = header.getDoubleValue("BMIN");
            // Some imagers write BMAJ = BMIN = 0 for dirty images: that is "no beam".
            return bmaj > 0 && bmin > 0 ? new Beam(bmaj, bmin, header.getDoubleValue("BPA", 0.0)) : null;
        }
        for (Cursor<String, HeaderCard> it = header.iterator(); it.hasNext(); ) {
            HeaderCard card = it.next();
            if ("HISTORY".equals(card.getKey()) && card.toString().contains("CLEAN")) {
                Matcher m = AIPS_BEAM.matcher(card.toString());
                if (m.find()) {
                    return new Beam(fortranDouble(m.group(1)), fortranDouble(m.group(2)), fortranDouble(m.group(3)));
                }
            }
        }
        return null;
    }

    private static double fortranDouble(String s) {
        return Double.parseDouble(s.replace('D', 'E').replace('d', 'e'));
    }

    /** Observing frequency in Hz: RESTFRQ (or RESTFREQ), else CRVAL of the FREQ axis; NaN when neither exists. */
    public double frequencyHz() {
        for (String key : new String[] {"RESTFRQ", "RESTFREQ"}) {
            if (header.containsKey(key)) {
                return header.getDoubleValue(key);
            }
        }
        int axis = frequencyAxis();
        return axis > 0 ? header.getDoubleValue("CRVAL" + axis, Double.NaN) : Double.NaN;
    }

    /** |CDELT| of the FREQ axis in Hz (the bandwidth of a single-plane continuum image); NaN when absent. */
    public double bandwidthHz() {
        int axis = frequencyAxis();
        return axis > 0 ? Math.abs(header.getDoubleValue("CDELT" + axis, Double.NaN)) : Double.NaN;
    }

    private int frequencyAxis() {
        int naxis = header.getIntValue("NAXIS", 0);
        for (int i = 1; i <= naxis; i++) {
            if (header.getStringValue("CTYPE" + i, "").trim().toUpperCase().startsWith("FREQ")) {
                return i;
            }
        }
        return 0;
    }

    /** DATE-OBS as written, or null. */
    public String dateObs() {
        String v = header.getStringValue("DATE-OBS", null);
        return v == null || v.isBlank() ? null : v.trim();
    }

    /** Observation start as an instant (from {@link #mjd()}), or null when unknown. */
    public Instant observationTime() {
        double mjd = mjd();
        return Double.isNaN(mjd) ? null : SkyCoords.mjdToInstant(mjd);
    }

    /**
     * Observation MJD (UTC) from DATE-OBS, else MJD-OBS; NaN when neither is present.
     *
     * @throws IllegalArgumentException when DATE-OBS is not an ISO date and there is no MJD-OBS to fall back on
     */
    public double mjd() {
        String date = dateObs();
        double mjdObs = header.getDoubleValue("MJD-OBS", Double.NaN);
        if (date != null) {
            try {
                return SkyCoords.dateObsToMjd(date);
            } catch (IllegalArgumentException e) {
                if (Double.isNaN(mjdObs)) {
                    throw e;
                }
            }
        }
        return mjdObs;
    }

    /** BUNIT (e.g. "JY/BEAM"), or null. */
    public String bunit() {
        String v = header.getStringValue("BUNIT", null);
        return v == null ? null : v.trim();
    }

    /** Bytes of pixel data read from the file since it was opened. */
    public long dataBytesRead() {
        return dataBytesRead.get();
    }

    // ------------------------------------------------------------------ pixels

    /** The whole first plane. */
    public ImagePlane readPlane() throws IOException {
        return readCutout(0, 0, width, height);
    }

    /**
     * The pixels of the rectangle [x0, x0+w) × [y0, y0+h) (0-based) clipped to the image. The returned plane's
     * x0/y0 are the clipped origin in this image; it is empty (0×0) when the rectangle misses the image.
     */
    public ImagePlane readCutout(int x0, int y0, int w, int h) throws IOException {
        int cx0 = Math.max(0, x0);
        int cy0 = Math.max(0, y0);
        int cx1 = (int) Math.min(width, Math.max(0L, (long) x0 + w));
        int cy1 = (int) Math.min(height, Math.max(0L, (long) y0 + h));
        if (cx1 <= cx0 || cy1 <= cy0) {
            return new ImagePlane(Math.min(cx0, width), Math.min(cy0, height), 0, 0, new float[0]);
        }
        int cw = cx1 - cx0;
        int ch = cy1 - cy0;
        float[] out = new float[Math.multiplyExact(cw, ch)];
        long rowBytes = (long) cw * bytesPerPixel;
        if (cw == width) {
            // Full-width rows are contiguous on disk: read them in blocks.
            int rowsPerRead = (int) Math.max(1, MAX_READ_BYTES / rowBytes);
            ByteBuffer buf = ByteBuffer.allocate((int) (Math.min(rowsPerRead, ch) * rowBytes));
            for (int r = 0; r < ch; r += rowsPerRead) {
                int n = Math.min(rowsPerRead, ch - r);
                long pos = dataOffset + (long) (cy0 + r) * width * bytesPerPixel;
                readFully(buf, pos, (int) (n * rowBytes));
                decode(buf, out, r * cw, n * cw);
            }
        } else {
            ByteBuffer buf = ByteBuffer.allocate((int) rowBytes);
            for (int r = 0; r < ch; r++) {
                long pos = dataOffset + ((long) (cy0 + r) * width + cx0) * bytesPerPixel;
                readFully(buf, pos, (int) rowBytes);
                decode(buf, out, r * cw, cw);
            }
        }
        return new ImagePlane(cx0, cy0, cw, ch, out);
    }

    /**
     * The square cutout of side 2·halfSize+1 centred on the pixel nearest (x, y), clipped to the image; convenient
     * for photometry at a position from {@link CelestialWcs#worldToPixel}.
     */
    public ImagePlane readCutoutAround(double x, double y, int halfSize) throws IOException {
        if (!(Math.abs(x) < 1e9 && Math.abs(y) < 1e9)) { // NaN (unprojectable) or absurdly far away
            return new ImagePlane(0, 0, 0, 0, new float[0]);
        }
        int size = 2 * halfSize + 1;
        return readCutout((int) Math.round(x) - halfSize, (int) Math.round(y) - halfSize, size, size);
    }

    private void readFully(ByteBuffer buf, long position, int length) throws IOException {
        buf.clear();
        buf.limit(length);
        long pos = position;
        while (buf.hasRemaining()) {
            int n = channel.read(buf, pos);
            if (n < 0) {
                throw new IOException(path + ": unexpected end of file at byte " + pos);
            }
            pos += n;
        }
        dataBytesRead.addAndGet(length);
        buf.flip();
    }

    /** Converts {@code count} big-endian raw values to physical floats at out[offset…]. */
    private void decode(ByteBuffer buf, float[] out, int offset, int count) {
        buf.order(ByteOrder.BIG_ENDIAN);
        boolean scaled = bscale != 1.0 || bzero != 0.0;
        for (int i = 0; i < count; i++) {
            double v;
            if (bitpix == -32) {
                float f = buf.getFloat();
                out[offset + i] = scaled ? (float) (bzero + bscale * f) : f;
                continue;
            } else if (bitpix == -64) {
                v = buf.getDouble();
            } else {
                long raw = switch (bitpix) {
                    case 8 -> buf.get() & 0xFFL;
                    case 16 -> buf.getShort();
                    case 32 -> buf.getInt();
                    default -> buf.getLong();
                };
                if (hasBlank && raw == blank) {
                    out[offset + i] = Float.NaN;
                    continue;
                }
                v = raw;
            }
            out[offset + i] = (float) (scaled ? bzero + bscale * v : v);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
