package dev.pgo.tui.view;

/** What a piece of text is on the screen; a {@link Palette} says how that looks. */
public enum Style {
    NORMAL, TITLE, HEADER, SELECTED, KEY, DIM, GOOD, WARN, BAD, INPUT
}
