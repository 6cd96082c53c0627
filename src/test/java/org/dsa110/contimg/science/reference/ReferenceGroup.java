package org.dsa110.contimg.science.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dsa110.contimg.science.hdf5.Uvh5Data;
import org.dsa110.contimg.science.hdf5.Uvh5Reader;
import org.dsa110.contimg.science.radio.Astrometry;
import org.dsa110.contimg.science.radio.ObservatorySite;

/**
 * The reference group of {@code src/test/resources/reference-group/} (README.md there): 16 UVH5 subband files
 * written by pyuvdata 2.4.2 with visibilities predicted by WSClean 3.1 from point sources at known ICRS positions,
 * the external truth for the hub's visibility and astrometric conventions.
 */
public final class ReferenceGroup {
    private static final Pattern NAME = Pattern.compile(".*_sb(\\d\\d)\\.hdf5");

    /**
     * The Earth orientation the group was made with (astropy's IERS values in pyuvdata): UT1 − UTC from the files'
     * {@code lst_array}, polar motion fitted to the WSClean visibilities (ReferenceVisibilitiesTest); with the hub's
     * default (zero) the field is 0.2–0.3″ off.
     */
    public static final Astrometry.EarthOrientation EARTH_ORIENTATION =
            new Astrometry.EarthOrientation(-0.0192, 0.150, 0.190);

    /** One truth source (ICRS degrees, Jy). */
    public record Source(String name, double raDeg, double decDeg, double fluxJy) {
    }

    private ReferenceGroup() {
    }

    public static Path dir() {
        try {
            return Path.of(ReferenceGroup.class.getResource("/reference-group/truth.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Subband number → file. */
    public static Map<Integer, Path> files() throws IOException {
        Map<Integer, Path> out = new TreeMap<>();
        try (var s = Files.list(dir())) {
            s.forEach(p -> {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches()) {
                    out.put(Integer.parseInt(m.group(1)), p);
                }
            });
        }
        return out;
    }

    /** Subband number → contents. */
    public static TreeMap<Integer, Uvh5Data> read() throws IOException {
        TreeMap<Integer, Uvh5Data> out = new TreeMap<>();
        for (Map.Entry<Integer, Path> e : files().entrySet()) {
            out.put(e.getKey(), Uvh5Reader.read(e.getValue()));
        }
        return out;
    }

    /** The DSA-110 site with {@link #EARTH_ORIENTATION}. */
    public static Astrometry astrometry() {
        return new Astrometry(ObservatorySite.DSA110, EARTH_ORIENTATION);
    }

    public static JsonNode truth() {
        try (InputStream in = ReferenceGroup.class.getResourceAsStream("/reference-group/truth.json")) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<Source> sources() {
        List<Source> out = new ArrayList<>();
        for (JsonNode s : truth().get("sources")) {
            out.add(new Source(s.get("name").asText(), s.get("ra_deg").asDouble(), s.get("dec_deg").asDouble(),
                    s.get("flux_jy").asDouble()));
        }
        return out;
    }
}
