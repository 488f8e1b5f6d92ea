package latte.models.planet;

import latte.core.Rng;
import latte.models.rssm.Rssm;
import latte.models.world.RewardSource;
import latte.models.world.WorldModel;

/** Opens PlaNet's reference plan scorer to tests in other packages (planning on prior means). */
public final class PlanetAgentReference {
    private PlanetAgentReference() {}

    public static void score(WorldModel m, RewardSource r, Rssm.State belief, int horizon, float[] actions, int j, float[] returns) {
        PlanetAgent.scoreReference(m, r, belief, horizon, actions, j, returns, true, new Rng(0));
    }
}
