/** Latte autodiff module. */
package latte.autodiff;
