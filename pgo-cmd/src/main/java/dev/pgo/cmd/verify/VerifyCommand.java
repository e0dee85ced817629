package dev.pgo.cmd.verify;

import picocli.CommandLine.Command;

/** `pgo verify ...`: checks of what pgo stored. */
@Command(name = "verify", description = "Check backups against their manifests.",
        subcommands = {VerifyBackupCommand.class})
public final class VerifyCommand {
    @picocli.CommandLine.Mixin
    dev.pgo.cmd.HelpOption helpOption;
}
