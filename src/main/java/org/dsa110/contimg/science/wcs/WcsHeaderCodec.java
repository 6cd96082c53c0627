package org.dsa110.contimg.science.wcs;

import nom.tam.fits.Header;
import nom.tam.fits.HeaderCardException;

/** Reads and writes the celestial WCS keywords of axes 1 and 2 (Greisen &amp; Calabretta 2002). */
final class WcsHeaderCodec {

    private WcsHeaderCodec() {
    }

    static CelestialWcs read(Header h) {
        String ctype1 = h.getStringValue("CTYPE1", "").trim().toUpperCase();
        String ctype2 = h.getStringValue("CTYPE2", "").trim().toUpperCase();
        if (!ctype1.startsWith("RA--") || !ctype2.startsWith("DEC-")) {
            throw new IllegalArgumentException("axes 1/2 are not RA/DEC (CTYPE1='" + ctype1 + "', CTYPE2='"
                    + ctype2 + "')");
        }
        Projection projection = Projection.fromCtype(ctype1);
        if (Projection.fromCtype(ctype2) != projection) {
            throw new IllegalArgumentException("CTYPE1 and CTYPE2 projections differ: " + ctype1 + " / " + ctype2);
        }
        for (String key : new String[] {"CRVAL1", "CRVAL2", "CRPIX1", "CRPIX2"}) {
            if (!h.containsKey(key)) {
                throw new IllegalArgumentException("missing " + key);
            }
        }
        double crval1 = h.getDoubleValue("CRVAL1");
        double crval2 = h.getDoubleValue("CRVAL2");
        double crpix1 = h.getDoubleValue("CRPIX1");
        double crpix2 = h.getDoubleValue("CRPIX2");
        double lonpole = h.getDoubleValue("LONPOLE", CelestialWcs.defaultLonpole(crval2));
        double xi = h.getDoubleValue("PV2_1", 0.0);
        double eta = h.getDoubleValue("PV2_2", 0.0);

        CelestialWcs linear;
        if (h.containsKey("CD1_1") || h.containsKey("CD1_2") || h.containsKey("CD2_1") || h.containsKey("CD2_2")) {
            // Paper I: when any CDi_j is present CDELT/PC are ignored and missing CDi_j default to 0.
            linear = CelestialWcs.fromCd(projection, crval1, crval2, crpix1, crpix2,
                    h.getDoubleValue("CD1_1", 0.0), h.getDoubleValue("CD1_2", 0.0),
                    h.getDoubleValue("CD2_1", 0.0), h.getDoubleValue("CD2_2", 0.0));
            return CelestialWcs.create(projection, crval1, crval2, crpix1, crpix2, linear.cdelt1(), linear.cdelt2(),
                    linear.pc(), lonpole, xi, eta);
        }
        double cdelt1 = h.getDoubleValue("CDELT1", 1.0);
        double cdelt2 = h.getDoubleValue("CDELT2", 1.0);
        double[] pc;
        boolean hasPc = h.containsKey("PC1_1") || h.containsKey("PC1_2") || h.containsKey("PC2_1")
                || h.containsKey("PC2_2");
        if (hasPc || !h.containsKey("CROTA2")) {
            pc = new double[] {h.getDoubleValue("PC1_1", 1.0), h.getDoubleValue("PC1_2", 0.0),
                    h.getDoubleValue("PC2_1", 0.0), h.getDoubleValue("PC2_2", 1.0)};
        } else {
            // Legacy rotation, Paper II eq. 188.
            double rho = Math.toRadians(h.getDoubleValue("CROTA2"));
            double c = Math.cos(rho);
            double s = Math.sin(rho);
            pc = new double[] {c, -(cdelt2 / cdelt1) * s, (cdelt1 / cdelt2) * s, c};
        }
        return CelestialWcs.create(projection, crval1, crval2, crpix1, crpix2, cdelt1, cdelt2, pc, lonpole, xi, eta);
    }

    static void write(CelestialWcs wcs, Header h) throws HeaderCardException {
        for (String key : new String[] {"CD1_1", "CD1_2", "CD2_1", "CD2_2", "CROTA1", "CROTA2",
                "PC1_1", "PC1_2", "PC2_1", "PC2_2", "PV2_1", "PV2_2"}) {
            h.deleteKey(key);
        }
        String code = wcs.projection().name();
        h.addValue("CTYPE1", "RA---" + code, "right ascension, " + code + " projection");
        h.addValue("CRVAL1", wcs.crval1(), "[deg] RA at reference pixel");
        h.addValue("CDELT1", wcs.cdelt1(), "[deg] pixel increment");
        h.addValue("CRPIX1", wcs.crpix1(), "reference pixel (1-based)");
        h.addValue("CUNIT1", "deg", "");
        h.addValue("CTYPE2", "DEC--" + code, "declination, " + code + " projection");
        h.addValue("CRVAL2", wcs.crval2(), "[deg] Dec at reference pixel");
        h.addValue("CDELT2", wcs.cdelt2(), "[deg] pixel increment");
        h.addValue("CRPIX2", wcs.crpix2(), "reference pixel (1-based)");
        h.addValue("CUNIT2", "deg", "");
        double[] pc = wcs.pc();
        if (pc[0] != 1.0 || pc[1] != 0.0 || pc[2] != 0.0 || pc[3] != 1.0) {
            h.addValue("PC1_1", pc[0], "");
            h.addValue("PC1_2", pc[1], "");
            h.addValue("PC2_1", pc[2], "");
            h.addValue("PC2_2", pc[3], "");
        }
        if (wcs.sinXi() != 0.0 || wcs.sinEta() != 0.0) {
            h.addValue("PV2_1", wcs.sinXi(), "SIN xi");
            h.addValue("PV2_2", wcs.sinEta(), "SIN eta");
        }
        h.addValue("LONPOLE", wcs.lonpole(), "[deg] native longitude of celestial pole");
        h.addValue("RADESYS", "FK5", "");
        h.addValue("EQUINOX", 2000.0, "");
    }
}
