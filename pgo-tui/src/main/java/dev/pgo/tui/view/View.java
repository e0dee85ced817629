package dev.pgo.tui.view;

import com.googlecode.lanterna.input.KeyStroke;
import dev.pgo.tui.model.Board;

/** A pane of the dashboard: it draws itself into the body rows and moves on the keys it knows. */
public interface View {
    /** What the header says this view is ("Clusters", "alpha", "PVC pgdata-alpha-0"). */
    String title();

    void draw(Canvas canvas, int top, int height, Board board);

    /** Handles a movement key; false for a key this view does not use. */
    boolean key(KeyStroke key);
}
