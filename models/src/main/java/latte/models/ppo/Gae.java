package latte.models.ppo;

/**
 * Generalised advantage estimation (Schulman et al. 2016; PPO paper, equations 11-12) over a
 * rollout of T steps of N environment copies, laid out time-major ([T, N] flat: index t N + i).
 * <pre>
 *   delta_t = r_t + gamma (1 - terminated_t) V(s'_t) - V(s_t)
 *   A_t     = delta_t + gamma lambda (1 - ended_t) A_{t+1},        A_T = 0
 *   R_t     = A_t + V(s_t)                                          (the value target)
 * </pre>
 * s'_t is the state the step reached: the next row's state while the episode goes on, the
 * episode's last observation when it ended, the state after the rollout at t = T - 1. A terminal
 * state has no future (terminated: V(s') is not used); a time limit cuts the episode but not the
 * task, so a truncated step bootstraps from V(s'_t) of the final observation. Either way the
 * recursion stops at the end of an episode (ended = terminated or truncated): the next row
 * belongs to a new episode.
 */
public final class Gae {
    private Gae() {}

    /** Advantages and value targets, [T, N] each. */
    public record Estimate(float[] advantages, float[] returns) {}

    /**
     * @param rewards    r_t [T, N]
     * @param values     V(s_t) [T, N]
     * @param nextValues V(s'_t) [T, N] (anything where terminated)
     * @param terminated the step reached a terminal state [T, N]
     * @param ended      the step ended the episode, terminated or truncated [T, N]
     */
    public static Estimate estimate(int steps, int envs, float[] rewards, float[] values, float[] nextValues, boolean[] terminated,
                                    boolean[] ended, double gamma, double lambda) {
        int n = steps * envs;
        if (rewards.length != n || values.length != n || nextValues.length != n || terminated.length != n || ended.length != n)
            throw new IllegalArgumentException("Gae.estimate: every array must hold T x N = " + steps + " x " + envs + " = " + n
                    + " entries; got rewards " + rewards.length + ", values " + values.length + ", nextValues " + nextValues.length
                    + ", terminated " + terminated.length + ", ended " + ended.length);
        float[] adv = new float[n], ret = new float[n];
        for (int i = 0; i < envs; i++) {
            double next = 0;                                                                   // A_{t+1}
            for (int t = steps - 1; t >= 0; t--) {
                int k = t * envs + i;
                if (terminated[k] && !ended[k])
                    throw new IllegalArgumentException("Gae.estimate: step " + t + " of copy " + i + " is terminated but not ended");
                double bootstrap = terminated[k] ? 0 : gamma * nextValues[k];
                double delta = rewards[k] + bootstrap - values[k];
                double a = delta + (ended[k] ? 0 : gamma * lambda * next);
                adv[k] = (float) a;
                ret[k] = (float) (a + values[k]);
                next = a;
            }
        }
        return new Estimate(adv, ret);
    }
}
