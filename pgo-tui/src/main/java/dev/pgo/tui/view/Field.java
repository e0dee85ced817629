package dev.pgo.tui.view;

import java.util.List;

/**
 * One input of a {@link Form}: free text, or a choice among values (Left and Right step
 * through them; typing is not needed and not possible).
 */
public final class Field {
    private final String label;
    private final List<String> choices;
    private final StringBuilder text;
    private int choice;

    private Field(String label, String initial, List<String> choices) {
        this.label = label;
        this.choices = choices;
        this.text = new StringBuilder(initial == null ? "" : initial);
        this.choice = choices == null ? 0 : Math.max(0, choices.indexOf(initial));
    }

    public static Field text(String label, String initial) {
        return new Field(label, initial, null);
    }

    public static Field choice(String label, List<String> choices, String initial) {
        if (choices.isEmpty()) {
            throw new IllegalArgumentException("a choice needs values");
        }
        return new Field(label, initial, List.copyOf(choices));
    }

    public String label() {
        return label;
    }

    public String value() {
        return choices == null ? text.toString().strip() : choices.get(choice);
    }

    boolean isChoice() {
        return choices != null;
    }

    void type(char c) {
        if (choices == null) {
            text.append(c);
        }
    }

    void erase() {
        if (choices == null && !text.isEmpty()) {
            text.setLength(text.length() - 1);
        }
    }

    void step(int by) {
        if (choices != null) {
            choice = Math.floorMod(choice + by, choices.size());
        }
    }

    /** The value as drawn in the form. */
    String shown() {
        return choices == null ? text.toString() : "< " + choices.get(choice) + " >";
    }
}
