/**
 * Backups and restore: the repository layout and its catalog, retention, schedules, and what a
 * restore replays. The platforms run the programs (pg_basebackup, pg_verifybackup, tar); this
 * package decides what to run and what the result means.
 */
package dev.pgo.backup;
