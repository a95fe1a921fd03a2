#pragma once

#include "Result.h"
#include "ShellLexer.h"

#include <QList>
#include <QString>
#include <optional>

namespace moltdesk {

// What the container's start script sets BACKUP_DIR to for one value of ENVIRONMENT.
// Either `evaluated` with a value and the line of the assignment that produced it, or not, with
// `problem` saying why (and `line` pointing at the construct that stopped us, when there is one).
struct BackupDirEvaluation
{
    bool evaluated = false;
    QString value;
    int line = 0;
    QString assignment; // the assignment as written, e.g. BACKUP_DIR="/data/moltbot"
    QString problem;
};

// A deliberately small reader of start-moltbot.sh: it follows plain assignments, substitutes
// variables it knows (ENVIRONMENT and what the script itself set), and takes if/elif/else branches
// whose condition is a test of known values ([ -n "$ENVIRONMENT" ], [ "$ENVIRONMENT" = x ], ...).
// Anything else that could change BACKUP_DIR (loops, case, functions, command substitution,
// variables from the container's environment) makes the answer "cannot evaluate", never a guess.
class StartScript
{
public:
    static constexpr const char *kVariable = "BACKUP_DIR";

    static Result<StartScript> load(const QString &path);
    static StartScript parse(const QByteArray &text, const QString &path = {});

    QString path() const { return m_path; }
    // environment: the value the container receives, std::nullopt when unset (the worker passes
    // ENVIRONMENT only when it is non-empty, so an empty value is treated as unset).
    BackupDirEvaluation evaluateBackupDir(const std::optional<QString> &environment) const;

private:
    QString m_path;
    QList<ShellStatement> m_statements; // from ShellLexer; StartScriptEvaluator follows them
};

} // namespace moltdesk
