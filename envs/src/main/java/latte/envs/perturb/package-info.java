/**
 * Changes injected into an environment at a known step of every episode, for novelty detection
 * (is the world model surprised, and how soon?) and robustness checks: visual ones that alter
 * the frames ({@link latte.envs.perturb.ColourShift}, {@link latte.envs.perturb.Occlusion},
 * {@link latte.envs.perturb.PixelNoise}) and physical ones that scale a constant of the task
 * ({@link latte.envs.perturb.PhysicsPerturbation} over {@link latte.envs.Scalable}). Before the
 * step, everything is bit-identical to the unwrapped environment.
 * {@link latte.envs.perturb.Perturbations} makes them by name.
 */
package latte.envs.perturb;
