/**
 * The full-screen dashboard ({@code pgo tui}), built on Lanterna over operator-core: views of
 * clusters, instances, PVCs and backups. It reads and acts only through operator-core.
 */
package dev.pgo.tui;
