package dev.pgo.tui.view;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;

import java.util.List;
import java.util.function.Function;

/**
 * A dialog over the current view: a title, a few fields, and a line of help. Tab and the arrows
 * move between fields, Enter submits, Esc cancels. {@code check} says what is wrong with the
 * values (null when nothing is): the form stays open and shows it.
 */
public final class Form {
    public enum Outcome { OPEN, SUBMITTED, CANCELLED }

    private final String title;
    private final List<Field> fields;
    private final String help;
    private final Function<Form, String> check;
    private int focus;
    private String problem;

    public Form(String title, List<Field> fields, String help, Function<Form, String> check) {
        this.title = title;
        this.fields = List.copyOf(fields);
        this.help = help;
        this.check = check;
    }

    public String title() {
        return title;
    }

    public String value(String label) {
        return fields.stream().filter(f -> f.label().equals(label)).findFirst().orElseThrow().value();
    }

    public Outcome key(KeyStroke key) {
        Field field = fields.get(focus);
        switch (key.getKeyType()) {
            case Escape -> {
                return Outcome.CANCELLED;
            }
            case Enter -> {
                problem = check.apply(this);
                return problem == null ? Outcome.SUBMITTED : Outcome.OPEN;
            }
            case Tab, ArrowDown -> focus = (focus + 1) % fields.size();
            case ReverseTab, ArrowUp -> focus = (focus + fields.size() - 1) % fields.size();
            case ArrowLeft -> field.step(-1);
            case ArrowRight -> field.step(1);
            case Backspace -> field.erase();
            case Character -> {
                if (field.isChoice() && key.getCharacter() == ' ') {
                    field.step(1);
                } else {
                    field.type(key.getCharacter());
                }
            }
            default -> {
            }
        }
        return Outcome.OPEN;
    }

    public void draw(Canvas canvas) {
        int labelWidth = fields.stream().mapToInt(f -> f.label().length()).max().orElse(0) + 2;
        int width = Math.min(canvas.width() - 2, Math.max(56, Math.max(title.length(), help.length()) + 6));
        int height = fields.size() + 5 + (problem == null ? 0 : 1);
        int left = Math.max(0, (canvas.width() - width) / 2);
        int top = Math.max(0, (canvas.height() - height) / 2);
        canvas.box(left, top, width, height, title);
        for (int i = 0; i < fields.size(); i++) {
            Field f = fields.get(i);
            int row = top + 2 + i;
            canvas.text(left + 2, row, f.label() + ":", i == focus ? Style.KEY : Style.NORMAL);
            int valueColumn = left + 2 + labelWidth;
            int valueWidth = Math.max(1, width - labelWidth - 5);
            canvas.fill(row, valueColumn, valueWidth, Style.INPUT);
            String shown = f.shown();
            if (shown.length() > valueWidth - 1) {
                shown = shown.substring(shown.length() - valueWidth + 1);
            }
            canvas.text(valueColumn, row, shown + (i == focus && !f.isChoice() ? "_" : ""), Style.INPUT);
        }
        int row = top + 3 + fields.size();
        if (problem != null) {
            canvas.text(left + 2, row++, problem, Style.BAD);
        }
        canvas.text(left + 2, row, help, Style.DIM);
    }
}
