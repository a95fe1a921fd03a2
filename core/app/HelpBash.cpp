// The bash completion renderer of HelpFormat.h. The script's logic is fixed text; what it completes
// (commands, subcommands, options, what each option and argument takes) is generated from the table.
#include "HelpFormat.h"

namespace moltdesk {

namespace {

// What a placeholder completes to: the script's _<program>_value understands ENV, FILE, DIR, COMMAND
// and alternatives of literal words ("N|unlimited" offers "unlimited").
QString placeholders(const QString &positional)
{
    QString s = positional;
    s.remove(QLatin1Char('['));
    s.remove(QLatin1Char(']'));
    return s.simplified();
}

QString quoted(const QString &s)
{
    return QLatin1Char('\'') + s + QLatin1Char('\'');
}

QString optionNames(const QList<HelpOption> &options, bool valued)
{
    QStringList out;
    for (const HelpOption &o : options)
        if (o.value.isEmpty() != valued)
            out << o.name;
    return out.join(QLatin1Char(' '));
}

// case arms: "sync") flags='...'; valued='...'; args='ENV';;
QString commandArms(const ProgramHelp &help)
{
    QString out;
    for (const HelpCommand &c : help.commands) {
        if (c.hidden)
            continue;
        out += QStringLiteral("        %1) flags=%2; valued=%3; args=%4;;\n")
                   .arg(quoted(c.name), quoted(optionNames(c.options, false)),
                        quoted(optionNames(c.options, true)), quoted(placeholders(c.positional)));
    }
    return out;
}

// case arms: 'sync --confirm') echo 'ENV' ;;  (the global options as ' --profile': no command yet)
QString valueArms(const ProgramHelp &help)
{
    QString out;
    for (const HelpOption &o : help.options)
        if (!o.value.isEmpty())
            out += QStringLiteral("        %1) echo %2 ;;\n")
                       .arg(quoted(QLatin1Char(' ') + o.name), quoted(o.value));
    for (const HelpCommand &c : help.commands)
        for (const HelpOption &o : c.options)
            if (!c.hidden && !o.value.isEmpty())
                out += QStringLiteral("        %1) echo %2 ;;\n")
                           .arg(quoted(c.name + QLatin1Char(' ') + o.name), quoted(o.value));
    return out;
}

// case arms for commands with subcommands: "credentials") subs='set';;
QString groupArms(const ProgramHelp &help)
{
    QString out;
    for (const QString &w : help.commandWords()) {
        QStringList subs;
        for (const HelpCommand *c : help.group(w))
            if (c->name.contains(QLatin1Char(' ')))
                subs << c->name.section(QLatin1Char(' '), 1);
        if (!subs.isEmpty())
            out +=
                QStringLiteral("        %1) subs=%2;;\n").arg(quoted(w), quoted(subs.join(QLatin1Char(' '))));
    }
    return out;
}

const char *kScript =
    R"BASH(# bash completion for @P@ (generated from its help table by moltdesk-docgen: do not edit)

_@P@_value() { # kind profile cur
    case $1 in
        ENV) COMPREPLY=($(compgen -W "$(@P@ ${2:+--profile "$2"} __complete envs 2>/dev/null)" -- "$3")) ;;
        FILE) compopt -o filenames 2>/dev/null; local IFS=$'\n'; COMPREPLY=($(compgen -f -- "$3")) ;;
        DIR) compopt -o filenames 2>/dev/null; local IFS=$'\n'; COMPREPLY=($(compgen -d -- "$3")) ;;
        COMMAND) COMPREPLY=($(compgen -W "$_@P@_commands" -- "$3")) ;;
        *'|'*) local w alts words=(); IFS='|' read -ra alts <<<"$1"
               for w in "${alts[@]}"; do [[ $w =~ ^[a-z]+$ ]] && words+=("$w"); done
               COMPREPLY=($(compgen -W "${words[*]}" -- "$3")) ;;
    esac
}

_@P@_commands='@COMMANDS@'

# What the value of option $2 of command $1 is (ENV, FILE, ...); nothing when it takes none.
_@P@_kind() {
    case "$1 $2" in
@VALUES@    esac
}

_@P@() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
    local profile='' cmd='' subs='' flags='' valued='' args='' kind='' i=1 n=0
    COMPREPLY=()
    # global options, up to the command word (the only global option with a value is the profile)
    while (( i < COMP_CWORD )); do
        case ${COMP_WORDS[i]} in
            --profile=*) profile=${COMP_WORDS[i]#--profile=} ;;
            @GLOBALVALUED@) profile=${COMP_WORDS[i+1]}; (( i++ )) ;;
            -*) ;;
            *) break ;;
        esac
        (( i++ ))
    done
    profile=${profile/#\~/$HOME}
    if (( i >= COMP_CWORD )); then
        kind=$(_@P@_kind "" "$prev")
        if [[ -n $kind ]]; then _@P@_value "$kind" "$profile" "$cur"; return; fi
        if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W '@GLOBALS@' -- "$cur"))
        else COMPREPLY=($(compgen -W "$_@P@_commands" -- "$cur")); fi
        return
    fi
    cmd=${COMP_WORDS[i]}; (( i++ ))
    case $cmd in
@GROUPS@    esac
    if [[ -n $subs ]]; then
        if (( i >= COMP_CWORD )); then COMPREPLY=($(compgen -W "$subs" -- "$cur")); return; fi
        cmd="$cmd ${COMP_WORDS[i]}"; (( i++ ))
    fi
    case $cmd in
@COMMANDARMS@        *) return ;;
    esac
    # the value of an option
    kind=$(_@P@_kind "$cmd" "$prev")
    if [[ -n $kind ]]; then _@P@_value "$kind" "$profile" "$cur"; return; fi
    if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W "$flags $valued --help" -- "$cur")); return; fi
    # which argument this is: count the words that are neither options nor their values
    while (( i < COMP_CWORD )); do
        case " $valued " in *" ${COMP_WORDS[i]} "*) (( i++ )) ;; esac
        [[ ${COMP_WORDS[i]} == -* ]] || (( n++ ))
        (( i++ ))
    done
    local -a argv=($args)
    (( n < ${#argv[@]} )) && _@P@_value "${argv[n]}" "$profile" "$cur"
}
complete -F _@P@ @P@
)BASH";

} // namespace

QString bashCompletion(const ProgramHelp &help)
{
    QString s = QString::fromUtf8(kScript);
    QStringList globalValued;
    for (const HelpOption &o : help.options)
        if (!o.value.isEmpty())
            globalValued << o.name;
    QStringList globals;
    for (const HelpOption &o : help.options)
        globals << o.name;
    s.replace(QStringLiteral("@GLOBALVALUED@"), globalValued.join(QLatin1Char('|')));
    s.replace(QStringLiteral("@GLOBALS@"), globals.join(QLatin1Char(' ')));
    s.replace(QStringLiteral("@COMMANDS@"), help.commandWords().join(QLatin1Char(' ')));
    s.replace(QStringLiteral("@VALUES@"), valueArms(help));
    s.replace(QStringLiteral("@GROUPS@"), groupArms(help));
    s.replace(QStringLiteral("@COMMANDARMS@"), commandArms(help));
    s.replace(QStringLiteral("@P@"), help.program);
    return s;
}

} // namespace moltdesk
