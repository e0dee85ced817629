/**
 * Figures for people, the same in every front end: sizes (1.5GiB) and ages (3h).
 */
package dev.pgo.text;
