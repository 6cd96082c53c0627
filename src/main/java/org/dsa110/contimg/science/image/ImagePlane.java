package org.dsa110.contimg.science.image;

/**
 * A rectangular block of pixels from a 2-D image (the whole image or a cutout of it).
 *
 * <p>Pixels are stored row-major: {@code data[(y - y0) * width + (x - x0)]}. {@code x0}/{@code y0} are the
 * 0-based coordinates of this block's first pixel in the parent image, so code that works on a cutout can keep
 * using parent-image pixel coordinates. Blank pixels are NaN.
 */
public record ImagePlane(int x0, int y0, int width, int height, float[] data) {

    public ImagePlane {
        if (width < 0 || height < 0 || data.length != (long) width * height) {
            throw new IllegalArgumentException("data length " + data.length + " != " + width + "x" + height);
        }
    }

    public static ImagePlane of(int width, int height, float[] data) {
        return new ImagePlane(0, 0, width, height, data);
    }

    /** True when parent-image pixel (x, y) lies inside this block. */
    public boolean contains(int x, int y) {
        return x >= x0 && y >= y0 && x < x0 + width && y < y0 + height;
    }

    /** Value at parent-image pixel (x, y); NaN outside the block. */
    public float get(int x, int y) {
        return contains(x, y) ? data[(y - y0) * width + (x - x0)] : Float.NaN;
    }

    public void set(int x, int y, float v) {
        data[(y - y0) * width + (x - x0)] = v;
    }
}
