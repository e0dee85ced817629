package dev.pgo.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.screen.Screen;
import com.googlecode.lanterna.screen.TerminalScreen;
import dev.pgo.tui.action.Action;
import dev.pgo.tui.action.ActionQueue;
import dev.pgo.tui.action.CommandLineSupport;
import dev.pgo.tui.data.ClusterFacts;
import dev.pgo.tui.data.DataSource;
import dev.pgo.tui.model.BackupRow;
import dev.pgo.tui.model.Board;
import dev.pgo.tui.model.ClusterRow;
import dev.pgo.tui.model.Dashboard;
import dev.pgo.tui.view.Canvas;
import dev.pgo.tui.view.ClusterDetail;
import dev.pgo.tui.view.Form;
import dev.pgo.tui.view.Line;
import dev.pgo.tui.view.LinesView;
import dev.pgo.tui.view.Palette;
import dev.pgo.tui.view.Panes;
import dev.pgo.tui.view.Prompt;
import dev.pgo.tui.view.Style;
import dev.pgo.tui.view.TableView;
import dev.pgo.tui.view.View;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The dashboard on a Lanterna screen. One thread draws and handles keys; keys arrive from an
 * input thread and news (a refresh, an action's output) from the model's threads, all through
 * one queue, so nothing the platform does can hold up the screen. Views are a stack: the four
 * tables at the bottom (Tab switches), a cluster's or a volume's detail above (Enter, Esc).
 */
public final class Tui {
    /** What the header says and what the user may do: {@code readonly} hides every action. */
    public record Settings(String platform, String location, String operator, boolean readonly, boolean colour) {
    }

    /** Commands a read-only dashboard still runs at the `:` prompt: they change nothing. */
    private static final Set<String> READ_ONLY_COMMANDS = Set.of("show", "help", "version");
    private static final Object REDRAW = new Object();
    private static final Duration KEY_POLL = Duration.ofMillis(10);

    private final TerminalScreen screen;
    private final Dashboard dashboard;
    private final ActionQueue actions;
    private final DataSource source;
    private final CommandLineSupport commandLine;
    private final Settings settings;
    private final Clock clock;
    private final Palette palette;
    private final Chrome chrome;
    private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final TableView<ClusterRow> clusters = Panes.clusters();
    private final TableView<dev.pgo.platform.Volume> volumes = Panes.volumes();
    private final TableView<BackupRow> backups = Panes.backups();
    private final TableView<dev.pgo.tui.model.Event> events;
    private final List<TableView<?>> tabs;
    private final Deque<View> stack = new ArrayDeque<>();
    private final Map<String, CompletableFuture<String>> passwords = new ConcurrentHashMap<>();
    private ActionForms.Pending pending;
    private Prompt prompt;
    /** Whether the prompt is the filter's (else it takes a command). */
    private boolean filtering;
    private String notice;
    private volatile boolean quit;

    public Tui(TerminalScreen screen, Dashboard dashboard, ActionQueue actions, DataSource source,
               CommandLineSupport commandLine, Settings settings, Clock clock) {
        this.screen = screen;
        this.dashboard = dashboard;
        this.actions = actions;
        this.source = source;
        this.commandLine = commandLine;
        this.settings = settings;
        this.clock = clock;
        this.palette = new Palette(settings.colour());
        this.chrome = new Chrome(settings, dashboard, actions, clock);
        this.events = Panes.events(dashboard.events());
        this.tabs = List.of(clusters, volumes, backups, events);
        stack.push(clusters);
    }

    /** Something changed: the screen is drawn again. Safe from any thread. */
    public void changed() {
        inbox.offer(REDRAW);
    }

    /** Runs the dashboard until q (or the input ends); the screen is given back as it was. */
    public void run() throws IOException {
        screen.startScreen();
        screen.setCursorPosition(null);
        screen.getTerminal().addResizeListener((terminal, size) -> changed());
        Thread input = Thread.ofPlatform().daemon().name("pgo-tui-input").start(this::readKeys);
        dashboard.start();
        try {
            draw();
            while (!quit) {
                Object first = inbox.poll(1, TimeUnit.SECONDS); // at least once a second: ages and clocks move
                var batch = new ArrayList<>();
                if (first != null) {
                    batch.add(first);
                    inbox.drainTo(batch);
                }
                for (Object event : batch) {
                    if (event instanceof KeyStroke key && !quit) {
                        handle(key);
                    }
                }
                if (!quit) {
                    draw();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            quit = true;
            input.interrupt();
            screen.stopScreen();
        }
    }

    /**
     * Polls for keys rather than blocking in readInput: a blocking read holds some terminals'
     * lock (Lanterna's virtual terminal) and would stop the drawing thread until a key came.
     */
    private void readKeys() {
        try {
            while (!quit) {
                KeyStroke key = screen.pollInput();
                if (key == null) {
                    Thread.sleep(KEY_POLL.toMillis());
                    continue;
                }
                inbox.put(key);
                if (key.getKeyType() == KeyType.EOF) {
                    return;
                }
            }
        } catch (IOException | InterruptedException e) {
            inbox.offer(new KeyStroke(KeyType.EOF));
        }
    }

    /** Draws the whole frame into the back buffer and sends what changed to the terminal. */
    void draw() throws IOException {
        TerminalSize resized = screen.doResizeIfNecessary();
        screen.clear();
        Canvas canvas = new Canvas(screen.newTextGraphics(), palette, screen.getTerminalSize());
        Board board = dashboard.board();
        TableView<?> table = currentTable();
        chrome.header(canvas, board, tabs, stack.peekLast(), stack.size() > 1 ? stack.peek().title() : null,
                table == null ? "" : table.filter());
        int bodyTop = 2;
        int bodyHeight = Math.max(1, canvas.height() - 4);
        stack.peek().draw(canvas, bodyTop, bodyHeight, board);
        chrome.status(canvas, canvas.height() - 2, notice);
        if (prompt != null) {
            prompt.draw(canvas, canvas.height() - 1);
        } else {
            chrome.keys(canvas, canvas.height() - 1, hints());
        }
        if (pending != null) {
            pending.form().draw(canvas);
        }
        screen.refresh(resized != null ? Screen.RefreshType.COMPLETE : Screen.RefreshType.DELTA);
    }

    /** The key line's hints for the view on top: its own keys first, then the common ones. */
    private List<String> hints() {
        var hints = new ArrayList<String>();
        View view = stack.peek();
        if (view == clusters || view == volumes) {
            hints.add("Enter open");
        }
        if (!settings.readonly() && (view == clusters || isClusterDetail(view))) {
            hints.addAll(List.of("c create", "b backup", "r restore", "s scale", "f failover", "d delete"));
        }
        if (!settings.readonly() && view == backups) {
            hints.add("r restore");
        }
        if (isClusterDetail(view)) {
            hints.add("p password");
        }
        hints.addAll(List.of("/ filter", ": command", "Tab view"));
        return hints;
    }

    void handle(KeyStroke key) {
        notice = null;
        if (key.getKeyType() == KeyType.EOF || (key.isCtrlDown() && key.getCharacter() != null
                && key.getCharacter() == 'c')) {
            quit = true;
            return;
        }
        if (pending != null) {
            handleForm(key);
            return;
        }
        if (prompt != null) {
            handlePrompt(key);
            return;
        }
        View view = stack.peek();
        if (view.key(key)) {
            return;
        }
        if (key.getKeyType() == KeyType.Escape) {
            if (stack.size() > 1) {
                stack.pop();
            } else if (currentTable() != null) {
                currentTable().filter("");
            }
            return;
        }
        if (key.getKeyType() == KeyType.Tab || key.getKeyType() == KeyType.ReverseTab) {
            int at = tabs.indexOf(stack.peekLast());
            int next = Math.floorMod(at + (key.getKeyType() == KeyType.Tab ? 1 : -1), tabs.size());
            stack.clear();
            stack.push(tabs.get(next));
            return;
        }
        if (key.getKeyType() == KeyType.Enter) {
            open(view);
            return;
        }
        if (key.getKeyType() != KeyType.Character) {
            return;
        }
        switch (key.getCharacter()) {
            case 'q' -> quit = true;
            case '?' -> stack.push(new LinesView("Help", board -> Help.lines(settings.readonly())));
            case '/' -> startFilter();
            case ':' -> prompt = new Prompt(":", "", text -> { }, this::complete);
            case '+' -> dashboard.step(1);
            case '-' -> dashboard.step(-1);
            case 'R' -> dashboard.refreshNow();
            case 'p' -> togglePassword(view);
            default -> act(key.getCharacter(), view);
        }
    }

    private void open(View view) {
        if (view == clusters) {
            clusters.selected(dashboard.board()).ifPresent(row -> stack.push(detail(row.name())));
        } else if (view == volumes) {
            volumes.selected(dashboard.board()).ifPresent(v -> {
                var tree = CompletableFuture.supplyAsync(() -> source.volumeTree(v.name()),
                        command -> Thread.ofVirtual().start(command));
                tree.whenComplete((lines, e) -> changed());
                stack.push(new LinesView("PVC " + v.name(), board -> treeLines(v.name(), tree)));
            });
        }
    }

    private static List<Line> treeLines(String volume, CompletableFuture<List<String>> tree) {
        if (!tree.isDone()) {
            return List.of(new Line("reading the files of " + volume + "...", Style.DIM));
        }
        try {
            var lines = new ArrayList<Line>();
            lines.add(Line.title("Files in " + volume));
            tree.join().forEach(l -> lines.add(Line.of(l)));
            return lines;
        } catch (RuntimeException e) {
            return List.of(new Line("could not read " + volume + ": " + e.getMessage(), Style.BAD));
        }
    }

    private ClusterDetailView detail(String name) {
        return new ClusterDetailView(name, board -> ClusterDetail.lines(name, board, dashboard.events(),
                () -> passwordShown(name)));
    }

    /** A cluster's detail pane: a text pane that knows its cluster, for the action keys. */
    private static final class ClusterDetailView extends LinesView {
        private final String cluster;

        ClusterDetailView(String cluster, java.util.function.Function<Board, List<Line>> lines) {
            super(cluster, lines);
            this.cluster = cluster;
        }
    }

    private static boolean isClusterDetail(View view) {
        return view instanceof ClusterDetailView;
    }

    private String passwordShown(String cluster) {
        CompletableFuture<String> read = passwords.get(cluster);
        if (read == null) {
            return null;
        }
        return read.isDone() ? read.exceptionally(e -> "(could not be read)").join() : "reading...";
    }

    private void togglePassword(View view) {
        if (!(view instanceof ClusterDetailView detail)) {
            return;
        }
        if (passwords.remove(detail.cluster) == null) {
            var read = CompletableFuture.supplyAsync(() -> source.password(detail.cluster).orElse("(none yet)"),
                    command -> Thread.ofVirtual().start(command));
            read.whenComplete((p, e) -> changed());
            passwords.put(detail.cluster, read);
        }
    }

    private TableView<?> currentTable() {
        return stack.peek() instanceof TableView<?> table ? table : null;
    }

    private void startFilter() {
        TableView<?> table = currentTable();
        if (table == null) {
            return;
        }
        String before = table.filter();
        prompt = new Prompt("/", before, table::filter, text -> List.of());
        filtering = true;
    }

    private void handlePrompt(KeyStroke key) {
        Prompt.Outcome outcome = prompt.key(key);
        if (outcome == Prompt.Outcome.CANCELLED) {
            if (filtering && currentTable() != null) {
                currentTable().filter("");
            }
        } else if (outcome == Prompt.Outcome.SUBMITTED && !filtering) {
            runTyped(prompt.text());
        }
        if (outcome != Prompt.Outcome.OPEN) {
            prompt = null;
            filtering = false;
        }
    }

    private List<String> complete(String text) {
        var words = new ArrayList<>(commandLine.split(text));
        if (text.isEmpty() || text.endsWith(" ")) {
            words.add("");
        }
        return commandLine.complete(words);
    }

    private void runTyped(String line) {
        List<String> args = commandLine.split(line);
        if (args.isEmpty()) {
            return;
        }
        if (settings.readonly() && !READ_ONLY_COMMANDS.contains(args.getFirst())) {
            notice = "read-only: only show, help and version run here";
            return;
        }
        Action action = actions.submit(String.join(" ", args), args, null);
        stack.push(new LinesView(":" + String.join(" ", args), board -> outputLines(action)).followingEnd());
    }

    private List<Line> outputLines(Action action) {
        var lines = new ArrayList<Line>();
        lines.add(Line.title("pgo " + String.join(" ", action.args())));
        action.output().forEach(l -> lines.add(new Line(l, l.startsWith("error") ? Style.BAD : Style.NORMAL)));
        if (action.done()) {
            lines.add(new Line("(exit " + action.exit() + "; Esc goes back)", Style.DIM));
        }
        return lines;
    }

    private void act(char key, View view) {
        if ("cbrsfd".indexOf(key) < 0) {
            return;
        }
        if (settings.readonly()) {
            notice = "read-only: actions are off (pgo tui without --readonly has them)";
            return;
        }
        Board board = dashboard.board();
        if (view == backups && key == 'r') {
            backups.selected(board).ifPresent(b -> board.facts(b.entry().cluster())
                    .ifPresent(f -> pending = ActionForms.restore(f, b.entry().id())));
            return;
        }
        if (key == 'c' && (view == clusters || isClusterDetail(view))) {
            pending = ActionForms.create();
            return;
        }
        Optional<ClusterRow> row = view == clusters ? clusters.selected(board)
                : view instanceof ClusterDetailView d ? board.row(d.cluster) : Optional.empty();
        if (row.isEmpty()) {
            return;
        }
        ClusterRow selected = row.get();
        Optional<ClusterFacts> facts = board.facts(selected.name());
        switch (key) {
            case 'b' -> submit(ActionForms.backup(selected));
            case 'r' -> facts.ifPresent(f -> pending = ActionForms.restore(f, null));
            case 's' -> pending = ActionForms.scale(selected);
            case 'f' -> facts.ifPresent(f -> pending = ActionForms.failover(f));
            case 'd' -> pending = ActionForms.delete(selected);
            default -> {
            }
        }
    }

    private void handleForm(KeyStroke key) {
        Form.Outcome outcome = pending.form().key(key);
        if (outcome == Form.Outcome.SUBMITTED) {
            submit(pending.command().apply(pending.form()));
        }
        if (outcome != Form.Outcome.OPEN) {
            pending = null;
        }
    }

    private void submit(ActionForms.Command command) {
        actions.submit(command.title(), command.args(), command.cluster());
    }
}
