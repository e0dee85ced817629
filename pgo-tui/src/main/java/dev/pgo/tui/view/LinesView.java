package dev.pgo.tui.view;

import com.googlecode.lanterna.input.KeyStroke;
import dev.pgo.tui.model.Board;

import java.util.List;
import java.util.function.Function;

/** A scrolling text pane: a cluster's details, a volume's files, a command's output, the help. */
public class LinesView implements View {
    private final String title;
    private final Function<Board, List<Line>> lines;
    private int top;
    private int page = 10;
    private boolean followEnd;

    public LinesView(String title, Function<Board, List<Line>> lines) {
        this.title = title;
        this.lines = lines;
    }

    /** Keeps the last line in sight as lines come (a command's output). */
    public LinesView followingEnd() {
        followEnd = true;
        return this;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public void draw(Canvas canvas, int firstRow, int height, Board board) {
        List<Line> all = lines.apply(board);
        page = Math.max(1, height - 1);
        int last = Math.max(0, all.size() - height);
        top = followEnd ? last : Math.clamp(top, 0, last);
        for (int r = 0; r < height && top + r < all.size(); r++) {
            Line line = all.get(top + r);
            canvas.text(0, firstRow + r, line.text(), line.style());
        }
    }

    @Override
    public boolean key(KeyStroke key) {
        int by = Keys.movement(key, page);
        if (by == 0) {
            return false;
        }
        followEnd = false;
        top = by == Integer.MIN_VALUE ? 0 : by == Integer.MAX_VALUE ? Integer.MAX_VALUE / 2 : Math.max(0, top + by);
        return true;
    }
}
