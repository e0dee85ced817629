package dev.pgo.tui.view;

import com.googlecode.lanterna.input.KeyStroke;
import dev.pgo.tui.model.Board;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * A scrolling table with a selection bar: the clusters, volumes, backups and events views.
 * Columns are as wide as their widest value; when the terminal is too narrow the least
 * important columns go first. The selection follows its row's key across refreshes, and the
 * filter keeps the rows whose text contains it, ignoring case.
 */
public final class TableView<R> implements View {
    /** A column: lower {@code priority} stays longer on a narrow screen (0 always stays). */
    public record Column<R>(String header, int priority, boolean right, Function<R, String> value) {
        public static <R> Column<R> left(String header, int priority, Function<R, String> value) {
            return new Column<>(header, priority, false, value);
        }

        public static <R> Column<R> right(String header, int priority, Function<R, String> value) {
            return new Column<>(header, priority, true, value);
        }
    }

    private static final int MAX_COLUMN = 48;
    private static final int GAP = 2;

    private final String title;
    private final List<Column<R>> columns;
    private final Function<Board, List<R>> rows;
    private final Function<R, String> key;
    private final Function<R, Style> style;
    private final String empty;
    private String filter = "";
    private String selectedKey;
    private int selected;
    private int top;
    private int page = 10;
    private List<R> shown = List.of();

    public TableView(String title, List<Column<R>> columns, Function<Board, List<R>> rows, Function<R, String> key,
                     Function<R, Style> style, String empty) {
        this.title = title;
        this.columns = List.copyOf(columns);
        this.rows = rows;
        this.key = key;
        this.style = style;
        this.empty = empty;
    }

    @Override
    public String title() {
        return title;
    }

    public String filter() {
        return filter;
    }

    public void filter(String text) {
        filter = text == null ? "" : text;
    }

    /**
     * The selected row among {@code board}'s rows as the filter keeps them now: keys typed
     * faster than the screen redraws (a filter, then an action) act on what they would show.
     */
    public Optional<R> selected(Board board) {
        shown = rows(board);
        follow();
        return shown.isEmpty() ? Optional.empty() : Optional.of(shown.get(selected));
    }

    /** The rows the view shows for {@code board}: filtered, in order. */
    public List<R> rows(Board board) {
        List<R> all = rows.apply(board);
        if (filter.isEmpty()) {
            return all;
        }
        String wanted = filter.toLowerCase(Locale.ROOT);
        var kept = new ArrayList<R>();
        for (R row : all) {
            for (Column<R> column : columns) {
                if (column.value().apply(row).toLowerCase(Locale.ROOT).contains(wanted)) {
                    kept.add(row);
                    break;
                }
            }
        }
        return kept;
    }

    @Override
    public void draw(Canvas canvas, int firstRow, int height, Board board) {
        shown = rows(board);
        page = Math.max(1, height - 2);
        follow();
        int[] natural = new int[columns.size()]; // every value is measured once a frame
        for (int i = 0; i < columns.size(); i++) {
            natural[i] = width(columns.get(i));
        }
        List<Integer> kept = fit(canvas.width(), natural);
        List<Column<R>> fitted = kept.stream().map(columns::get).toList();
        int[] widths = kept.stream().mapToInt(i -> natural[i]).toArray();
        int column = 0;
        for (int i = 0; i < fitted.size(); i++) {
            canvas.text(column, firstRow, pad(fitted.get(i).header(), widths[i], fitted.get(i).right()), Style.HEADER);
            column += widths[i] + GAP;
        }
        if (shown.isEmpty()) {
            canvas.text(1, firstRow + 1, filter.isEmpty() ? empty : "nothing matches /" + filter, Style.DIM);
            return;
        }
        int bodyRows = height - 1;
        top = Math.clamp(top, Math.max(0, selected - bodyRows + 1), selected);
        for (int r = 0; r < bodyRows && top + r < shown.size(); r++) {
            R row = shown.get(top + r);
            boolean isSelected = top + r == selected;
            Style rowStyle = isSelected ? Style.SELECTED : style.apply(row);
            if (isSelected) {
                canvas.fill(firstRow + 1 + r, 0, canvas.width(), Style.SELECTED);
            }
            column = 0;
            for (int i = 0; i < fitted.size(); i++) {
                String value = fitted.get(i).value().apply(row);
                canvas.text(column, firstRow + 1 + r, pad(cut(value, widths[i]), widths[i], fitted.get(i).right()),
                        rowStyle);
                column += widths[i] + GAP;
            }
        }
        if (shown.size() > bodyRows) {
            String position = " " + (selected + 1) + "/" + shown.size() + " ";
            canvas.text(canvas.width() - position.length(), firstRow, position, Style.DIM);
        }
    }

    /** Keeps the selection on the same row (by key) when rows come and go. */
    private void follow() {
        if (selectedKey != null) {
            for (int i = 0; i < shown.size(); i++) {
                if (selectedKey.equals(key.apply(shown.get(i)))) {
                    selected = i;
                    return;
                }
            }
        }
        selected = shown.isEmpty() ? 0 : Math.min(selected, shown.size() - 1);
        selectedKey = shown.isEmpty() ? null : key.apply(shown.get(selected));
    }

    /**
     * The indexes of the columns that fit in {@code width}, given their widths: the least
     * important go first; those of priority 0 always stay.
     */
    private List<Integer> fit(int width, int[] natural) {
        var kept = new ArrayList<Integer>();
        int total = -GAP;
        for (int i = 0; i < columns.size(); i++) {
            kept.add(i);
            total += natural[i] + GAP;
        }
        while (kept.size() > 1 && total > width) {
            Integer least = kept.stream().max(java.util.Comparator.comparingInt(i -> columns.get(i).priority()))
                    .orElseThrow();
            if (columns.get(least).priority() == 0) {
                break;
            }
            kept.remove(least);
            total -= natural[least] + GAP;
        }
        return kept;
    }

    private int width(Column<R> column) {
        int width = column.header().length();
        for (R row : shown) {
            width = Math.max(width, column.value().apply(row).length());
        }
        return Math.min(width, MAX_COLUMN);
    }

    private static String cut(String text, int width) {
        return text.length() <= width ? text : text.substring(0, Math.max(0, width - 1)) + "~";
    }

    private static String pad(String text, int width, boolean right) {
        if (text.length() >= width) {
            return text;
        }
        String spaces = " ".repeat(width - text.length());
        return right ? spaces + text : text + spaces;
    }

    @Override
    public boolean key(KeyStroke stroke) {
        int by = Keys.movement(stroke, page);
        if (by == 0) {
            return false;
        }
        selected = Keys.moved(selected, by, shown.size());
        selectedKey = shown.isEmpty() ? null : key.apply(shown.get(selected));
        return true;
    }
}
