package latte.core.kernels;

/**
 * The sizes of one 2-D convolution or transposed convolution over NHWC activations.
 *
 * <p>The op maps an input {@code [batch, inH, inW, inC]} to an output
 * {@code [batch, outH, outW, outC]} with a {@code kernelH x kernelW} window moved by
 * {@code strideH, strideW}. {@code padH, padW} are the zero rows/columns added at the top/left;
 * the bottom/right padding is whatever makes the output size come out as given (it may be negative
 * when the last input rows are never reached, as in a "valid" convolution whose stride does not
 * divide the input).
 *
 * <p>For {@link Conv2d} output row {@code oy} reads input rows {@code oy*strideH - padH + ky},
 * {@code ky < kernelH}. For {@link ConvTranspose2d} the roles flip: input row {@code iy} writes
 * output rows {@code iy*strideH - padH + ky}; {@link #transpose()} gives the convolution whose
 * adjoint it is.
 *
 * <p>Factories: {@link #conv} (PyTorch's symmetric explicit padding), {@link #convValid},
 * {@link #convSame} (TensorFlow's "SAME": {@code out = ceil(in / stride)}, extra padding at the
 * bottom/right), {@link #convTranspose} (PyTorch's output size with output padding),
 * {@link #convTransposeValid}, {@link #convTransposeSame} ({@code out = in * stride}).
 */
public record ConvGeometry(int batch, int inH, int inW, int inC, int outH, int outW, int outC,
                           int kernelH, int kernelW, int strideH, int strideW, int padH, int padW) {

    /** Checks that every size is positive and the paddings are consistent with the output size. */
    public ConvGeometry {
        if (batch < 1 || inH < 1 || inW < 1 || inC < 1 || outH < 1 || outW < 1 || outC < 1
                || kernelH < 1 || kernelW < 1 || strideH < 1 || strideW < 1)
            throw new IllegalArgumentException("ConvGeometry: every size must be >= 1, got " + describe(
                    batch, inH, inW, inC, outH, outW, outC, kernelH, kernelW, strideH, strideW, padH, padW));
        if (padH < 0 || padW < 0 || padH >= kernelH || padW >= kernelW)
            throw new IllegalArgumentException("ConvGeometry: padding (padH=" + padH + ", padW=" + padW
                    + ") must be in [0, kernel) for kernel " + kernelH + "x" + kernelW);
    }

    /** Outputs of a convolution along one axis: {@code (in + padBegin + padEnd - kernel) / stride + 1}. */
    public static int convOutSize(int in, int kernel, int stride, int padBegin, int padEnd) {
        int span = in + padBegin + padEnd - kernel;
        if (in < 1 || kernel < 1 || stride < 1 || padBegin < 0 || padEnd < 0 || span < 0)
            throw new IllegalArgumentException("ConvGeometry.convOutSize: input " + in + " with padding "
                    + padBegin + "+" + padEnd + " is smaller than kernel " + kernel + " (stride " + stride + ")");
        return span / stride + 1;
    }

    /** Outputs of a transposed convolution along one axis: {@code (in-1)*stride - 2*pad + kernel + outPad}. */
    public static int convTransposeOutSize(int in, int kernel, int stride, int pad, int outPad) {
        if (in < 1 || kernel < 1 || stride < 1 || pad < 0 || outPad < 0 || outPad >= stride)
            throw new IllegalArgumentException("ConvGeometry.convTransposeOutSize: need in, kernel, stride >= 1, "
                    + "pad >= 0, 0 <= outPad < stride; got in=" + in + " kernel=" + kernel + " stride=" + stride
                    + " pad=" + pad + " outPad=" + outPad);
        int out = (in - 1) * stride - 2 * pad + kernel + outPad;
        if (out < 1)
            throw new IllegalArgumentException("ConvGeometry.convTransposeOutSize: padding " + pad
                    + " leaves no output (in=" + in + " kernel=" + kernel + " stride=" + stride + ")");
        return out;
    }

    /** A convolution with {@code pad} zeros on both sides of each axis (PyTorch's {@code padding=}). */
    public static ConvGeometry conv(int batch, int inH, int inW, int inC, int outC, int kernelH, int kernelW,
                                    int strideH, int strideW, int padH, int padW) {
        return new ConvGeometry(batch, inH, inW, inC,
                convOutSize(inH, kernelH, strideH, padH, padH), convOutSize(inW, kernelW, strideW, padW, padW),
                outC, kernelH, kernelW, strideH, strideW, padH, padW);
    }

    /** A convolution without padding: {@code out = (in - kernel) / stride + 1}. */
    public static ConvGeometry convValid(int batch, int inH, int inW, int inC, int outC, int kernelH, int kernelW,
                                         int strideH, int strideW) {
        return conv(batch, inH, inW, inC, outC, kernelH, kernelW, strideH, strideW, 0, 0);
    }

    /**
     * TensorFlow's "SAME" convolution: {@code out = ceil(in / stride)}; the total padding
     * {@code max((out-1)*stride + kernel - in, 0)} is split with the smaller half at the top/left.
     */
    public static ConvGeometry convSame(int batch, int inH, int inW, int inC, int outC, int kernelH, int kernelW,
                                        int strideH, int strideW) {
        if (inH < 1 || inW < 1 || strideH < 1 || strideW < 1 || kernelH < 1 || kernelW < 1)
            throw new IllegalArgumentException("ConvGeometry.convSame: sizes must be >= 1, got input "
                    + inH + "x" + inW + " kernel " + kernelH + "x" + kernelW + " stride " + strideH + "x" + strideW);
        int oh = (inH + strideH - 1) / strideH, ow = (inW + strideW - 1) / strideW;
        int padH = Math.max((oh - 1) * strideH + kernelH - inH, 0) / 2;
        int padW = Math.max((ow - 1) * strideW + kernelW - inW, 0) / 2;
        return new ConvGeometry(batch, inH, inW, inC, oh, ow, outC, kernelH, kernelW, strideH, strideW, padH, padW);
    }

    /** A transposed convolution with PyTorch's {@code padding} and {@code output_padding}. */
    public static ConvGeometry convTranspose(int batch, int inH, int inW, int inC, int outC, int kernelH,
                                             int kernelW, int strideH, int strideW, int padH, int padW,
                                             int outPadH, int outPadW) {
        return new ConvGeometry(batch, inH, inW, inC,
                convTransposeOutSize(inH, kernelH, strideH, padH, outPadH),
                convTransposeOutSize(inW, kernelW, strideW, padW, outPadW),
                outC, kernelH, kernelW, strideH, strideW, padH, padW);
    }

    /** A transposed convolution without padding: {@code out = (in-1)*stride + kernel} (PlaNet's decoder). */
    public static ConvGeometry convTransposeValid(int batch, int inH, int inW, int inC, int outC, int kernelH,
                                                  int kernelW, int strideH, int strideW) {
        return convTranspose(batch, inH, inW, inC, outC, kernelH, kernelW, strideH, strideW, 0, 0, 0, 0);
    }

    /** The adjoint of {@link #convSame}: {@code out = in * stride}. */
    public static ConvGeometry convTransposeSame(int batch, int inH, int inW, int inC, int outC, int kernelH,
                                                 int kernelW, int strideH, int strideW) {
        ConvGeometry c = convSame(batch, inH * strideH, inW * strideW, outC, inC, kernelH, kernelW, strideH, strideW);
        return c.transpose();
    }

    /** The same window with input and output swapped: the convolution a transposed convolution is the adjoint of. */
    public ConvGeometry transpose() {
        return new ConvGeometry(batch, outH, outW, outC, inH, inW, inC, kernelH, kernelW, strideH, strideW, padH, padW);
    }

    /** Floats in the input {@code [batch, inH, inW, inC]}. */
    public int inSize() {
        return batch * inH * inW * inC;
    }

    /** Floats in the output {@code [batch, outH, outW, outC]}. */
    public int outSize() {
        return batch * outH * outW * outC;
    }

    /**
     * FLOPs (two per multiply-add) of a {@link Conv2d} with this geometry: every output position
     * sums a whole window. For a {@link ConvTranspose2d} use {@link #transposeFlops()}.
     */
    public long flops() {
        return 2L * batch * outH * outW * kernelH * kernelW * inC * outC;
    }

    /** FLOPs of a {@link ConvTranspose2d} with this geometry: every input position spreads a whole window. */
    public long transposeFlops() {
        return transpose().flops();
    }

    /**
     * Checks, for a convolution from input to output, that the output size fits the padded
     * input: every output row starts inside the input or its top padding and the implied
     * bottom padding is less than the kernel (no output sees only padding).
     */
    void checkConv(String op) {
        int padBottom = (outH - 1) * strideH + kernelH - padH - inH;
        int padRight = (outW - 1) * strideW + kernelW - padW - inW;
        if (padBottom <= -strideH || padBottom >= kernelH || padRight <= -strideW || padRight >= kernelW)
            throw new IllegalArgumentException(op + ": output " + outH + "x" + outW + " does not match input "
                    + inH + "x" + inW + " with kernel " + kernelH + "x" + kernelW + ", stride " + strideH + "x"
                    + strideW + ", padding " + padH + "x" + padW + " (implied bottom/right padding " + padBottom
                    + "x" + padRight + "); use the ConvGeometry factories");
    }

    @Override
    public String toString() {
        return describe(batch, inH, inW, inC, outH, outW, outC, kernelH, kernelW, strideH, strideW, padH, padW);
    }

    private static String describe(int batch, int inH, int inW, int inC, int outH, int outW, int outC,
                                   int kernelH, int kernelW, int strideH, int strideW, int padH, int padW) {
        return "[" + batch + "," + inH + "," + inW + "," + inC + "] -> [" + batch + "," + outH + "," + outW + ","
                + outC + "] kernel " + kernelH + "x" + kernelW + " stride " + strideH + "x" + strideW
                + " pad " + padH + "x" + padW;
    }
}
