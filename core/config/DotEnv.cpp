#include "DotEnv.h"

#include <QFile>

namespace moltdesk {

namespace {
bool isKeyChar(QChar c, bool first)
{
    if (c == QLatin1Char('_') || (c >= QLatin1Char('A') && c <= QLatin1Char('Z')) ||
        (c >= QLatin1Char('a') && c <= QLatin1Char('z')))
        return true;
    return !first && ((c >= QLatin1Char('0') && c <= QLatin1Char('9')) || c == QLatin1Char('.') ||
                      c == QLatin1Char('-'));
}

// The inside of a double-quoted value with its \n \t \r \" \\ escapes resolved.
QString unescaped(const QString &raw)
{
    QString value;
    for (qsizetype k = 0; k < raw.size(); ++k) {
        if (raw.at(k) == QLatin1Char('\\') && k + 1 < raw.size()) {
            const QChar e = raw.at(++k);
            value += e == QLatin1Char('n')   ? QChar(QLatin1Char('\n'))
                     : e == QLatin1Char('t') ? QChar(QLatin1Char('\t'))
                     : e == QLatin1Char('r') ? QChar(QLatin1Char('\r'))
                                             : e;
        } else {
            value += raw.at(k);
        }
    }
    return value;
}

// Where the closing double quote of buf is (escaped ones skipped), or -1.
qsizetype closingQuote(const QString &buf)
{
    for (qsizetype k = 0; k < buf.size(); ++k) {
        if (buf.at(k) == QLatin1Char('\\')) {
            ++k;
            continue;
        }
        if (buf.at(k) == QLatin1Char('"'))
            return k;
    }
    return -1;
}

// The lines of a file and what it is called in messages.
class DotEnvReader
{
public:
    DotEnvReader(const QStringList &lines, const QString &where) : m_lines(lines), m_where(where) {}

    Result<QMap<QString, QString>> read()
    {
        QMap<QString, QString> out;
        for (m_i = 0; m_i < m_lines.size(); ++m_i) {
            QString line = m_lines.at(m_i);
            if (line.endsWith(QLatin1Char('\r')))
                line.chop(1);
            QString t = line.trimmed();
            if (t.isEmpty() || t.startsWith(QLatin1Char('#')))
                continue;
            if (t.startsWith(QLatin1String("export ")) || t.startsWith(QLatin1String("export\t")))
                t = t.mid(7).trimmed();
            const qsizetype eq = t.indexOf(QLatin1Char('='));
            if (eq <= 0)
                return error(QStringLiteral("line %1: expected KEY=VALUE").arg(lineNo()));
            const QString key = t.left(eq).trimmed();
            for (qsizetype k = 0; k < key.size(); ++k) {
                if (!isKeyChar(key.at(k), k == 0))
                    return error(QStringLiteral("line %1: \"%2\" is not a valid variable name")
                                     .arg(lineNo())
                                     .arg(key));
            }
            auto value = valueOf(t.mid(eq + 1).trimmed());
            if (!value)
                return value.error();
            out.insert(key, value.value());
        }
        return out;
    }

private:
    int lineNo() const { return int(m_i) + 1; }
    Error error(const QString &message) const
    {
        return makeError(ErrorKind::InvalidInput, m_where + message);
    }

    Result<QString> valueOf(const QString &rest)
    {
        if (rest.startsWith(QLatin1Char('"')))
            return doubleQuoted(rest.mid(1));
        if (rest.startsWith(QLatin1Char('\''))) {
            const qsizetype close = rest.indexOf(QLatin1Char('\''), 1);
            if (close < 0)
                return error(QStringLiteral("line %1: single quote is never closed").arg(lineNo()));
            return rest.mid(1, close - 1);
        }
        // Unquoted: an inline comment starts at " #".
        const qsizetype hash = rest.indexOf(QLatin1String(" #"));
        return (hash >= 0 ? rest.left(hash) : rest).trimmed();
    }

    // Double quotes: may span lines (m_i ends on the closing one's), understand \n \t \" \\ escapes.
    Result<QString> doubleQuoted(QString buf)
    {
        const int opened = lineNo();
        qsizetype j = m_i;
        qsizetype close = closingQuote(buf);
        while (close < 0) {
            if (++j >= m_lines.size())
                return error(QStringLiteral("line %1: double quote is never closed").arg(opened));
            buf += QLatin1Char('\n') + m_lines.at(j);
            close = closingQuote(buf);
        }
        const QString after = buf.mid(close + 1).trimmed();
        if (!after.isEmpty() && !after.startsWith(QLatin1Char('#')))
            return error(QStringLiteral("line %1: unexpected text after the closing quote").arg(j + 1));
        m_i = j;
        return unescaped(buf.left(close));
    }

    const QStringList &m_lines;
    const QString &m_where;
    qsizetype m_i = 0;
};

} // namespace

Result<QMap<QString, QString>> DotEnv::parse(const QByteArray &text, const QString &sourceName)
{
    const QString where = sourceName.isEmpty() ? QString() : sourceName + QStringLiteral(": ");
    if (text.size() > kMaxBytes)
        return makeError(ErrorKind::InvalidInput,
                         where + QStringLiteral("file is larger than %1 bytes").arg(kMaxBytes));
    if (text.contains('\0'))
        return makeError(ErrorKind::InvalidInput,
                         where + QStringLiteral("file contains a NUL byte; is it a text file?"));
    const QStringList lines = QString::fromUtf8(text).split(QLatin1Char('\n'));
    return DotEnvReader(lines, where).read();
}

Result<QMap<QString, QString>> DotEnv::load(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(ErrorKind::InvalidInput,
                         QStringLiteral("cannot read %1: %2").arg(path, f.errorString()));
    return parse(f.read(kMaxBytes + 1), path);
}

} // namespace moltdesk
