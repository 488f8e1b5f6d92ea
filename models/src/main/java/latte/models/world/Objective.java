package latte.models.world;

/** The two latent objectives of the PlaNet paper (section 4 and the deterministic baseline). */
public enum Objective {
    /**
     * The ELBO: {@code -ln p(o|h,s) - ln p(r|h,s) + max(KL(q(s_t|h_t,e_t) || p(s_t|h_t)), free nats)},
     * with {@code s_t} sampled from the posterior.
     */
    VARIATIONAL,
    /**
     * A deterministic encoder {@code s_t = g(h_t, e_t)} (the posterior's mean) trained by
     * reconstruction, reward and the transition log-likelihood {@code -ln p(s_t | h_t)}.
     */
    DETERMINISTIC
}
