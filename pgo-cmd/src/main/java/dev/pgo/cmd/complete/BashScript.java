package dev.pgo.cmd.complete;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes the bash completion script from the command model: every command path's subcommands
 * and options, and every option's kind of value, are tables in the script, so commands and
 * options complete at once with no Java started. Only names that live on the platform (and
 * values the model cannot list) are asked of `pgo __complete`. zsh loads the same script
 * through bashcompinit.
 */
public final class BashScript {
    private final Map<String, String> commands = new TreeMap<>();
    private final Map<String, String> options = new TreeMap<>();
    private final Map<String, String> valueKinds = new TreeMap<>();
    private final Map<String, String> values = new TreeMap<>();
    private final Map<String, String> dynamic = new TreeMap<>();

    private BashScript() {
    }

    public static String bash(CommandSpec root) {
        var script = new BashScript();
        script.visit(root, "pgo", root);
        return script.render();
    }

    public static String zsh(CommandSpec root) {
        return "#compdef pgo\n# zsh completion for pgo: the bash script, loaded through zsh's bashcompinit.\n"
                + "autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n\n" + bash(root);
    }

    private void visit(CommandSpec spec, String path, CommandSpec root) {
        var subcommands = new ArrayList<String>();
        visible(spec.subcommands()).forEach((name, sub) -> subcommands.add(name));
        if (spec.userObject() instanceof CommandLine.HelpCommand) {
            visible(root.subcommands()).forEach((name, sub) -> subcommands.add(name));
        }
        commands.put(path, String.join(" ", subcommands));
        var names = new ArrayList<String>();
        for (OptionSpec option : spec.options()) {
            if (option.hidden()) {
                continue;
            }
            names.addAll(List.of(option.names()));
            if (option.arity().max() == 0) {
                continue;
            }
            List<String> listed = ModelValues.listed(option);
            for (String name : option.names()) {
                String key = path + " " + name;
                if (!listed.isEmpty()) {
                    valueKinds.put(key, "list");
                    values.put(key, String.join(" ", listed));
                } else {
                    valueKinds.put(key, ModelValues.isPath(option) ? "file" : "ask");
                }
            }
        }
        options.put(path, String.join(" ", names));
        boolean namedPositionals = spec.userObject() instanceof CompletesNames
                || spec.positionalParameters().stream().anyMatch(p -> !ModelValues.listed(p).isEmpty());
        if (namedPositionals) {
            dynamic.put(path, "1");
        }
        visible(spec.subcommands()).forEach((name, sub) -> visit(sub.getCommandSpec(), path + " " + name, root));
    }

    private static Map<String, CommandLine> visible(Map<String, CommandLine> subcommands) {
        var visible = new TreeMap<String, CommandLine>();
        subcommands.forEach((name, sub) -> {
            if (!sub.getCommandSpec().usageMessage().hidden()) {
                visible.put(name, sub);
            }
        });
        return visible;
    }

    private String render() {
        var out = new StringBuilder();
        out.append("""
                # bash completion for pgo, written by `pgo completion bash` from pgo's command model.
                # Install: pgo completion bash > ~/.local/share/bash-completion/completions/pgo
                # (or source it from ~/.bashrc). Commands and options complete from the tables below;
                # names of clusters, volumes, backups and instances come from `pgo __complete`.

                """);
        table(out, "_pgo_commands", commands);
        table(out, "_pgo_options", options);
        table(out, "_pgo_value_kinds", valueKinds);
        table(out, "_pgo_values", values);
        table(out, "_pgo_names", dynamic);
        out.append("""

                # (Variables are not named "path": in zsh that is $PATH.)
                # Asks pgo for the names at the cursor and adds those that start with the word typed.
                # The answer is kept 5 seconds per line so far, so a second Tab or one more letter
                # costs no Java start.
                _pgo_ask() {
                    local cur=${COMP_WORDS[COMP_CWORD]} line key file
                    local dir="${XDG_RUNTIME_DIR:-${TMPDIR:-/tmp}}/pgo-complete-$UID"
                    local -a before=("${COMP_WORDS[@]:1:$((COMP_CWORD - 1))}")
                    key=$(printf '%s\n' "${COMP_WORDS[0]}" "$PWD" "${PGO_HOME:-}" "${KUBECONFIG:-}" "${before[@]}" \
                        | cksum | tr ' ' '-')
                    file="$dir/$key"
                    if [[ ! -f $file ]] || (( $(date +%s) - $(stat -c %Y "$file" 2>/dev/null || echo 0) >= 5 )); then
                        mkdir -p -m 700 "$dir" 2>/dev/null
                        "${COMP_WORDS[0]}" __complete -- "${before[@]}" "" > "$file.$$" 2>/dev/null \
                            && mv -f "$file.$$" "$file"
                        rm -f "$file.$$"
                    fi
                    [[ -f $file ]] || return 0
                    while IFS= read -r line; do
                        [[ -z $line || $line == :* || $line != "$cur"* ]] && continue
                        COMPREPLY+=("$line")
                    done < "$file"
                }

                _pgo() {
                    local cur=${COMP_WORDS[COMP_CWORD]} cmd=pgo word skip=0 positionals=0 i
                    COMPREPLY=()
                    for ((i = 1; i < COMP_CWORD; i++)); do
                        word=${COMP_WORDS[i]}
                        if ((skip)); then
                            skip=0
                            continue
                        fi
                        if [[ $word == -* ]]; then
                            [[ -n ${_pgo_value_kinds["$cmd $word"]} && $word != *=* ]] && skip=1
                            continue
                        fi
                        if ((positionals == 0)) && [[ " ${_pgo_commands[$cmd]} " == *" $word "* ]]; then
                            cmd="$cmd $word"
                        else
                            ((positionals++))
                        fi
                    done
                    if ((skip)); then
                        local key="$cmd ${COMP_WORDS[COMP_CWORD - 1]}"
                        case ${_pgo_value_kinds[$key]} in
                            list) COMPREPLY=($(compgen -W "${_pgo_values[$key]}" -- "$cur")) ;;
                            file) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur")) ;;
                            *) _pgo_ask ;;
                        esac
                        return 0
                    fi
                    if [[ $cur == -* ]]; then
                        COMPREPLY=($(compgen -W "${_pgo_options[$cmd]}" -- "$cur"))
                        return 0
                    fi
                    if ((positionals == 0)); then
                        COMPREPLY=($(compgen -W "${_pgo_commands[$cmd]}" -- "$cur"))
                    fi
                    if [[ -n ${_pgo_names[$cmd]} ]]; then
                        _pgo_ask
                    fi
                    return 0
                }

                complete -F _pgo pgo
                """);
        return out.toString();
    }

    private static void table(StringBuilder out, String name, Map<String, String> entries) {
        out.append("declare -gA ").append(name).append("=(\n");
        entries.forEach((key, value) -> out.append("    [").append(quote(key)).append("]=").append(quote(value))
                .append('\n'));
        out.append(")\n");
    }

    /** Single-quoted for bash; names and option words hold no quote, but nothing is assumed. */
    private static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
