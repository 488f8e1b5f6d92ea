package latte.models.world;

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
 * Pictures of what a latent world model has learned, for one recorded episode, one row per step:
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
        int steps = Math.min(ep.steps(), maxSteps);
        if (context < 1 || context > steps)
            throw new IllegalArgumentException("Dream: context " + context + " must be in 1.." + steps);
        int h = ep.layout().height(), w = ep.layout().width(), c = ep.layout().channels(), frame = ep.layout().bytes();
        List<Frame> out = new ArrayList<>(steps);
        try (Tape.Scope ignored = Tape.noGrad()) {
            int a = model.actionSize();
            Rssm.State post = model.initial(1), open = post;
            for (int t = 0; t < steps; t++) {
                // obs[t] = observation t+1 of the episode, led to by action t (see Batch)
                Var action = Var.of(ep.actions()[t].clone(), 1, a);
                post = model.filter(post, action, ep.layout().decode(ep.obs()[t + 1], 0), false, rng);
                open = t < context ? post : model.imagine(open, action, false, rng);
                Var both = model.decode(latte.autodiff.ShapeOps.concat(0, model.features(post), model.features(open))); // [2, H, W, C]
                float[] img = both.toArray();
                byte[] row = new byte[h * 3 * w * c];
                byte[] recon = new byte[frame], imagined = new byte[frame];
                Frames.postprocess(img, 0, frame, recon, 0);
                Frames.postprocess(img, frame, frame, imagined, 0);
                byte[][] panels = {ep.obs()[t + 1], recon, imagined};
                for (int y = 0; y < h; y++)
                    for (int p = 0; p < 3; p++)
                        System.arraycopy(panels[p], y * w * c, row, (y * 3 * w + p * w) * c, w * c);
                out.add(new Frame(h, 3 * w, c, row));
            }
        }
        return out;
    }
}
