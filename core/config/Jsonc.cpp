#include "Jsonc.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>

namespace moltdesk {

namespace {

class Parser
{
public:
    Parser(const QByteArray &text, QHash<QString, int> &lines, QHash<QString, int> &order)
        : m_s(text), m_lines(lines), m_order(order)
    {}

    bool parseDocument(QJsonValue &out)
    {
        skipSpace();
        if (m_failed)
            return false;
        if (!parseValue(out, QString(), 0))
            return false;
        skipSpace();
        if (m_failed)
            return false;
        if (m_pos < m_s.size())
            return fail(QStringLiteral("unexpected text after the end of the document"));
        return true;
    }

    QString error() const { return m_error; }
    int errorLine() const { return m_errLine; }
    int errorColumn() const { return m_errCol; }

private:
    bool fail(const QString &message)
    {
        if (!m_failed) {
            m_failed = true;
            m_error = message;
            m_errLine = m_line;
            m_errCol = int(m_pos - m_lineStart) + 1;
        }
        return false;
    }

    char peek() const { return m_pos < m_s.size() ? m_s.at(m_pos) : '\0'; }
    bool atEnd() const { return m_pos >= m_s.size(); }

    void advance()
    {
        if (m_s.at(m_pos) == '\n') {
            ++m_line;
            m_lineStart = m_pos + 1;
        }
        ++m_pos;
    }

    void skipSpace()
    {
        while (!atEnd()) {
            const char c = peek();
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                advance();
            } else if (c == '/' && m_pos + 1 < m_s.size() && m_s.at(m_pos + 1) == '/') {
                while (!atEnd() && peek() != '\n')
                    advance();
            } else if (c == '/' && m_pos + 1 < m_s.size() && m_s.at(m_pos + 1) == '*') {
                const int startLine = m_line;
                advance();
                advance();
                bool closed = false;
                while (!atEnd()) {
                    if (peek() == '*' && m_pos + 1 < m_s.size() && m_s.at(m_pos + 1) == '/') {
                        advance();
                        advance();
                        closed = true;
                        break;
                    }
                    advance();
                }
                if (!closed) {
                    fail(QStringLiteral("comment opened on line %1 is never closed").arg(startLine));
                    return;
                }
            } else if (static_cast<unsigned char>(c) == 0xEF && m_pos == 0 &&
                       m_s.startsWith("\xEF\xBB\xBF")) {
                m_pos += 3; // byte order mark
            } else {
                return;
            }
        }
    }

    bool parseValue(QJsonValue &out, const QString &pointer, int depth)
    {
        if (depth > Jsonc::kMaxDepth)
            return fail(QStringLiteral("nesting deeper than %1 levels").arg(Jsonc::kMaxDepth));
        m_lines.insert(pointer, m_line);
        m_order.insert(pointer, int(m_order.size()));
        switch (peek()) {
        case '{':
            return parseObject(out, pointer, depth);
        case '[':
            return parseArray(out, pointer, depth);
        case '"': {
            QString s;
            if (!parseString(s))
                return false;
            out = s;
            return true;
        }
        case 't':
            return parseWord("true", QJsonValue(true), out);
        case 'f':
            return parseWord("false", QJsonValue(false), out);
        case 'n':
            return parseWord("null", QJsonValue(QJsonValue::Null), out);
        case '\0':
            if (atEnd())
                return fail(QStringLiteral("unexpected end of file, a value was expected"));
            return fail(QStringLiteral("NUL byte where a value was expected"));
        default:
            if (peek() == '-' || (peek() >= '0' && peek() <= '9'))
                return parseNumber(out);
            return fail(
                QStringLiteral("unexpected character '%1', a value was expected").arg(QLatin1Char(peek())));
        }
    }

    bool parseWord(const char *word, const QJsonValue &value, QJsonValue &out)
    {
        const qsizetype n = qsizetype(qstrlen(word));
        if (m_s.mid(m_pos, n) != QByteArray(word))
            return fail(QStringLiteral("unexpected word, a value was expected"));
        for (qsizetype i = 0; i < n; ++i)
            advance();
        out = value;
        return true;
    }

    bool parseNumber(QJsonValue &out)
    {
        const qsizetype start = m_pos;
        if (peek() == '-')
            advance();
        if (!(peek() >= '0' && peek() <= '9'))
            return fail(QStringLiteral("malformed number"));
        while (!atEnd() && ((peek() >= '0' && peek() <= '9') || peek() == '.' || peek() == 'e' ||
                            peek() == 'E' || peek() == '+' || peek() == '-'))
            advance();
        bool ok = false;
        const double d = m_s.mid(start, m_pos - start).toDouble(&ok);
        if (!ok)
            return fail(QStringLiteral("malformed number"));
        out = d;
        return true;
    }

    bool parseHex4(uint &code)
    {
        code = 0;
        for (int i = 0; i < 4; ++i) {
            if (atEnd())
                return fail(QStringLiteral("unterminated \\u escape"));
            const char c = peek();
            code <<= 4;
            if (c >= '0' && c <= '9')
                code |= uint(c - '0');
            else if (c >= 'a' && c <= 'f')
                code |= uint(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                code |= uint(c - 'A' + 10);
            else
                return fail(QStringLiteral("bad \\u escape"));
            advance();
        }
        return true;
    }

    bool parseString(QString &out)
    {
        const int startLine = m_line;
        advance(); // opening quote
        QByteArray bytes;
        while (true) {
            if (atEnd())
                return fail(QStringLiteral("string opened on line %1 is never closed").arg(startLine));
            const char c = peek();
            if (c == '"') {
                advance();
                break;
            }
            if (c == '\n' || static_cast<unsigned char>(c) < 0x20)
                return fail(QStringLiteral("control character or line break inside a string"));
            if (c == '\\') {
                advance();
                if (atEnd())
                    return fail(QStringLiteral("unterminated escape"));
                const char e = peek();
                advance();
                switch (e) {
                case '"':
                    bytes += '"';
                    break;
                case '\\':
                    bytes += '\\';
                    break;
                case '/':
                    bytes += '/';
                    break;
                case 'b':
                    bytes += '\b';
                    break;
                case 'f':
                    bytes += '\f';
                    break;
                case 'n':
                    bytes += '\n';
                    break;
                case 'r':
                    bytes += '\r';
                    break;
                case 't':
                    bytes += '\t';
                    break;
                case 'u': {
                    uint code = 0;
                    if (!parseHex4(code))
                        return false;
                    if (code >= 0xD800 && code <= 0xDBFF && peek() == '\\' && m_pos + 1 < m_s.size() &&
                        m_s.at(m_pos + 1) == 'u') {
                        advance();
                        advance();
                        uint low = 0;
                        if (!parseHex4(low))
                            return false;
                        if (low >= 0xDC00 && low <= 0xDFFF)
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                    }
                    if (code == 0)
                        return fail(QStringLiteral("\\u0000 (NUL) is not allowed in a string"));
                    const char32_t cp = char32_t(code);
                    bytes += QString::fromUcs4(&cp, 1).toUtf8();
                    break;
                }
                default:
                    return fail(QStringLiteral("unknown escape \\%1").arg(QLatin1Char(e)));
                }
                continue;
            }
            bytes += c;
            advance();
        }
        out = QString::fromUtf8(bytes);
        return true;
    }

    bool parseObject(QJsonValue &out, const QString &pointer, int depth)
    {
        const int openLine = m_line;
        advance();
        QJsonObject obj;
        while (true) {
            skipSpace();
            if (m_failed)
                return false;
            if (peek() == '}') {
                advance();
                break;
            }
            if (atEnd())
                return fail(QStringLiteral("object opened on line %1 is never closed").arg(openLine));
            if (peek() != '"')
                return fail(QStringLiteral("expected a quoted member name or '}'"));
            QString key;
            if (!parseString(key))
                return false;
            skipSpace();
            if (m_failed)
                return false;
            if (peek() != ':')
                return fail(QStringLiteral("expected ':' after member name \"%1\"").arg(key));
            advance();
            skipSpace();
            if (m_failed)
                return false;
            QJsonValue v;
            const QString child = pointer + QLatin1Char('/') + Jsonc::escapePointerToken(key);
            const int keyLine = m_line;
            if (!parseValue(v, child, depth + 1))
                return false;
            m_lines.insert(child, keyLine);
            obj.insert(key, v);
            skipSpace();
            if (m_failed)
                return false;
            if (peek() == ',') {
                advance();
                continue; // a trailing comma is fine: the loop then sees '}'
            }
            if (peek() == '}') {
                advance();
                break;
            }
            if (atEnd())
                return fail(QStringLiteral("object opened on line %1 is never closed").arg(openLine));
            return fail(QStringLiteral("expected ',' or '}' after member \"%1\"").arg(key));
        }
        out = obj;
        return true;
    }

    bool parseArray(QJsonValue &out, const QString &pointer, int depth)
    {
        const int openLine = m_line;
        advance();
        QJsonArray arr;
        while (true) {
            skipSpace();
            if (m_failed)
                return false;
            if (peek() == ']') {
                advance();
                break;
            }
            if (atEnd())
                return fail(QStringLiteral("array opened on line %1 is never closed").arg(openLine));
            QJsonValue v;
            if (!parseValue(v, pointer + QLatin1Char('/') + QString::number(arr.size()), depth + 1))
                return false;
            arr.append(v);
            skipSpace();
            if (m_failed)
                return false;
            if (peek() == ',') {
                advance();
                continue;
            }
            if (peek() == ']') {
                advance();
                break;
            }
            if (atEnd())
                return fail(QStringLiteral("array opened on line %1 is never closed").arg(openLine));
            return fail(QStringLiteral("expected ',' or ']' in array"));
        }
        out = arr;
        return true;
    }

    const QByteArray &m_s;
    QHash<QString, int> &m_lines;
    QHash<QString, int> &m_order;
    qsizetype m_pos = 0;
    qsizetype m_lineStart = 0;
    int m_line = 1;
    bool m_failed = false;
    QString m_error;
    int m_errLine = 0;
    int m_errCol = 0;
};

} // namespace

QString Jsonc::escapePointerToken(const QString &token)
{
    QString t = token;
    t.replace(QLatin1Char('~'), QLatin1String("~0"));
    t.replace(QLatin1Char('/'), QLatin1String("~1"));
    return t;
}

Result<QByteArray> Jsonc::readConfigFile(const QString &path, const QString &what)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(ErrorKind::InvalidInput,
                         QStringLiteral("cannot read %1 %2: %3").arg(what, path, f.errorString()));
    if (f.size() > kMaxBytes)
        return makeError(
            ErrorKind::InvalidInput,
            QStringLiteral("%1 %2 is %3 bytes; a %1 is a small JSON file").arg(what, path).arg(f.size()));
    return f.read(kMaxBytes + 1);
}

Result<JsoncDocument> Jsonc::parse(const QByteArray &text, const QString &sourceName)
{
    const QString where = sourceName.isEmpty() ? QString() : sourceName + QStringLiteral(": ");
    if (text.size() > kMaxBytes)
        return makeError(
            ErrorKind::InvalidInput,
            where + QStringLiteral("file is %1 bytes, larger than the %2 bytes a configuration may be")
                        .arg(text.size())
                        .arg(kMaxBytes));
    JsoncDocument doc;
    Parser p(text, doc.lines, doc.order);
    if (!p.parseDocument(doc.root))
        return makeError(ErrorKind::InvalidInput, where + QStringLiteral("line %1, column %2: %3")
                                                              .arg(p.errorLine())
                                                              .arg(p.errorColumn())
                                                              .arg(p.error()));
    return doc;
}

Result<JsoncDocument> Jsonc::parseFile(const QString &path)
{
    const auto text = readConfigFile(path, QStringLiteral("configuration"));
    if (!text)
        return text.error();
    return parse(text.value(), path);
}

} // namespace moltdesk
