package latte.models.worldmodels;

import java.util.random.RandomGenerator;
import latte.autodiff.LstmState;
import latte.autodiff.Tape;
import latte.autodiff.Var;
import latte.core.Rng;
import latte.envs.Canvas;
import latte.envs.Space;
import latte.envs.Task;

/**
 * M as an environment: the dream of World Models (Ha and Schmidhuber 2018, section 4.4), in which
 * C can be trained without the real task. The state is (z, h, c, done); a step feeds [z, a] to
 * the LSTM, samples z' from the mixture at temperature τ (component from softmax(log π / τ),
 * z' = μ + σ √τ ε), takes the reward from M's reward head and samples "done" from its done head.
 * <pre>
 *   reset   z_0 = μ_i + σ_i ε for a start i drawn uniformly (e.g. V's encodings of real first frames), h = c = 0
 *   step    (h, c) <- LSTM([z, a], (h, c));  z ~ MDN(h; τ);  r = r̂(h);  done ~ Bernoulli(σ(d(h)))
 *   observe [z, h] (the features of C), or z alone
 * </pre>
 * The dream is a {@link Task}: {@code reset(seed)} fixes every episode's randomness, the
 * {@link latte.envs.TimeLimit} wrapper cuts episodes, and {@link #physicsState()} /
 * {@link #setPhysicsState} read and set (z, h, c, done). A discrete action space feeds M the
 * one-hot of the index. {@link #render()} decodes z with V when one is given (else draws z as bars).
 * Higher τ makes the dream harder to exploit (the paper's Doom agent transferred best at τ = 1.15).
 */
public final class DreamEnv extends Task {
    /**
     * How the dream runs.
     *
     * @param actions         the real task's action space (M's action input: the box values, or a one-hot)
     * @param temperature     τ > 0 of the MDN sampling
     * @param observeHidden   observe [z, h] (true) or z alone
     * @param episodeSteps    the real task's episode length (what {@link #defaultEpisodeSteps()} reports)
     * @param controlTimestep the real task's seconds per step
     * @param renderSize      side of {@link #render()} frames (8..4096)
     */
    public record Config(Space actions, float temperature, boolean observeHidden, int episodeSteps, double controlTimestep,
                         int renderSize) {
        public Config {
            if (!(temperature > 0) || !Float.isFinite(temperature))
                throw new IllegalArgumentException("DreamEnv: temperature tau = " + temperature + ", expected a finite tau > 0");
            if (episodeSteps < 1 || !(controlTimestep > 0))
                throw new IllegalArgumentException("DreamEnv: episodeSteps " + episodeSteps + " (>= 1), controlTimestep " + controlTimestep + " (> 0)");
        }

        public Config withTemperature(float tau) {
            return new Config(actions, tau, observeHidden, episodeSteps, controlTimestep, renderSize);
        }
    }

    private final MdnRnn m;
    private final Config config;
    private final float[][] startMu, startSigma;
    private final Vae v;
    private final int z, h;
    private Rng rng = new Rng(0);                 // the episode's generator, drawn from the task's at each reset

    /**
     * A dream of {@code m}. Episodes start at {@code startMu[i] (+ startSigma[i] ε)} for a uniformly
     * drawn i ({@code startSigma} may be null: start exactly at the μs). {@code v} (may be null)
     * renders frames.
     */
    public DreamEnv(MdnRnn m, Config config, float[][] startMu, float[][] startSigma, Vae v) {
        super("dream", m.size().latent() + 2 * m.size().hidden() + 1, config.renderSize(), config.renderSize());
        int zs = m.size().latent(), in = config.actions() instanceof Space.Discrete d ? d.n() : config.actions().size();
        if (in != m.size().actions())
            throw new IllegalArgumentException("DreamEnv: M takes " + m.size().actions() + " action inputs, the action space "
                    + config.actions() + " gives " + in);
        if (startMu.length == 0 || startSigma != null && startSigma.length != startMu.length)
            throw new IllegalArgumentException("DreamEnv: " + startMu.length + " start means and "
                    + (startSigma == null ? "no" : startSigma.length) + " sigmas, expected at least one mean and as many sigmas (or none)");
        for (int i = 0; i < startMu.length; i++)
            if (startMu[i].length != zs || startSigma != null && startSigma[i].length != zs)
                throw new IllegalArgumentException("DreamEnv: start " + i + " has " + startMu[i].length + " values, expected z = " + zs);
        if (v != null && v.size().latent() != zs)
            throw new IllegalArgumentException("DreamEnv: V codes z = " + v.size().latent() + ", M predicts z = " + zs);
        this.m = m;
        this.config = config;
        this.startMu = startMu;
        this.startSigma = startSigma;
        this.v = v;
        this.z = zs;
        this.h = m.size().hidden();
    }

    public Config config() {
        return config;
    }

    @Override
    public String[] stateNames() {
        String[] names = new String[z + 2 * h + 1];
        for (int i = 0; i < z; i++) names[i] = "z" + i;
        for (int i = 0; i < h; i++) {
            names[z + i] = "h" + i;
            names[z + h + i] = "c" + i;
        }
        names[z + 2 * h] = "done";
        return names;
    }

    @Override
    public int defaultEpisodeSteps() {
        return config.episodeSteps();
    }

    @Override
    public String source() {
        return "World Models dream: MDN-RNN M (Ha and Schmidhuber 2018) at temperature " + config.temperature();
    }

    @Override
    public double controlTimestep() {
        return config.controlTimestep();
    }

    @Override
    public Space actionSpec() {
        return config.actions();
    }

    @Override
    public Space observationSpec() {
        return Space.Box.uniform(Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, z + (config.observeHidden() ? h : 0));
    }

    @Override
    protected void initialize(RandomGenerator taskRng) {
        int i = taskRng.nextInt(startMu.length);
        rng = new Rng(taskRng.nextLong());
        for (int j = 0; j < z; j++)
            state[j] = startMu[i][j] + (startSigma == null ? 0 : startSigma[i][j] * rng.normal());
        // h, c and done start at 0 (Task zeroes the state before initialize)
    }

    @Override
    protected double advance(float[] action) {
        int a = m.size().actions();
        float[] in = new float[a];
        if (config.actions() instanceof Space.Discrete) in[(int) action[0]] = 1f;
        else System.arraycopy(action, 0, in, 0, a);
        float[] zs = read(0, z), hs = read(z, h), cs = read(z + h, h);
        try (Tape.Scope _ = Tape.noGrad()) {
            MdnRnn.Prediction p = m.step(Var.of(zs, 1, z), Var.of(in, 1, a), new LstmState(Var.of(hs, 1, h), Var.of(cs, 1, h)));
            write(p.next().sample(rng, config.temperature()).toArray(), 0);
            write(p.state().h().toArray(), z);
            write(p.state().c().toArray(), z + h);
            double pDone = 1 / (1 + Math.exp(-p.doneLogits().item()));
            state[z + 2 * h] = rng.nextDouble() < pDone ? 1 : 0;
            return p.reward().item();
        }
    }

    private float[] read(int from, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = (float) state[from + i];
        return out;
    }

    private void write(float[] values, int from) {
        for (int i = 0; i < values.length; i++) state[from + i] = values[i];
    }

    @Override
    protected boolean isTerminal() {
        return state[z + 2 * h] != 0;
    }

    @Override
    protected float[] observe() {
        return read(0, z + (config.observeHidden() ? h : 0));
    }

    @Override
    protected void drawBackground(Canvas c) {
        c.fill(Canvas.rgb(0.5, 0.5, 0.5));
    }

    /** V's decoding of z scaled to the canvas (nearest pixel), or z as bars around the middle line. */
    @Override
    protected void drawBodies(Canvas c) {
        int w = c.width(), ht = c.height();
        if (v != null) {
            float[] img;
            try (Tape.Scope _ = Tape.noGrad()) {
                img = v.decode(Var.of(read(0, z), 1, z)).toArray();      // [1, 64, 64, 3]
            }
            for (int y = 0; y < ht; y++)
                for (int x = 0; x < w; x++) {
                    int i = ((y * 64 / ht) * 64 + x * 64 / w) * 3;
                    c.set(x, y, Canvas.rgb(img[i], img[i + 1], img[i + 2]));
                }
            return;
        }
        int bar = Math.max(1, w / z);
        for (int j = 0; j < z && j * bar < w; j++) {
            int len = (int) Math.round(Math.max(-1, Math.min(1, state[j] / 3)) * ht / 2.0);
            for (int y = Math.min(ht / 2, ht / 2 - len); y < Math.max(ht / 2, ht / 2 - len); y++)
                for (int x = j * bar; x < Math.min(w, (j + 1) * bar); x++) c.set(x, y, Canvas.rgb(0.2, 0.3, 0.8));
        }
    }
}
