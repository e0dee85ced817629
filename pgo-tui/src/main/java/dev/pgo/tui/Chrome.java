package dev.pgo.tui;

import dev.pgo.tui.action.Action;
import dev.pgo.tui.action.ActionQueue;
import dev.pgo.tui.model.Board;
import dev.pgo.tui.model.Dashboard;
import dev.pgo.tui.view.Canvas;
import dev.pgo.tui.view.Style;
import dev.pgo.tui.view.View;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The frame around the views: the header (platform, last refresh, operator, the views as tabs,
 * the filter), the status line (an action's progress or result) and the key line.
 */
final class Chrome {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss")
            .withZone(ZoneId.systemDefault());
    /** Help and quit always show, at the right end of the key line. */
    private static final List<String> ALWAYS = List.of("? help", "q quit");

    private final Tui.Settings settings;
    private final Dashboard dashboard;
    private final ActionQueue actions;
    private final Clock clock;

    Chrome(Tui.Settings settings, Dashboard dashboard, ActionQueue actions, Clock clock) {
        this.settings = settings;
        this.dashboard = dashboard;
        this.actions = actions;
        this.clock = clock;
    }

    /** {@code detail} is the title of a pane opened over the current tab, or null. */
    void header(Canvas canvas, Board board, List<? extends View> tabs, View currentTab, String detail, String filter) {
        Instant since = dashboard.refreshingSince();
        String refreshed = board.refreshedAt() == null ? "not yet" : CLOCK.format(board.refreshedAt());
        Duration stuck = since == null ? Duration.ZERO : Duration.between(since, clock.instant());
        int column = canvas.text(0, 0, "pgo ", Style.TITLE);
        column = canvas.text(column, 0, settings.platform() + " " + settings.location(), Style.NORMAL);
        column = canvas.text(column, 0, "  refreshed " + refreshed + " every " + dashboard.interval().toSeconds() + "s",
                Style.NORMAL);
        if (stuck.toSeconds() >= 2) {
            column = canvas.text(column, 0, " (waiting " + stuck.toSeconds() + "s)", Style.WARN);
        } else if (dashboard.failure() != null) {
            column = canvas.text(column, 0, " (failed)", Style.BAD);
        }
        canvas.text(column, 0, "  operator: " + settings.operator(), Style.NORMAL);
        if (settings.readonly()) {
            String tag = " READ-ONLY ";
            canvas.text(canvas.width() - tag.length(), 0, tag, Style.SELECTED);
        }
        column = 0;
        for (View tab : tabs) {
            boolean current = tab == currentTab;
            column = canvas.text(column, 1, current ? "[" + tab.title() + "]" : " " + tab.title() + " ",
                    current ? Style.KEY : Style.DIM) + 1;
        }
        if (detail != null) {
            column = canvas.text(column, 1, "> " + detail, Style.TITLE) + 1;
        }
        if (!filter.isEmpty()) {
            canvas.text(column + 1, 1, "/" + filter, Style.WARN);
        }
    }

    /** A notice if there is one, else the newest action: its progress while it runs, then its result. */
    void status(Canvas canvas, int row, String notice) {
        List<Action> recent = actions.recent();
        Action shown = recent.isEmpty() ? null : recent.getFirst();
        if (notice != null) {
            canvas.text(0, row, notice, Style.WARN);
        } else if (shown != null && !shown.done()) {
            canvas.text(0, row, "* " + shown.title() + " (" + shown.elapsed(clock.instant()).toSeconds() + "s): "
                    + shown.lastLine(), Style.WARN);
        } else if (shown != null) {
            boolean ok = shown.state() == Action.State.SUCCEEDED;
            canvas.text(0, row, (ok ? "done: " : "failed: ") + shown.title()
                    + (ok ? " (" + shown.elapsed(clock.instant()).toSeconds() + "s)" : ": " + shown.reason()),
                    ok ? Style.GOOD : Style.BAD);
        }
    }

    /** "key what" hints from the left, as many as fit before help and quit. */
    void keys(Canvas canvas, int row, List<String> hints) {
        int right = canvas.width() - String.join("  ", ALWAYS).length();
        int column = 0;
        for (String hint : hints) {
            if (column + hint.length() > right - 2) {
                break;
            }
            column = hint(canvas, row, column, hint);
        }
        for (String hint : ALWAYS) {
            right = hint(canvas, row, right, hint);
        }
    }

    private static int hint(Canvas canvas, int row, int column, String hint) {
        int space = hint.indexOf(' ');
        int at = canvas.text(column, row, hint.substring(0, space), Style.KEY);
        return canvas.text(at, row, hint.substring(space) + "  ", Style.DIM);
    }
}
