#pragma once

#include <QHash>
#include <QList>
#include <QString>

namespace moltdesk {

// What the start-script reader knows of one shell variable.
struct ShellVar
{
    enum class State { Unset, Set, Unknown };
    State state = State::Unset;
    QString value;
    QString why;  // for Unknown
    int line = 0; // the assignment (or the construct that made it unknown)
    QString assignment;
};

using ShellVars = QHash<QString, ShellVar>;

// The expansion of one shell word, or why it cannot be expanded.
struct ShellWord
{
    QString value;
    bool quoted = false;
    QString unknown;
};

// Expands shell words over known variables: quotes, backslashes, $NAME, ${NAME}, ${NAME:-word} and
// the other default / alternative forms. Anything whose value it cannot know (command substitution,
// special parameters, ~, a variable the script never sets) leaves `unknown` saying what it was.
class ShellExpander
{
public:
    explicit ShellExpander(const ShellVars &vars) : m_vars(vars) {}

    // Reads one word starting at pos (leading blanks skipped); pos ends after it.
    // Returns false when there is no word left.
    bool word(const QString &s, qsizetype &pos, ShellWord &w) const;
    // All words of s ([ ... ] arguments): unquoted words that expand to nothing disappear, as in sh.
    QList<ShellWord> words(const QString &s) const;
    // A whole string as the inside of double quotes (used for ${X:-word} operands).
    ShellWord expandQuoted(const QString &s) const;

private:
    static void fail(ShellWord &w, const QString &what);
    void doubleQuoted(const QString &s, qsizetype &pos, ShellWord &w) const;
    void dollar(const QString &s, qsizetype &pos, ShellWord &w) const;
    void braced(const QString &s, qsizetype &pos, ShellWord &w) const;
    void parameterOperator(const QString &name, const QString &op, const QString &inner, ShellWord &w) const;
    ShellVar lookup(const QString &name) const;
    void substitute(const QString &name, ShellWord &w) const;

    const ShellVars &m_vars;
};

enum class Tri { Yes, No, Maybe };

// Evaluates an if/elif condition; Maybe (with `why`) when it is anything but a test of known values:
// [ ... ], [[ ... ]] or test, with -n, -z, = / == or != (and a leading !).
Tri evaluateShellTest(QString condition, const ShellVars &vars, QString &why);

bool isShellNameStart(QChar c);
bool isShellNameChar(QChar c);

} // namespace moltdesk
