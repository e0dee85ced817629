package dev.pgo.tui.model;

/**
 * How a row stands, for colour and, where there is no colour, a symbol: a terminal without
 * colour (or NO_COLOR) must still show the problem.
 */
public enum Health {
    OK(" "), WARN("!"), BAD("X"), UNREACHABLE("?");

    private final String symbol;

    Health(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }

    public Health worse(Health other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
