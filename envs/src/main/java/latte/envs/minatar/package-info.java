/**
 * The five MinAtar games (Breakout, Asterix, Freeway, Seaquest, Space Invaders), written from the
 * rules of {@code shared/design/MINATAR.md}: {@link latte.envs.Env}s with a boolean grid
 * observation ({@link latte.envs.Observation.Grid}), sticky actions, difficulty ramping and one
 * replayable random source ({@link latte.envs.minatar.Draws}). Registered in
 * {@link latte.envs.Envs} as {@code MinAtar/Breakout} etc.; {@link latte.envs.minatar.MinAtar}
 * builds them with other options.
 */
package latte.envs.minatar;
