#pragma once

#include "HelpTable.h"
#include "Result.h"
#include "Workspace.h"

#include <QMap>
#include <QSet>
#include <QStringList>
#include <optional>

namespace moltdesk {

// Error::code of the preamble's errors that are the caller's usage: moltctl prints the command's usage
// after them (exit 2).
inline constexpr char kUsageErrorCode[] = "usage";
Error usageError(const QString &message);

// The command of the help table (core/app/HelpTable.cpp) that `word` and the arguments after it name:
// "credentials" with {"set", ...} is "credentials set". nullptr when there is none.
const HelpCommand *findCommand(const ProgramHelp &help, const QString &word, const QStringList &args);

// A command's arguments parsed against its entry in the help table, the one list of what each command
// accepts: an option it lists is accepted (flag or value, as the table says), any other is an error,
// never ignored; the positional arguments and the required options are counted against it too.
struct CommandArgs
{
    const HelpCommand *command = nullptr;
    QStringList positional;        // after the command's own words ("set" of "credentials set")
    QSet<QString> flags;           // "dry-run"
    QMap<QString, QString> values; // "confirm" -> "production"

    bool has(const char *flag) const { return flags.contains(QLatin1String(flag)); }
    bool given(const char *option) const { return values.contains(QLatin1String(option)); }
    QString value(const char *option) const { return values.value(QLatin1String(option)); }
    // The positional argument whose placeholder is `name` ("PREFIX"), empty when not given.
    QString positionalNamed(const QString &name) const;

    static Result<CommandArgs> parse(const HelpCommand &command, const QStringList &args);
};

// The options several commands share, range-checked in one place, so that each is checked the same
// wherever the table accepts it.
struct CommonOptions
{
    int concurrency = 0;          // --concurrency N, 1 to 128; 0: the storage's choice
    int timeoutS = 0;             // --timeout S, 1 to 3600; 0: the command's default
    qint64 maxDelete = -1;        // --max-delete N; -1: the default limit
    bool unlimitedDelete = false; // --max-delete unlimited

    static Result<CommonOptions> check(const CommandArgs &args);
};

// What every command starts from: its arguments, the profile's workspace (when the command needs one),
// the environments its positional arguments name (ENV, A, B: in order) and the shared options' values.
struct Invocation
{
    CommandArgs args;
    std::optional<Workspace> workspace;
    QList<EnvironmentNames> environments;
    CommonOptions options;

    const Workspace &ws() const { return *workspace; }
    const EnvironmentNames &env(int i = 0) const { return environments.at(i); }
};

// KEY=value lines read from standard input, for the commands that take secrets: never from arguments,
// which end up in shell history and `ps`. At most 64 KiB is read.
Result<QMap<QString, QString>> readSecretVars();

// The command's positional placeholders without brackets: "ENV [PREFIX]" gives {"ENV", "PREFIX"}.
QStringList positionalNames(const HelpCommand &command);
// Whether a positional placeholder of the table names one of the profile's environments.
bool namesEnvironment(const QString &placeholder);

} // namespace moltdesk
