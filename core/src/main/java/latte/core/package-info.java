/** Latte core module. */
package latte.core;
