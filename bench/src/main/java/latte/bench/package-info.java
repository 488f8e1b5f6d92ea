/** Latte bench module. */
package latte.bench;
