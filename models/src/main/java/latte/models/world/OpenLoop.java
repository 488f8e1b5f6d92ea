package latte.models.world;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import latte.autodiff.ShapeOps;
import latte.autodiff.Tape;
import latte.autodiff.Var;
import latte.core.Rng;
import latte.models.nets.Frames;
import latte.models.rssm.Rssm;
import latte.models.run.EpisodeFile;

/**
 * How fast imagination drifts from reality: the open-loop prediction error of a world model
 * against the horizon (PlaNet, section 6 and figure 5's open-loop rows, as a number).
 * <pre>
 *   filter the episode with the posterior (means): b_t = q(s_t | h_t, o_{<=t})
 *   from each start t (after at least `context` frames), roll the prior k steps under the
 *   recorded actions, without frames:    s^_{t+k} = mean p(s_{t+k} | h_{t+k}),  h from s^_{t+k-1}
 *   e_k = mean over starts and pixels of (o_{t+k} - dec(h_{t+k}, s^_{t+k}))^2     pixels in [0, 1]
 * </pre>
 * Next to it, the error of holding the last seen frame, {@code (o_{t+k} - o_t)^2}: how much the
 * scene changes over k steps, the bar a model has to beat. Means are used throughout, so the
 * number measures the model's dynamics and not its sampling noise.
 */
public final class OpenLoop {
    private OpenLoop() {}

    /**
     * Summed squared errors over the starts of one or more episodes, per horizon.
     *
     * @param model  squared error of the model's open-loop prediction, summed over starts
     * @param hold   squared error of holding the last seen frame, summed over starts
     * @param starts how many predictions each sum holds
     */
    public record Errors(int[] horizons, double[] model, double[] hold, int starts) {
        public Errors {
            if (model.length != horizons.length || hold.length != horizons.length)
                throw new IllegalArgumentException("OpenLoop.Errors: " + horizons.length + " horizons, " + model.length + " and " + hold.length + " sums");
        }

        /** Mean squared error per pixel of the model at each horizon. */
        public double[] modelMse() {
            return Arrays.stream(model).map(s -> s / starts).toArray();
        }

        /** Mean squared error per pixel of holding the last frame at each horizon. */
        public double[] holdMse() {
            return Arrays.stream(hold).map(s -> s / starts).toArray();
        }

        /** The sums of two sets of starts (the same horizons). */
        public Errors plus(Errors o) {
            if (!Arrays.equals(horizons, o.horizons)) throw new IllegalArgumentException("OpenLoop.Errors: different horizons");
            double[] m = model.clone(), h = hold.clone();
            for (int i = 0; i < m.length; i++) {
                m[i] += o.model[i];
                h[i] += o.hold[i];
            }
            return new Errors(horizons, m, h, starts + o.starts);
        }
    }

    /**
     * The errors of {@code model} on one frame episode, from starts {@code stride} steps apart: the
     * first after {@code context} frames, the last where the longest horizon still ends inside it.
     */
    public static Errors errors(WorldModel model, EpisodeFile.Episode ep, int context, int[] horizons, int stride, Rng rng) {
        int[] hs = Arrays.stream(horizons).distinct().sorted().toArray();
        if (hs.length == 0 || hs[0] < 1 || context < 1 || stride < 1)
            throw new IllegalArgumentException("OpenLoop: need horizons >= 1, context >= 1 and stride >= 1, got horizons "
                    + Arrays.toString(horizons) + ", context " + context + ", stride " + stride);
        int steps = ep.steps(), longest = hs[hs.length - 1], frame = ep.layout().bytes(), a = model.actionSize();
        // filtered state t has seen observations 1..t+1 (obs[t + 1] was led to by actions[t], see Batch)
        List<Integer> starts = new ArrayList<>();
        for (int t = context - 1; t + longest <= steps - 1; t += stride) starts.add(t);
        if (starts.isEmpty())
            throw new IllegalArgumentException("OpenLoop: an episode of " + steps + " steps is too short for " + context
                    + " context frames and a horizon of " + longest);
        int n = starts.size();
        double[] modelSum = new double[hs.length], holdSum = new double[hs.length];
        try (Tape.Scope ignored = Tape.noGrad()) {
            Var[] hRows = new Var[n], sRows = new Var[n];
            Rssm.State post = model.initial(1);
            for (int t = 0, next = 0; next < n; t++) {
                post = model.filter(post, Var.of(ep.actions()[t].clone(), 1, a), ep.layout().decode(ep.obs()[t + 1], 0), true, rng);
                if (t == starts.get(next)) {
                    hRows[next] = post.h();
                    sRows[next] = post.s();
                    next++;
                }
            }
            Rssm.State open = new Rssm.State(ShapeOps.concat(0, hRows), ShapeOps.concat(0, sRows));   // [N, D], [N, S]
            float[] actions = new float[n * a];
            byte[] predicted = new byte[n * frame];
            for (int k = 1, i = 0; k <= longest; k++) {
                for (int j = 0; j < n; j++) System.arraycopy(ep.actions()[starts.get(j) + k], 0, actions, j * a, a);
                open = model.imagine(open, Var.of(actions.clone(), n, a), true, rng);
                if (k != hs[i]) continue;
                Frames.postprocess(model.decode(model.features(open)).toArray(), 0, n * frame, predicted, 0);   // [N, H, W, C]
                for (int j = 0; j < n; j++) {
                    int t = starts.get(j);
                    byte[] real = ep.obs()[t + k + 1], last = ep.obs()[t + 1];
                    modelSum[i] += mse(real, predicted, j * frame, frame);
                    holdSum[i] += mse(real, last, 0, frame);
                }
                if (++i == hs.length) break;
            }
        }
        return new Errors(hs, modelSum, holdSum, n);
    }

    /** Mean over the frame of ((x - y) / 255)^2. */
    private static double mse(byte[] x, byte[] y, int yOffset, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            double d = ((x[i] & 0xff) - (y[yOffset + i] & 0xff)) / 255.0;
            s += d * d;
        }
        return s / n;
    }
}
