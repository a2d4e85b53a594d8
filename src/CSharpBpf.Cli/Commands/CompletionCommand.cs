using System;
using System.CommandLine;

namespace CSharpBpf.Cli.Commands;

/// <summary><c>csbpf completion bash|zsh</c>: a shell script that completes csbpf's commands and options by asking csbpf
/// itself through System.CommandLine's <c>[suggest:position]</c> directive (the protocol dotnet-suggest uses).</summary>
public static class CompletionCommand
{
    // The directive's position counts from the start of the line after the program's name.
    private const string Bash = """
        # csbpf completion for bash: eval "$(csbpf completion bash)" (e.g. in ~/.bashrc)
        _csbpf_complete() {
            local IFS=$'\n'
            local line="${COMP_LINE#*csbpf}"
            line="${line# }"
            local position=$(( COMP_POINT - ${#COMP_LINE} + ${#line} ))
            (( position < 0 )) && position=0
            COMPREPLY=( $(compgen -W "$(csbpf "[suggest:${position}]" "${line}" 2>/dev/null)" -- "${COMP_WORDS[COMP_CWORD]}") )
        }
        complete -o default -F _csbpf_complete csbpf
        """;

    private const string Zsh = """
        # csbpf completion for zsh: eval "$(csbpf completion zsh)" (e.g. in ~/.zshrc)
        _csbpf_complete() {
            local line="${BUFFER#*csbpf}"
            line="${line# }"
            local position=$(( CURSOR - ${#BUFFER} + ${#line} ))
            (( position < 0 )) && position=0
            local -a candidates
            candidates=(${(f)"$(csbpf "[suggest:${position}]" "${line}" 2>/dev/null)"})
            compadd -- $candidates
        }
        compdef _csbpf_complete csbpf
        """;

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var shell = new Argument<string>("shell") { Description = "bash or zsh" };
        shell.AcceptOnlyFromAmong("bash", "zsh");
        var command = new Command("completion", "Print a shell script that completes csbpf's commands and options (eval \"$(csbpf completion bash)\")") { shell };
        command.SetAction(parse =>
        {
            Console.Out.WriteLine(parse.GetValue(shell) == "zsh" ? Zsh : Bash);
            return 0;
        });
        return command;
    }
}
