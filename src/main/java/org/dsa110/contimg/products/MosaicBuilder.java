package org.dsa110.contimg.products;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.dsa110.contimg.science.fits.FitsImage;
import org.dsa110.contimg.science.fits.FitsImageWriter;
import org.dsa110.contimg.science.image.Beam;
import org.dsa110.contimg.science.image.ImagePlane;
import org.dsa110.contimg.science.mosaic.MosaicGrid;
import org.dsa110.contimg.science.mosaic.Mosaicker;
import org.dsa110.contimg.science.wcs.CelestialWcs;
import org.dsa110.contimg.science.wcs.Projection;

/**
 * Builds a mosaic from FITS files: the common grid, the inverse-variance weighted mean ({@link Mosaicker}) and two
 * FITS files, the mosaic ({@code <name>.fits}) and its effective-noise map ({@code <name>.noise.fits}), both on the
 * same WCS. Header: BUNIT JY/BEAM; the beam is the largest input beam (BMAJ, with its BMIN/BPA) since the inputs are
 * not convolved to a common resolution; DATE-OBS is the earliest input's; RESTFRQ the mean input frequency;
 * NIMAGES and one HISTORY line per input with its weight.
 */
final class MosaicBuilder {

    /** What was written. */
    record Built(Path image, Path noise, Mosaicker.Result result, double peakJy, double noiseJy,
                 double[] centre) {
    }

    /** One input file with the facts the header needs. */
    record InputFile(long imageId, Path path, Instant dateObs, double frequencyHz) {
    }

    private final Projection projection;

    MosaicBuilder(Projection projection) {
        this.projection = projection;
    }

    Built build(List<InputFile> files, Path image, Path noise, String name) throws IOException {
        List<FileInput> inputs = new ArrayList<>();
        try {
            for (InputFile f : files) {
                inputs.add(new FileInput(FitsImage.open(f.path())));
            }
            List<MosaicGrid.Footprint> feet = inputs.stream()
                    .map(i -> new MosaicGrid.Footprint(i.wcs(), i.width(), i.height())).toList();
            MosaicGrid grid = MosaicGrid.covering(feet, projection);
            Mosaicker.Result r = new Mosaicker().build(inputs, grid);
            Beam beam = null;
            for (FileInput in : inputs) {
                Beam b = in.img.beam();
                if (b != null && (beam == null || b.bmajDeg() > beam.bmajDeg())) {
                    beam = b;
                }
            }
            Instant first = null;
            double freqSum = 0;
            int freqN = 0;
            for (InputFile f : files) {
                if (f.dateObs() != null && (first == null || f.dateObs().isBefore(first))) {
                    first = f.dateObs();
                }
                if (f.frequencyHz() > 0) {
                    freqSum += f.frequencyHz();
                    freqN++;
                }
            }
            write(r.image(), grid.wcs(), beam, first, freqN == 0 ? Double.NaN : freqSum / freqN, name, files, r,
                    "mosaic: inverse-variance weighted mean", image);
            write(r.noise(), grid.wcs(), beam, first, freqN == 0 ? Double.NaN : freqSum / freqN, name + " noise",
                    files, r, "effective noise 1/sqrt(sum w) of the mosaic " + image.getFileName(), noise);
            double peak = Double.NaN;
            for (float v : r.image().data()) {
                if (!Float.isNaN(v) && (Double.isNaN(peak) || v > peak)) {
                    peak = v;
                }
            }
            double[] centre = grid.wcs().pixelToWorld((grid.width() - 1) / 2.0, (grid.height() - 1) / 2.0);
            return new Built(image, noise, r, peak, r.medianNoise(), centre);
        } finally {
            for (FileInput in : inputs) {
                in.img.close();
            }
        }
    }

    private static void write(ImagePlane plane, CelestialWcs wcs, Beam beam, Instant first, double freq,
                              String object, List<InputFile> files, Mosaicker.Result r, String what, Path target)
            throws IOException {
        FitsImageWriter w = new FitsImageWriter(wcs).bunit("JY/BEAM").object(object).history(what)
                .card("NIMAGES", files.size(), "images combined");
        if (beam != null) {
            w.beam(beam);
        }
        if (first != null) {
            w.dateObs(first);
        }
        if (freq > 0) {
            w.card("RESTFRQ", freq, "[Hz] mean input centre frequency");
        }
        for (int i = 0; i < files.size(); i++) {
            w.history(String.format(Locale.ROOT, "input %d: image %d rms %.6g Jy weight %.6g", i + 1,
                    files.get(i).imageId(), r.rms()[i], r.weights()[i]));
        }
        w.write(plane, target);
    }

    /** A FITS file as a mosaic input (pixels read when the mosaicker asks). */
    private static final class FileInput implements Mosaicker.Input {
        final FitsImage img;
        final CelestialWcs wcs;

        FileInput(FitsImage img) {
            this.img = img;
            this.wcs = img.wcs();
        }

        @Override
        public CelestialWcs wcs() {
            return wcs;
        }

        @Override
        public int width() {
            return img.width();
        }

        @Override
        public int height() {
            return img.height();
        }

        @Override
        public ImagePlane readPlane() throws IOException {
            return img.readPlane();
        }
    }
}
