package dev.pgo.cmd.output;

/** How `show` commands print: a table for people, wide for more columns, json/yaml/name for scripts. */
public enum OutputFormat {
    table, wide, json, yaml, name
}
