package latte.envs;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/**
 * Writes frames as PNG images and episodes as animated GIFs with the JDK's ImageIO (no
 * dependencies; AWT's image classes only hold the pixels, nothing is drawn with AWT).
 *
 * <p>GIF holds at most 256 colours: one palette is built for the whole episode by popularity
 * (pixels counted in 5-bit-per-channel bins, the 256 most frequent bins kept at their mean
 * colour) and every pixel maps to its nearest palette entry. The flat colours of the rendered
 * scenes survive exactly; anti-aliased edges snap to a near colour.
 */
public final class Video {
    private Video() {}

    /** Writes one RGB frame as a PNG file. */
    public static void writePng(Frame frame, Path path) {
        checkRgb(frame, "writePng");
        BufferedImage img = new BufferedImage(frame.width(), frame.height(), BufferedImage.TYPE_INT_RGB);
        int[] argb = new int[frame.width() * frame.height()];
        byte[] d = frame.data();
        for (int p = 0; p < argb.length; p++) argb[p] = ((d[3 * p] & 0xff) << 16) | ((d[3 * p + 1] & 0xff) << 8) | (d[3 * p + 2] & 0xff);
        img.setRGB(0, 0, frame.width(), frame.height(), argb, 0, frame.width());
        try {
            createParent(path);
            if (!ImageIO.write(img, "png", path.toFile())) throw new IllegalStateException("writePng: no PNG writer in this JDK");
        } catch (IOException e) {
            throw new UncheckedIOException("writePng: cannot write " + path, e);
        }
    }

    /** Writes the frames as a looping animated GIF, {@code delayMs} per frame (10 ms steps). */
    public static void writeGif(List<Frame> frames, Path path, int delayMs) {
        if (frames.isEmpty()) throw new IllegalArgumentException("writeGif: no frames");
        Frame first = frames.get(0);
        for (Frame f : frames) {
            checkRgb(f, "writeGif");
            if (f.width() != first.width() || f.height() != first.height()) {
                throw new IllegalArgumentException("writeGif: frame " + f + " differs in size from the first " + first);
            }
        }
        int[] palette = palette(frames);
        byte[] r = new byte[256], g = new byte[256], b = new byte[256];
        for (int i = 0; i < palette.length; i++) {
            r[i] = (byte) (palette[i] >> 16);
            g[i] = (byte) (palette[i] >> 8);
            b[i] = (byte) palette[i];
        }
        IndexColorModel model = new IndexColorModel(8, 256, r, g, b);
        int[] lookup = new int[1 << 15];
        Arrays.fill(lookup, -1);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        try {
            createParent(path);
            Files.deleteIfExists(path);
            try (ImageOutputStream out = ImageIO.createImageOutputStream(path.toFile())) {
                writer.setOutput(out);
                writer.prepareWriteSequence(null);
                ImageWriteParam param = writer.getDefaultWriteParam();
                boolean firstFrame = true;
                for (Frame f : frames) {
                    BufferedImage img = new BufferedImage(f.width(), f.height(), BufferedImage.TYPE_BYTE_INDEXED, model);
                    byte[] idx = new byte[f.width() * f.height()];
                    byte[] d = f.data();
                    for (int p = 0; p < idx.length; p++) {
                        int key = ((d[3 * p] & 0xf8) << 7) | ((d[3 * p + 1] & 0xf8) << 2) | ((d[3 * p + 2] & 0xff) >> 3);
                        int k = lookup[key];
                        if (k < 0) lookup[key] = k = nearest(palette, d[3 * p] & 0xff, d[3 * p + 1] & 0xff, d[3 * p + 2] & 0xff);
                        idx[p] = (byte) k;
                    }
                    img.getRaster().setDataElements(0, 0, f.width(), f.height(), idx);
                    IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(img), param);
                    animate(meta, delayMs, firstFrame);
                    writer.writeToSequence(new IIOImage(img, null, meta), param);
                    firstFrame = false;
                }
                writer.endWriteSequence();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writeGif: cannot write " + path, e);
        } finally {
            writer.dispose();
        }
    }

    private static void animate(IIOMetadata meta, int delayMs, boolean loop) throws IOException {
        String format = meta.getNativeMetadataFormatName();
        IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(format);
        IIOMetadataNode gce = child(root, "GraphicControlExtension");
        gce.setAttribute("disposalMethod", "none");
        gce.setAttribute("userInputFlag", "FALSE");
        gce.setAttribute("transparentColorFlag", "FALSE");
        gce.setAttribute("delayTime", Integer.toString(Math.max(1, delayMs / 10)));
        gce.setAttribute("transparentColorIndex", "0");
        if (loop) {
            IIOMetadataNode apps = child(root, "ApplicationExtensions");
            IIOMetadataNode app = new IIOMetadataNode("ApplicationExtension");
            app.setAttribute("applicationID", "NETSCAPE");
            app.setAttribute("authenticationCode", "2.0");
            app.setUserObject(new byte[] {1, 0, 0}); // loop forever
            apps.appendChild(app);
        }
        meta.setFromTree(format, root);
    }

    private static IIOMetadataNode child(IIOMetadataNode root, String name) {
        for (int i = 0; i < root.getLength(); i++) {
            if (root.item(i).getNodeName().equalsIgnoreCase(name)) return (IIOMetadataNode) root.item(i);
        }
        IIOMetadataNode node = new IIOMetadataNode(name);
        root.appendChild(node);
        return node;
    }

    /** Up to 256 colours by popularity of 5-bit bins, each at its bin's mean colour. */
    static int[] palette(List<Frame> frames) {
        long[] count = new long[1 << 15], sr = new long[1 << 15], sg = new long[1 << 15], sb = new long[1 << 15];
        for (Frame f : frames) {
            byte[] d = f.data();
            for (int p = 0; p < d.length; p += 3) {
                int cr = d[p] & 0xff, cg = d[p + 1] & 0xff, cb = d[p + 2] & 0xff;
                int key = ((cr & 0xf8) << 7) | ((cg & 0xf8) << 2) | (cb >> 3);
                count[key]++;
                sr[key] += cr;
                sg[key] += cg;
                sb[key] += cb;
            }
        }
        Integer[] keys = new Integer[1 << 15];
        for (int i = 0; i < keys.length; i++) keys[i] = i;
        Arrays.sort(keys, (a, c) -> Long.compare(count[c], count[a]));
        int n = 0;
        while (n < 256 && count[keys[n]] > 0) n++;
        int[] pal = new int[n];
        for (int i = 0; i < n; i++) {
            int k = keys[i];
            long c = count[k];
            pal[i] = (int) ((sr[k] + c / 2) / c) << 16 | (int) ((sg[k] + c / 2) / c) << 8 | (int) ((sb[k] + c / 2) / c);
        }
        return pal;
    }

    private static int nearest(int[] pal, int r, int g, int b) {
        int best = 0;
        long bestD = Long.MAX_VALUE;
        for (int i = 0; i < pal.length; i++) {
            int dr = ((pal[i] >> 16) & 0xff) - r, dg = ((pal[i] >> 8) & 0xff) - g, db = (pal[i] & 0xff) - b;
            long dd = 2L * dr * dr + 4L * dg * dg + (long) db * db;
            if (dd < bestD) {
                bestD = dd;
                best = i;
            }
        }
        return best;
    }

    private static void checkRgb(Frame f, String op) {
        if (f.channels() != 3) throw new IllegalArgumentException(op + ": needs RGB frames [H, W, 3], got " + f);
    }

    private static void createParent(Path path) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
    }
}
