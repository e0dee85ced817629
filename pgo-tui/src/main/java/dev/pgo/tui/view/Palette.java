package dev.pgo.tui.view;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TextColor;

import java.util.EnumSet;

/**
 * How each {@link Style} looks: in colour, or without (NO_COLOR, --no-color), where only bold
 * and reverse video are used and problems are told by their symbols.
 */
public record Palette(boolean colour) {
    public TextColor foreground(Style style) {
        if (!colour) {
            return TextColor.ANSI.DEFAULT;
        }
        return switch (style) {
            case TITLE, KEY -> TextColor.ANSI.CYAN;
            case HEADER -> TextColor.ANSI.YELLOW;
            case SELECTED -> TextColor.ANSI.BLACK;
            case DIM -> TextColor.ANSI.WHITE;
            case GOOD -> TextColor.ANSI.GREEN;
            case WARN -> TextColor.ANSI.YELLOW_BRIGHT;
            case BAD -> TextColor.ANSI.RED_BRIGHT;
            case INPUT -> TextColor.ANSI.WHITE_BRIGHT;
            case NORMAL -> TextColor.ANSI.DEFAULT;
        };
    }

    public TextColor background(Style style) {
        if (colour && style == Style.SELECTED) {
            return TextColor.ANSI.CYAN;
        }
        return TextColor.ANSI.DEFAULT;
    }

    public EnumSet<SGR> modifiers(Style style) {
        return switch (style) {
            case TITLE, HEADER, BAD -> EnumSet.of(SGR.BOLD);
            case SELECTED -> colour ? EnumSet.noneOf(SGR.class) : EnumSet.of(SGR.REVERSE);
            case INPUT -> colour ? EnumSet.of(SGR.BOLD) : EnumSet.of(SGR.UNDERLINE);
            default -> EnumSet.noneOf(SGR.class);
        };
    }
}
