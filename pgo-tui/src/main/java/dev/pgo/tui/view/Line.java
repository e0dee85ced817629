package dev.pgo.tui.view;

/** A line of a text pane in one style. */
public record Line(String text, Style style) {
    public static Line of(String text) {
        return new Line(text, Style.NORMAL);
    }

    public static Line title(String text) {
        return new Line(text, Style.TITLE);
    }
}
