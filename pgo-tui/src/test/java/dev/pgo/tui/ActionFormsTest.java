package dev.pgo.tui;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import dev.pgo.api.v1.InstanceStatus;
import dev.pgo.api.v1.PgClusterStatus;
import dev.pgo.backup.BackupEntry;
import dev.pgo.backup.BackupStatus;
import dev.pgo.testing.Clusters;
import dev.pgo.tui.data.ClusterFacts;
import dev.pgo.tui.model.ClusterRow;
import dev.pgo.tui.model.Health;
import dev.pgo.tui.view.Form;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What each dialog's answers run: the pgo command line a DBA would have typed. */
class ActionFormsTest {
    private static final ClusterRow ALPHA = new ClusterRow("alpha", "cluster", "Running", 3, 3, "alpha-0", "15", -1,
            "1Gi", null, null, null, null, Health.OK, null);

    private static ClusterFacts alphaFacts() {
        var cluster = Clusters.spec("alpha", 3);
        var status = new PgClusterStatus();
        status.setPrimary("alpha-0");
        for (String name : List.of("alpha-0", "alpha-1", "alpha-2")) {
            var instance = new InstanceStatus();
            instance.setName(name);
            status.getInstances().add(instance);
        }
        cluster.setStatus(status);
        var done = new BackupEntry("20261122T100000Z", "alpha", BackupEntry.TYPE_FULL, BackupStatus.Completed,
                "alpha-0", 15, "2026-11-22T10:00:00Z", "2026-11-22T10:00:05Z", "0/2000028", "0/2000100", 1, 1L << 20,
                5.0, null, null);
        return new ClusterFacts(cluster, null, null, List.of(done), null, null);
    }

    private static ActionForms.Command answer(ActionForms.Pending pending, Object... keys) {
        Form.Outcome outcome = Form.Outcome.OPEN;
        for (Object key : keys) {
            if (key instanceof String text) {
                for (char c : text.toCharArray()) {
                    outcome = pending.form().key(new KeyStroke(c, false, false));
                }
            } else {
                outcome = pending.form().key(new KeyStroke((KeyType) key));
            }
        }
        assertEquals(Form.Outcome.SUBMITTED, outcome, "the form was submitted");
        return pending.command().apply(pending.form());
    }

    @Test
    void createScaleFailoverRestoreAndDeleteMakeTheirCommands() {
        assertEquals(List.of("create", "cluster", "orders", "--replicas", "1", "--storage", "5Gi", "--version", "15"),
                answer(ActionForms.create(), "orders", KeyType.Tab, KeyType.ArrowLeft, KeyType.Tab, "15",
                        KeyType.Tab, KeyType.Backspace, KeyType.Backspace, KeyType.Backspace, "5Gi", KeyType.Enter).args());
        assertEquals(List.of("scale", "alpha", "--replicas", "4"),
                answer(ActionForms.scale(ALPHA), KeyType.ArrowRight, KeyType.ArrowRight, KeyType.Enter).args());
        assertEquals(List.of("switchover", "alpha"), answer(ActionForms.failover(alphaFacts()), KeyType.Enter).args());
        assertEquals(List.of("failover", "alpha", "--target", "alpha-2"), answer(ActionForms.failover(alphaFacts()),
                KeyType.ArrowRight, KeyType.Tab, KeyType.ArrowLeft, KeyType.Enter).args());
        assertEquals(List.of("create", "cluster", "alpha-restored", "--restore-from", "alpha", "--replicas", "2",
                "--backup", "20261122T100000Z"),
                answer(ActionForms.restore(alphaFacts(), null), KeyType.ArrowRight, KeyType.Enter).args());
        assertEquals(List.of("create", "cluster", "alpha-restored", "--restore-from", "alpha", "--replicas", "2",
                "--to-time", "2026-11-22T10:01:00Z"),
                answer(ActionForms.restore(alphaFacts(), "20261122T100000Z"), KeyType.Tab, "2026-11-22T10:01:00Z",
                        KeyType.Enter).args(), "a target time wins over the backup");
        assertEquals(List.of("delete", "cluster", "alpha"), answer(ActionForms.delete(ALPHA), "alpha", KeyType.Enter).args());
    }

    @Test
    void aFormWithAProblemStaysOpenAndSaysIt() {
        var create = ActionForms.create();
        assertEquals(Form.Outcome.OPEN, create.form().key(new KeyStroke(KeyType.Enter)), "no name yet");
        var failover = ActionForms.failover(alphaFacts());
        failover.form().key(new KeyStroke(KeyType.ArrowRight)); // failover
        assertEquals(Form.Outcome.OPEN, failover.form().key(new KeyStroke(KeyType.Enter)), "a failover needs a target");
        var delete = ActionForms.delete(ALPHA);
        for (char c : "alpah".toCharArray()) {
            delete.form().key(new KeyStroke(c, false, false));
        }
        assertEquals(Form.Outcome.OPEN, delete.form().key(new KeyStroke(KeyType.Enter)), "a mistyped name deletes nothing");
        assertEquals(Form.Outcome.CANCELLED, delete.form().key(new KeyStroke(KeyType.Escape)));
    }
}
