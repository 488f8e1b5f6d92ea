/** Latte models module. */
package latte.models;
