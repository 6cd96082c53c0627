package org.dsa110.contimg.science.fits;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import nom.tam.fits.FitsException;
import nom.tam.fits.Header;
import nom.tam.fits.HeaderCardException;
import nom.tam.fits.header.Bitpix;
import nom.tam.util.FitsOutputStream;
import org.dsa110.contimg.science.image.Beam;
import org.dsa110.contimg.science.image.ImagePlane;
import org.dsa110.contimg.science.sky.SkyCoords;
import org.dsa110.contimg.science.wcs.CelestialWcs;

/**
 * Writes a float image as the primary HDU of a FITS file (BITPIX −32), either 2-D or, with {@link #radioAxes()},
 * 4-D with degenerate NAXIS3 = FREQ and NAXIS4 = STOKES (I) axes as radio imagers write them.
 *
 * <p>Configure with the fluent setters, then {@link #write}. The file appears atomically: it is written to a
 * temporary file in the target directory and moved into place, so readers never see a partial image.
 *
 * <pre>{@code
 * new FitsImageWriter(wcs).beam(beam).bunit("JY/BEAM").dateObs(start).frequency(1.405e9, 187.5e6)
 *         .object("2025-01-01T00:00:00").radioAxes().write(plane, path);
 * }</pre>
 */
public final class FitsImageWriter {

    private static final int BLOCK = 2880;
    /** Floats per write of the pixel data (16 MB). */
    private static final int CHUNK_FLOATS = 4 << 20;
    private static final Set<String> STRUCTURAL = Set.of("SIMPLE", "BITPIX", "NAXIS", "NAXIS1", "NAXIS2", "NAXIS3",
            "NAXIS4", "EXTEND", "BSCALE", "BZERO", "BLANK", "END");

    private final CelestialWcs wcs;
    private Beam beam;
    private String bunit;
    private Instant dateObs;
    private double frequencyHz = Double.NaN;
    private double bandwidthHz = Double.NaN;
    private String object;
    private boolean radioAxes;
    private final List<Card> extraCards = new ArrayList<>();
    private final List<String> history = new ArrayList<>();

    private record Card(String key, Object value, String comment) {
    }

    /** A writer for images on {@code wcs}; the WCS refers to the full image of which a written plane is part. */
    public FitsImageWriter(CelestialWcs wcs) {
        if (wcs == null) {
            throw new IllegalArgumentException("wcs is required");
        }
        this.wcs = wcs;
    }

    /** BMAJ/BMIN/BPA in degrees. */
    public FitsImageWriter beam(Beam beam) {
        this.beam = beam;
        return this;
    }

    /** BUNIT, e.g. "JY/BEAM". */
    public FitsImageWriter bunit(String bunit) {
        this.bunit = bunit;
        return this;
    }

    /** DATE-OBS (UTC, ms precision) and MJD-OBS of the observation start. */
    public FitsImageWriter dateObs(Instant start) {
        this.dateObs = start;
        return this;
    }

    /** Centre frequency (RESTFRQ, and CRVAL3 with radio axes) and bandwidth (CDELT3), both in Hz and positive. */
    public FitsImageWriter frequency(double centreHz, double bandwidth) {
        if (!(centreHz > 0) || !(bandwidth > 0)) {
            throw new IllegalArgumentException("frequency and bandwidth must be positive: " + centreHz + ", "
                    + bandwidth);
        }
        this.frequencyHz = centreHz;
        this.bandwidthHz = bandwidth;
        return this;
    }

    public FitsImageWriter object(String name) {
        this.object = name;
        return this;
    }

    /** Write NAXIS = 4 with degenerate FREQ (axis 3) and STOKES = I (axis 4) axes; needs {@link #frequency}. */
    public FitsImageWriter radioAxes() {
        this.radioAxes = true;
        return this;
    }

    /** An extra keyword; value is a String, Number or Boolean. Structural keywords (NAXIS, BITPIX, …) are refused. */
    public FitsImageWriter card(String key, Object value, String comment) {
        String k = key.trim().toUpperCase();
        if (STRUCTURAL.contains(k) || k.isEmpty() || k.length() > 8) {
            throw new IllegalArgumentException("keyword not allowed here: '" + key + "'");
        }
        if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
            throw new IllegalArgumentException("unsupported value type for " + key + ": " + value);
        }
        extraCards.add(new Card(k, value, comment == null ? "" : comment));
        return this;
    }

    public FitsImageWriter history(String line) {
        history.add(line);
        return this;
    }

    /**
     * Writes {@code plane} to {@code target} (replacing it), creating parent directories. A plane that is a cutout
     * (x0/y0 ≠ 0) is written as an image of its own with CRPIX shifted so that sky positions are unchanged.
     */
    public void write(ImagePlane plane, Path target) throws IOException {
        if (radioAxes && Double.isNaN(frequencyHz)) {
            throw new IllegalStateException("radio axes need frequency(...)");
        }
        Header header;
        try {
            header = buildHeader(plane);
        } catch (HeaderCardException e) {
            throw new IOException("cannot build FITS header: " + e.getMessage(), e);
        }
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteArrayOutputStream head = new ByteArrayOutputStream();
                try (FitsOutputStream out = new FitsOutputStream(head)) {
                    header.write(out);
                    out.flush();
                }
                writeFully(ch, ByteBuffer.wrap(head.toByteArray()));
                // big-endian IEEE floats, row-major = FITS order, through one large buffer
                float[] data = plane.data();
                ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK_FLOATS * 4).order(ByteOrder.BIG_ENDIAN);
                for (int i = 0; i < data.length; i += CHUNK_FLOATS) {
                    int n = Math.min(CHUNK_FLOATS, data.length - i);
                    buf.clear();
                    buf.asFloatBuffer().put(data, i, n);
                    buf.limit(4 * n);
                    writeFully(ch, buf);
                }
                long dataBytes = 4L * data.length;
                writeFully(ch, ByteBuffer.allocate((int) ((BLOCK - dataBytes % BLOCK) % BLOCK)));
            } catch (FitsException e) {
                throw new IOException("cannot write FITS header: " + e.getMessage(), e);
            }
            ProductFiles.moveIntoPlace(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }


    Header buildHeader(ImagePlane plane) throws HeaderCardException {
        Header h = new Header();
        h.setSimple(true);
        h.setBitpix(Bitpix.FLOAT);
        h.setNaxes(radioAxes ? 4 : 2);
        h.setNaxis(1, plane.width());
        h.setNaxis(2, plane.height());
        if (radioAxes) {
            h.setNaxis(3, 1);
            h.setNaxis(4, 1);
        }
        if (object != null) {
            h.addValue("OBJECT", object, "");
        }
        if (bunit != null) {
            h.addValue("BUNIT", bunit, "brightness unit");
        }
        if (beam != null) {
            h.addValue("BMAJ", beam.bmajDeg(), "[deg] restoring beam major axis FWHM");
            h.addValue("BMIN", beam.bminDeg(), "[deg] restoring beam minor axis FWHM");
            h.addValue("BPA", beam.bpaDeg(), "[deg] restoring beam position angle, E of N");
        }
        CelestialWcs planeWcs = plane.x0() == 0 && plane.y0() == 0 ? wcs : wcs.shiftedOrigin(plane.x0(), plane.y0());
        planeWcs.toHeader(h);
        if (radioAxes) {
            h.addValue("CTYPE3", "FREQ", "");
            h.addValue("CRVAL3", frequencyHz, "[Hz]");
            h.addValue("CDELT3", bandwidthHz, "[Hz]");
            h.addValue("CRPIX3", 1.0, "");
            h.addValue("CUNIT3", "Hz", "");
            h.addValue("CTYPE4", "STOKES", "");
            h.addValue("CRVAL4", 1.0, "Stokes I");
            h.addValue("CDELT4", 1.0, "");
            h.addValue("CRPIX4", 1.0, "");
            h.addValue("CUNIT4", "", "");
        }
        if (!Double.isNaN(frequencyHz)) {
            h.addValue("RESTFRQ", frequencyHz, "[Hz] centre frequency");
            h.addValue("SPECSYS", "TOPOCENT", "");
        }
        if (dateObs != null) {
            h.addValue("DATE-OBS", SkyCoords.formatDateObs(dateObs), "observation start (UTC)");
            h.addValue("MJD-OBS", SkyCoords.instantToMjd(dateObs), "[d] observation start (UTC)");
            h.addValue("TIMESYS", "UTC", "");
        }
        for (Card c : extraCards) {
            if (c.value() instanceof String s) {
                h.addValue(c.key(), s, c.comment());
            } else if (c.value() instanceof Boolean b) {
                h.addValue(c.key(), b, c.comment());
            } else {
                h.addValue(c.key(), (Number) c.value(), c.comment());
            }
        }
        for (String line : history) {
            h.insertHistory(line);
        }
        return h;
    }
}
