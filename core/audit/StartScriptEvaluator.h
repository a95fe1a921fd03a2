#pragma once

#include "ShellExpansion.h"
#include "ShellLexer.h"
#include "StartScript.h"

#include <optional>

namespace moltdesk {

// Follows a start script's statements (from ShellLexer) for one value of ENVIRONMENT and says what
// BACKUP_DIR is where the script first reads it. Its state is what the shell would hold: the variables
// and the open constructs (if, loop, case, function, group), each a frame that runs, is skipped or may
// run; one method per construct. Whatever it cannot follow makes the answer "cannot evaluate" with
// why, never a guess.
class StartScriptEvaluator
{
public:
    explicit StartScriptEvaluator(const std::optional<QString> &environment);
    BackupDirEvaluation evaluate(const QList<ShellStatement> &statements);

private:
    struct Frame
    {
        enum class Kind { If, Case, Loop, Function, Brace };
        Kind kind = Kind::If;
        Tri state = Tri::Yes; // Yes: runs, No: skipped, Maybe: cannot tell
        Tri taken = Tri::No;  // If: has an earlier branch run?
        int line = 0;
        QString what; // for evidence
    };
    // An if/elif whose condition has started but not yet reached `then`.
    struct PendingCondition
    {
        bool elif = false;
        QString cond;
        int line = 0;
        bool compound = false;
    };
    struct Assignment
    {
        QString name;
        ShellWord word;
        bool append = false;
    };

    void statement(const ShellStatement &st, QString text);
    bool continuesPending(const ShellStatement &st, const QString &text);
    bool keyword(const ShellStatement &st, const QString &text);
    bool opensConstruct(const ShellStatement &st, const QString &text);

    void condition(const ShellStatement &st, const QString &text); // if / elif: waits for `then`
    void enterIf(const PendingCondition &p);
    void enterElif(const PendingCondition &p);
    void elseBranch();
    void openFrame(Frame::Kind kind, Tri state, int line, const QString &what);
    void closeFrame(Frame::Kind kind);

    void simpleCommand(const ShellStatement &st, const QString &text);
    QList<Assignment> assignments(const QString &text, bool &command) const;
    void assign(const ShellStatement &st, const Assignment &a, const QString &text, const QString &uncertain);
    void unknownBackupDir(const ShellStatement &st, const QString &text);

    Tri runs() const;
    QString uncertainty(const ShellStatement &st) const;
    BackupDirEvaluation result() const;

    ShellVars m_vars;
    QList<Frame> m_frames;
    std::optional<ShellVar> m_atFirstUse; // BACKUP_DIR when the script first reads it
    std::optional<PendingCondition> m_pendingCondition;
    bool m_pendingLoop = false;          // a for/while/until waiting for `do`
    bool m_pendingFunctionBrace = false; // `name()` waiting for `{`
};

} // namespace moltdesk
