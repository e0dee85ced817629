package dev.pgo.tui.view;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;

/** Key tests shared by the views: arrows and their vi letters (k9s and less have both). */
public final class Keys {
    private Keys() {
    }

    public static boolean is(KeyStroke key, char c) {
        return key.getKeyType() == KeyType.Character && key.getCharacter() == c && !key.isCtrlDown()
                && !key.isAltDown();
    }

    /** Rows to move for a movement key (Integer.MIN_VALUE / MAX_VALUE for first / last), or 0. */
    public static int movement(KeyStroke key, int page) {
        return switch (key.getKeyType()) {
            case ArrowUp -> -1;
            case ArrowDown -> 1;
            case PageUp -> -page;
            case PageDown -> page;
            case Home -> Integer.MIN_VALUE;
            case End -> Integer.MAX_VALUE;
            case Character -> is(key, 'k') ? -1 : is(key, 'j') ? 1 : is(key, 'g') ? Integer.MIN_VALUE
                    : is(key, 'G') ? Integer.MAX_VALUE : 0;
            default -> 0;
        };
    }

    /** {@code at} moved by {@code by} within 0..size-1. */
    public static int moved(int at, int by, int size) {
        if (size == 0) {
            return 0;
        }
        if (by == Integer.MIN_VALUE) {
            return 0;
        }
        if (by == Integer.MAX_VALUE) {
            return size - 1;
        }
        return Math.clamp((long) at + by, 0, size - 1);
    }
}
