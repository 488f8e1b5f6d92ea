/** Latte envs module. */
package latte.envs;
