#pragma once

#include "HelpTable.h"

namespace moltdesk {

// Renderers of the help table (HelpTable.h). Plain text for --help, roff for the man pages, bash for
// completion: every renderer walks the same entries, so a command added to the table appears in all.

// "sync ENV [--dry-run] [--json] ..." (no program name).
QString commandSynopsis(const HelpCommand &command);
// "moltctl [--profile FILE] [--no-keychain] COMMAND [ARGS]".
QString programSynopsis(const ProgramHelp &help);
// What `PROGRAM --help` prints.
QString usageText(const ProgramHelp &help);
// What `PROGRAM COMMAND --help` prints for every command starting with the word `word`; empty when
// there is none.
QString commandUsage(const ProgramHelp &help, const QString &word);
// The man page PROGRAM(1) in roff (man(7)).
QString manPage(const ProgramHelp &help, const QString &version, const QString &date);
// A bash completion script for a program with commands (moltctl): commands, options, files and folders
// where an option or argument takes one, environment names from `PROGRAM __complete envs`.
QString bashCompletion(const ProgramHelp &help);

} // namespace moltdesk
