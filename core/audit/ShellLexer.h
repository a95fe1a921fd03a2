#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace moltdesk {

// One simple statement of a shell script, with the line it starts on.
struct ShellStatement
{
    QString text;
    int line = 0;
    bool chained = false; // follows && / || / |, or backgrounded: runs only sometimes, or in a subshell

    bool operator==(const ShellStatement &o) const = default;
};

// Splits a shell script into simple statements (at newlines, `;`, `&&`, `||`, `|` and `&`). Quotes,
// command substitutions, comments, line continuations and here-documents are honoured, so braces or
// assignments inside a here-document (the start script writes config files that way) are not taken
// for script structure. Its state is the scan position and what is open; one method per context.
class ShellLexer
{
public:
    static QList<ShellStatement> split(const QString &text);

private:
    explicit ShellLexer(const QString &text) : m_text(text) {}
    enum class Context { Single, Double, Paren, Backtick };

    QList<ShellStatement> run();
    QChar at(qsizetype i) const { return i < m_text.size() ? m_text.at(i) : QChar(); }
    bool inside(Context c) const { return !m_open.isEmpty() && m_open.last() == c; }

    void singleQuoted(QChar c);
    void backslash();
    void doubleQuoted(QChar c);
    bool quoteOrSubstitution(QChar c); // outside double quotes: ' ` $( open or close one; else false
    void nested(QChar c);              // inside $( ) or backticks
    void topLevel(QChar c);
    void comment();
    void hereDocumentStart();
    void skipHereDocuments();
    void separator(bool chainsNext);
    void subshellPart(); // a pipeline's part, or a backgrounded command
    void endStatement(bool chainsNext);

    const QString &m_text;
    qsizetype m_i = 0;
    int m_line = 1;
    int m_startLine = 1;
    bool m_chainedNext = false;
    QString m_current;
    QStringList m_pendingHereDocuments; // delimiters, with a leading '-' for <<-
    QList<Context> m_open;
    QList<ShellStatement> m_out;
};

} // namespace moltdesk
