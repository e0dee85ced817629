package dev.pgo.tui.view;

import com.googlecode.lanterna.TerminalPosition;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.graphics.TextGraphics;

/**
 * The screen's back buffer as the views write to it: text in a style at a row and column,
 * cut at the right edge (never wrapped), so a narrow terminal loses the end of a line and
 * nothing else.
 */
public final class Canvas {
    private final TextGraphics graphics;
    private final Palette palette;
    private final int width;
    private final int height;

    public Canvas(TextGraphics graphics, Palette palette, TerminalSize size) {
        this.graphics = graphics;
        this.palette = palette;
        this.width = size.getColumns();
        this.height = size.getRows();
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Writes {@code text} from {@code column} on; returns the column after it. */
    public int text(int column, int row, String text, Style style) {
        if (row < 0 || row >= height || column >= width || text.isEmpty()) {
            return column + text.length();
        }
        String shown = text.length() > width - column ? text.substring(0, width - column) : text;
        graphics.setForegroundColor(palette.foreground(style));
        graphics.setBackgroundColor(palette.background(style));
        graphics.setModifiers(palette.modifiers(style));
        graphics.putString(column, row, shown);
        return column + text.length();
    }

    /** A whole row in a style (the selection bar, a dialog's lines). */
    public void fill(int row, int column, int columns, Style style) {
        if (row < 0 || row >= height) {
            return;
        }
        graphics.setForegroundColor(palette.foreground(style));
        graphics.setBackgroundColor(palette.background(style));
        graphics.setModifiers(palette.modifiers(style));
        graphics.fillRectangle(new TerminalPosition(column, row),
                new TerminalSize(Math.max(0, Math.min(columns, width - column)), 1), ' ');
    }

    /** A box with a title, for dialogs; its inside is cleared. */
    public void box(int column, int row, int columns, int rows, String title) {
        for (int r = row; r < row + rows; r++) {
            fill(r, column, columns, Style.NORMAL);
        }
        String horizontal = "-".repeat(Math.max(0, columns - 2));
        text(column, row, "+" + horizontal + "+", Style.DIM);
        text(column, row + rows - 1, "+" + horizontal + "+", Style.DIM);
        for (int r = row + 1; r < row + rows - 1; r++) {
            text(column, r, "|", Style.DIM);
            text(column + columns - 1, r, "|", Style.DIM);
        }
        text(column + 2, row, " " + title + " ", Style.TITLE);
    }
}
