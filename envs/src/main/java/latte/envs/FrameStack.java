package latte.envs;

/**
 * Stacks the last {@code k} frames along the channel axis: the observation is
 * {@code uint8 [H, W, 3k]}, oldest frame first. After a reset the first frame fills every slot.
 * Wraps an environment whose observations are frames ({@link PixelObservation}).
 */
public final class FrameStack extends Wrapper {
    private final int k;
    private byte[][] ring;
    private int head; // slot of the newest frame

    public FrameStack(Env inner, int k) {
        super(inner);
        if (k <= 0) throw new IllegalArgumentException("FrameStack: k = " + k + ", expected >= 1");
        if (!(inner.observationSpec() instanceof Space.Box b) || b.shape().length != 3) {
            throw new IllegalArgumentException("FrameStack: needs frame observations [H, W, C], got " + inner.observationSpec()
                    + "; wrap with PixelObservation first");
        }
        this.k = k;
    }

    @Override
    public Reset reset(long seed) {
        Reset r = inner.reset(seed);
        return new Reset(fill(r.observation().frame()), r.info());
    }

    @Override
    public Reset reset() {
        Reset r = inner.reset();
        return new Reset(fill(r.observation().frame()), r.info());
    }

    @Override
    public Step step(float[] action) {
        Step s = inner.step(action);
        Frame f = s.observation().frame();
        head = (head + 1) % k;
        ring[head] = f.data();
        return new Step(stacked(f), s.reward(), s.terminated(), s.truncated(), s.info());
    }

    private Frame fill(Frame f) {
        ring = new byte[k][];
        for (int i = 0; i < k; i++) ring[i] = f.data();
        head = k - 1;
        return stacked(f);
    }

    private Frame stacked(Frame f) {
        int c = f.channels(), pixels = f.height() * f.width();
        byte[] out = new byte[pixels * c * k]; // [H, W, k*C]
        for (int j = 0; j < k; j++) {
            byte[] src = ring[(head + 1 + j) % k]; // oldest first
            for (int p = 0; p < pixels; p++) {
                System.arraycopy(src, p * c, out, (p * k + j) * c, c);
            }
        }
        return new Frame(f.height(), f.width(), c * k, out);
    }

    @Override
    public Space observationSpec() {
        int[] s = ((Space.Box) inner.observationSpec()).shape();
        return Space.Box.uniform(0, 255, s[0], s[1], s[2] * k);
    }
}
