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
    QMap<QString, QString> out;
    const QString all = QString::fromUtf8(text);
    const QStringList lines = all.split(QLatin1Char('\n'));
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const int lineNo = int(i) + 1;
        QString line = lines.at(i);
        if (line.endsWith(QLatin1Char('\r')))
            line.chop(1);
        QString t = line.trimmed();
        if (t.isEmpty() || t.startsWith(QLatin1Char('#')))
            continue;
        if (t.startsWith(QLatin1String("export ")) || t.startsWith(QLatin1String("export\t")))
            t = t.mid(7).trimmed();
        const qsizetype eq = t.indexOf(QLatin1Char('='));
        if (eq <= 0)
            return makeError(ErrorKind::InvalidInput,
                             where + QStringLiteral("line %1: expected KEY=VALUE").arg(lineNo));
        const QString key = t.left(eq).trimmed();
        for (qsizetype k = 0; k < key.size(); ++k) {
            if (!isKeyChar(key.at(k), k == 0))
                return makeError(
                    ErrorKind::InvalidInput,
                    where +
                        QStringLiteral("line %1: \"%2\" is not a valid variable name").arg(lineNo).arg(key));
        }
        QString rest = t.mid(eq + 1).trimmed();
        QString value;
        if (rest.startsWith(QLatin1Char('"'))) {
            // Double quotes: may span lines, understand \n \t \" \\ escapes.
            QString buf = rest.mid(1);
            qsizetype j = i;
            while (true) {
                qsizetype close = -1;
                for (qsizetype k = 0; k < buf.size(); ++k) {
                    if (buf.at(k) == QLatin1Char('\\')) {
                        ++k;
                        continue;
                    }
                    if (buf.at(k) == QLatin1Char('"')) {
                        close = k;
                        break;
                    }
                }
                if (close >= 0) {
                    const QString raw = buf.left(close);
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
                    const QString after = buf.mid(close + 1).trimmed();
                    if (!after.isEmpty() && !after.startsWith(QLatin1Char('#')))
                        return makeError(
                            ErrorKind::InvalidInput,
                            where + QStringLiteral("line %1: unexpected text after the closing quote")
                                        .arg(j + 1));
                    break;
                }
                if (++j >= lines.size())
                    return makeError(ErrorKind::InvalidInput,
                                     where +
                                         QStringLiteral("line %1: double quote is never closed").arg(lineNo));
                buf += QLatin1Char('\n') + lines.at(j);
            }
            i = j;
        } else if (rest.startsWith(QLatin1Char('\''))) {
            const qsizetype close = rest.indexOf(QLatin1Char('\''), 1);
            if (close < 0)
                return makeError(ErrorKind::InvalidInput,
                                 where + QStringLiteral("line %1: single quote is never closed").arg(lineNo));
            value = rest.mid(1, close - 1);
        } else {
            // Unquoted: an inline comment starts at " #".
            const qsizetype hash = rest.indexOf(QLatin1String(" #"));
            value = (hash >= 0 ? rest.left(hash) : rest).trimmed();
        }
        out.insert(key, value);
    }
    return out;
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
