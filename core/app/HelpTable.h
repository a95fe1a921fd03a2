#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace moltdesk {

// The one source of both programs' command-line help: `--help`, `COMMAND --help`, the man pages
// moltctl(1) and moltdesk(1) and moltctl's bash completion are all rendered from these tables
// (HelpFormat.h), so none of them can drift from another. A new command or option is one more entry here.

struct HelpOption
{
    QString name;           // "--json"
    QString value;          // "FILE", "ENV", "DIR", "N", ... ; empty for a flag
    QString text;           // one line: what it does
    bool required = false;  // shown without brackets in the synopsis
    QString shortName = {}; // "-p"; empty when there is none
};

struct HelpCommand
{
    QString name;        // "status", "credentials set": words after the program and its global options
    QString positional;  // "ENV [PREFIX]": the arguments before the options
    QString summary;     // one line for the command list
    QString description; // a paragraph for `COMMAND --help` and the man page
    QList<HelpOption> options;
    bool hidden = false; // internal (shell completion): not listed, not in the man page
};

struct HelpItem
{
    QString term;
    QString text;
};

struct HelpSection
{
    QString title; // "EXIT STATUS"
    QString text;  // a paragraph (may be empty)
    QList<HelpItem> items;
    bool inUsage = true; // also printed by --help (else man page only)
};

struct ProgramHelp
{
    QString program;    // "moltctl"
    QString summary;    // the man page's NAME line
    QString positional; // the program's own arguments after its options ("COMMAND [ARGS]")
    QString description;
    QList<HelpOption> options; // global options
    QList<HelpCommand> commands;
    QList<HelpSection> sections;

    // The command whose name is `words` (e.g. {"credentials", "set"}), or nullptr.
    const HelpCommand *command(const QStringList &words) const;
    // Every visible command whose first word is `word` ("credentials" gives "credentials set").
    QList<const HelpCommand *> group(const QString &word) const;
    // The visible commands' first words, in table order, without repeats.
    QStringList commandWords() const;
};

const ProgramHelp &moltctlHelp();
const ProgramHelp &moltdeskHelp();

} // namespace moltdesk
