/** Latte cuda module. */
package latte.cuda;
