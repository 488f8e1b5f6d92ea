package latte.models.planet;

import static latte.autodiff.Ops.*;
import static latte.autodiff.ShapeOps.*;

import java.util.ArrayList;
import java.util.List;
import latte.autodiff.Tape;
import latte.autodiff.Var;
import latte.core.Rng;
import latte.envs.Frame;
import latte.models.nets.Frames;
import latte.models.rssm.Rssm;
import latte.models.run.EpisodeFile;

/**
 * Pictures of what the world model has learned, for one recorded episode, one row per step:
 * <pre>
 *   | real frame o_t | posterior reconstruction dec(h_t, s_t ~ q) | open-loop imagination |
 * </pre>
 * The imagination column filters the first {@code context} frames like the reconstruction, then
 * rolls the prior forward under the recorded actions without seeing another frame (PlaNet,
 * figure 5). Errors that grow down the third column show where the dynamics drift.
 */
public final class Dream {
    private Dream() {}

    public static List<Frame> render(WorldModel model, EpisodeFile.Episode ep, int context, int maxSteps, Rng rng) {
        int steps = Math.min(ep.steps(), maxSteps), frame = 64 * 64 * 3;
        if (context < 1 || context > steps)
            throw new IllegalArgumentException("Dream: context " + context + " must be in 1.." + steps);
        List<Frame> out = new ArrayList<>(steps);
        try (Tape.Scope ignored = Tape.noGrad()) {
            Rssm rssm = model.rssm();
            int a = model.actionSize();
            Rssm.State post = rssm.initial(1), open = post;
            for (int t = 0; t < steps; t++) {
                // obs[t] = frame t+1 of the episode, led to by action t (see Batch)
                Var action = Var.of(ep.actions()[t].clone(), 1, a);
                Var e = model.encoder().apply(model.frames(ep.frames()[t + 1], 0, 1, null));
                Var h = rssm.deterministic(post, action);
                post = new Rssm.State(h, rssm.posterior(h, e).rsample(rng));
                if (t < context) open = post;
                else {
                    Var ho = rssm.deterministic(open, action);
                    open = new Rssm.State(ho, rssm.prior(ho).rsample(rng));
                }
                Var both = model.decoder().apply(concat(0, Rssm.features(post), Rssm.features(open))); // [2, 64, 64, 3]
                float[] img = both.toArray();
                byte[] row = new byte[64 * 192 * 3];
                byte[] recon = new byte[frame], imagined = new byte[frame];
                Frames.postprocess(img, 0, frame, recon, 0);
                Frames.postprocess(img, frame, frame, imagined, 0);
                byte[][] panels = {ep.frames()[t + 1], recon, imagined};
                for (int y = 0; y < 64; y++)
                    for (int p = 0; p < 3; p++)
                        System.arraycopy(panels[p], y * 64 * 3, row, (y * 192 + p * 64) * 3, 64 * 3);
                out.add(new Frame(64, 192, 3, row));
            }
        }
        return out;
    }
}
