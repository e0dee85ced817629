package dev.pgo.tui.view;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The one-line input at the bottom: `/` filters the rows as you type, `:` takes a pgo command.
 * Tab asks {@code complete} for the last word's candidates: one is filled in, several fill in
 * what they share and are listed above the prompt.
 */
public final class Prompt {
    public enum Outcome { OPEN, SUBMITTED, CANCELLED }

    private final String label;
    private final StringBuilder text;
    private final Consumer<String> typed;
    private final Function<String, List<String>> complete;
    private List<String> candidates = List.of();

    /**
     * {@code typed} sees the text after every key; {@code complete} maps the text to the
     * candidates for its last word.
     */
    public Prompt(String label, String initial, Consumer<String> typed, Function<String, List<String>> complete) {
        this.label = label;
        this.text = new StringBuilder(initial);
        this.typed = typed;
        this.complete = complete;
    }

    public String text() {
        return text.toString();
    }

    public List<String> candidates() {
        return candidates;
    }

    public Outcome key(KeyStroke key) {
        KeyType type = key.getKeyType();
        if (type == KeyType.Escape) {
            return Outcome.CANCELLED;
        }
        if (type == KeyType.Enter) {
            return Outcome.SUBMITTED;
        }
        if (type == KeyType.Tab) {
            completeWord();
            return Outcome.OPEN;
        }
        if (type == KeyType.Backspace && !text.isEmpty()) {
            text.setLength(text.length() - 1);
        } else if (type == KeyType.Character) {
            text.append(key.getCharacter());
        } else {
            return Outcome.OPEN;
        }
        candidates = List.of();
        typed.accept(text.toString());
        return Outcome.OPEN;
    }

    private void completeWord() {
        List<String> found = complete.apply(text.toString());
        int start = text.lastIndexOf(" ") + 1;
        String word = text.substring(start);
        if (found.size() == 1) {
            text.replace(start, text.length(), found.getFirst() + " ");
            candidates = List.of();
        } else if (!found.isEmpty()) {
            String shared = found.getFirst();
            for (String c : found) {
                int n = 0;
                while (n < shared.length() && n < c.length() && shared.charAt(n) == c.charAt(n)) {
                    n++;
                }
                shared = shared.substring(0, n);
            }
            if (shared.length() > word.length()) {
                text.replace(start, text.length(), shared);
            }
            candidates = found;
        }
        typed.accept(text.toString());
    }

    /** Draws the prompt on {@code row}, and the candidates, if any, on the row above. */
    public void draw(Canvas canvas, int row) {
        if (!candidates.isEmpty()) {
            canvas.fill(row - 1, 0, canvas.width(), Style.NORMAL);
            canvas.text(0, row - 1, String.join("  ", candidates), Style.DIM);
        }
        canvas.fill(row, 0, canvas.width(), Style.NORMAL);
        int column = canvas.text(0, row, label, Style.KEY);
        canvas.text(column, row, text + "_", Style.INPUT);
    }
}
