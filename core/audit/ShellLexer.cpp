#include "ShellLexer.h"

#include <QRegularExpression>

namespace moltdesk {

QList<ShellStatement> ShellLexer::split(const QString &text)
{
    return ShellLexer(text).run();
}

QList<ShellStatement> ShellLexer::run()
{
    for (m_i = 0; m_i < m_text.size(); ++m_i) {
        const QChar c = m_text.at(m_i);
        if (m_current.trimmed().isEmpty() && c != QLatin1Char('\n'))
            m_startLine = m_line;
        if (inside(Context::Single)) {
            singleQuoted(c);
            continue;
        }
        if (c == QLatin1Char('\\')) {
            backslash();
            continue;
        }
        if (c == QLatin1Char('\n'))
            ++m_line;
        if (c == QLatin1Char('"')) {
            if (inside(Context::Double))
                m_open.removeLast();
            else
                m_open.append(Context::Double);
            m_current += c;
            continue;
        }
        if (inside(Context::Double))
            doubleQuoted(c);
        else if (quoteOrSubstitution(c))
            continue;
        else if (!m_open.isEmpty())
            nested(c);
        else
            topLevel(c);
    }
    endStatement(false);
    return m_out;
}

void ShellLexer::singleQuoted(QChar c)
{
    if (c == QLatin1Char('\''))
        m_open.removeLast();
    if (c == QLatin1Char('\n'))
        ++m_line;
    m_current += c;
}

void ShellLexer::backslash()
{
    const QChar next = at(m_i + 1);
    if (next == QLatin1Char('\n')) { // a continuation: the statement goes on on the next line
        ++m_line;
        ++m_i;
        return;
    }
    m_current += QLatin1Char('\\');
    if (m_i + 1 < m_text.size()) {
        m_current += next;
        ++m_i;
    }
}

void ShellLexer::doubleQuoted(QChar c)
{
    if (c == QLatin1Char('$') && at(m_i + 1) == QLatin1Char('(')) {
        m_open.append(Context::Paren);
        m_current += QStringLiteral("$(");
        ++m_i;
        return;
    }
    if (c == QLatin1Char('`'))
        m_open.append(Context::Backtick);
    m_current += c;
}

bool ShellLexer::quoteOrSubstitution(QChar c)
{
    if (c == QLatin1Char('\'')) {
        m_open.append(Context::Single);
        m_current += c;
        return true;
    }
    if (c == QLatin1Char('`')) {
        if (inside(Context::Backtick))
            m_open.removeLast();
        else
            m_open.append(Context::Backtick);
        m_current += c;
        return true;
    }
    if (c == QLatin1Char('$') && at(m_i + 1) == QLatin1Char('(')) {
        m_open.append(Context::Paren);
        m_current += QStringLiteral("$(");
        ++m_i;
        return true;
    }
    return false;
}

void ShellLexer::nested(QChar c)
{
    if (inside(Context::Paren) && c == QLatin1Char('('))
        m_open.append(Context::Paren);
    else if (inside(Context::Paren) && c == QLatin1Char(')'))
        m_open.removeLast();
    m_current += c;
}

void ShellLexer::topLevel(QChar c)
{
    const QChar next = at(m_i + 1);
    if (c == QLatin1Char('#') &&
        (m_current.isEmpty() || m_current.back().isSpace() || m_current.back() == QLatin1Char(';'))) {
        comment();
    } else if (c == QLatin1Char('\n')) {
        endStatement(false);
        if (!m_pendingHereDocuments.isEmpty())
            skipHereDocuments();
    } else if (c == QLatin1Char(';')) {
        if (next == QLatin1Char(';'))
            ++m_i;
        endStatement(false);
    } else if ((c == QLatin1Char('&') && next == QLatin1Char('&')) ||
               (c == QLatin1Char('|') && next == QLatin1Char('|'))) {
        ++m_i;
        endStatement(true);
    } else if (c == QLatin1Char('|')) {
        // Every part of a pipeline runs in a subshell: an assignment there does not stick.
        subshellPart();
        m_chainedNext = true;
    } else if (c == QLatin1Char('&') && next != QLatin1Char('>') &&
               !(m_current.endsWith(QLatin1Char('>')) || m_current.endsWith(QLatin1Char('<')))) {
        subshellPart(); // backgrounded: a subshell too
    } else if (c == QLatin1Char('<') && next == QLatin1Char('<') && at(m_i + 2) == QLatin1Char('<')) {
        m_current += QStringLiteral("<<<"); // a here-string: its word is on this line, nothing to skip
        m_i += 2;
    } else if (c == QLatin1Char('<') && next == QLatin1Char('<')) {
        hereDocumentStart();
    } else {
        m_current += c;
    }
}

void ShellLexer::comment()
{
    while (m_i + 1 < m_text.size() && m_text.at(m_i + 1) != QLatin1Char('\n'))
        ++m_i;
}

// At `<<`: notes the delimiter, whose document starts after this line ends.
void ShellLexer::hereDocumentStart()
{
    qsizetype j = m_i + 2;
    QString prefix;
    if (at(j) == QLatin1Char('-')) {
        prefix = QStringLiteral("-");
        ++j;
    }
    while (at(j) == QLatin1Char(' ') || at(j) == QLatin1Char('\t'))
        ++j;
    QString delimiter;
    static const QString ends = QStringLiteral(";|&)");
    static const QString quotes = QStringLiteral("'\"\\");
    while (j < m_text.size() && !m_text.at(j).isSpace() && !ends.contains(m_text.at(j))) {
        if (!quotes.contains(m_text.at(j)))
            delimiter += m_text.at(j);
        ++j;
    }
    if (!delimiter.isEmpty())
        m_pendingHereDocuments.append(prefix + delimiter);
    m_current += m_text.mid(m_i, j - m_i);
    m_i = j - 1;
}

// At the newline ending the line that opened here-documents: past each one's closing delimiter.
void ShellLexer::skipHereDocuments()
{
    static const QRegularExpression leadingTabs(QStringLiteral("^\\t+"));
    for (const QString &d : std::as_const(m_pendingHereDocuments)) {
        const bool dash = d.startsWith(QLatin1Char('-'));
        const QString delimiter = dash ? d.mid(1) : d;
        while (m_i < m_text.size()) {
            ++m_i; // past '\n'
            ++m_line;
            const qsizetype end = m_text.indexOf(QLatin1Char('\n'), m_i);
            const QString l = m_text.mid(m_i, end < 0 ? -1 : end - m_i);
            m_i = end < 0 ? m_text.size() : end;
            if ((dash ? QString(l).remove(leadingTabs) : l) == delimiter)
                break;
        }
    }
    m_pendingHereDocuments.clear();
}

void ShellLexer::subshellPart()
{
    if (!m_current.trimmed().isEmpty())
        m_out.append({m_current.trimmed(), m_startLine, true});
    m_current.clear();
}

void ShellLexer::endStatement(bool chainsNext)
{
    const QString t = m_current.trimmed();
    if (!t.isEmpty()) {
        m_out.append({t, m_startLine, m_chainedNext});
        m_chainedNext = chainsNext;
    } else if (chainsNext) {
        m_chainedNext = true;
    }
    m_current.clear();
}

} // namespace moltdesk
