#include "ShellExpansion.h"

#include <QRegularExpression>
#include <optional>

namespace moltdesk {

// The braces as named characters: they keep line-based brace counters (tools/longfuncs.py) in step.
constexpr QChar kOpenBrace(0x7b);  // {
constexpr QChar kCloseBrace(0x7d); // }

bool isShellNameStart(QChar c)
{
    return c == QLatin1Char('_') || (c.unicode() < 128 && c.isLetter());
}

bool isShellNameChar(QChar c)
{
    return isShellNameStart(c) || (c.unicode() < 128 && c.isDigit());
}

bool ShellExpander::word(const QString &s, qsizetype &pos, ShellWord &w) const
{
    while (pos < s.size() && (s.at(pos) == QLatin1Char(' ') || s.at(pos) == QLatin1Char('\t')))
        ++pos;
    if (pos >= s.size())
        return false;
    while (pos < s.size()) {
        const QChar c = s.at(pos);
        if (c == QLatin1Char(' ') || c == QLatin1Char('\t') || c == QLatin1Char('\n'))
            break;
        if (c == QLatin1Char('\'')) {
            const qsizetype end = s.indexOf(QLatin1Char('\''), pos + 1);
            if (end < 0) {
                fail(w, QStringLiteral("an unterminated single quote"));
                pos = s.size();
                break;
            }
            w.value += s.mid(pos + 1, end - pos - 1);
            w.quoted = true;
            pos = end + 1;
        } else if (c == QLatin1Char('"')) {
            doubleQuoted(s, pos, w);
        } else if (c == QLatin1Char('\\')) {
            if (pos + 1 < s.size())
                w.value += s.at(pos + 1);
            pos += 2;
        } else if (c == QLatin1Char('$')) {
            dollar(s, pos, w);
        } else if (c == QLatin1Char('`')) {
            fail(w, QStringLiteral("a command substitution (`...`)"));
            ++pos;
        } else if (c == QLatin1Char('~') && w.value.isEmpty() && !w.quoted) {
            fail(w, QStringLiteral("a ~ (home directory) expansion"));
            ++pos;
        } else {
            w.value += c;
            ++pos;
        }
    }
    return true;
}

// s.at(pos) is the opening '"'; pos ends after the closing one.
void ShellExpander::doubleQuoted(const QString &s, qsizetype &pos, ShellWord &w) const
{
    w.quoted = true;
    ++pos;
    while (pos < s.size() && s.at(pos) != QLatin1Char('"')) {
        if (s.at(pos) == QLatin1Char('\\') && pos + 1 < s.size() &&
            QStringLiteral("$`\"\\\n").contains(s.at(pos + 1))) {
            w.value += s.at(pos + 1);
            pos += 2;
        } else if (s.at(pos) == QLatin1Char('$')) {
            dollar(s, pos, w);
        } else if (s.at(pos) == QLatin1Char('`')) {
            fail(w, QStringLiteral("a command substitution (`...`)"));
            ++pos;
        } else {
            w.value += s.at(pos++);
        }
    }
    ++pos; // closing quote
}

QList<ShellWord> ShellExpander::words(const QString &s) const
{
    QList<ShellWord> out;
    qsizetype pos = 0;
    ShellWord w;
    while (word(s, pos, w)) {
        if (!(w.value.isEmpty() && !w.quoted && w.unknown.isEmpty()))
            out.append(w);
        w = ShellWord{};
    }
    return out;
}

ShellWord ShellExpander::expandQuoted(const QString &s) const
{
    ShellWord w;
    qsizetype pos = 0;
    const QString wrapped =
        QLatin1Char('"') + QString(s).replace(QLatin1Char('"'), QLatin1String("\\\"")) + QLatin1Char('"');
    word(wrapped, pos, w);
    return w;
}

void ShellExpander::fail(ShellWord &w, const QString &what)
{
    if (w.unknown.isEmpty())
        w.unknown = what;
}

// s.at(pos) is the '$'.
void ShellExpander::dollar(const QString &s, qsizetype &pos, ShellWord &w) const
{
    ++pos;
    if (pos >= s.size()) {
        w.value += QLatin1Char('$');
        return;
    }
    const QChar c = s.at(pos);
    if (c == QLatin1Char('(')) {
        fail(w, QStringLiteral("a command substitution $(...)"));
        int depth = 0;
        for (; pos < s.size(); ++pos) {
            if (s.at(pos) == QLatin1Char('('))
                ++depth;
            else if (s.at(pos) == QLatin1Char(')') && --depth == 0) {
                ++pos;
                break;
            }
        }
        return;
    }
    if (c == kOpenBrace) {
        braced(s, pos, w);
        return;
    }
    if (isShellNameStart(c)) {
        qsizetype end = pos;
        while (end < s.size() && isShellNameChar(s.at(end)))
            ++end;
        substitute(s.mid(pos, end - pos), w);
        pos = end;
        return;
    }
    if (c.isDigit() || QStringLiteral("@*#?$!-").contains(c)) {
        fail(w, QStringLiteral("the special parameter $%1").arg(c));
        ++pos;
        return;
    }
    w.value += QLatin1Char('$'); // a lone '$' is literal
}

// s.at(pos) is the '{' of ${...}; pos ends after the matching '}'.
void ShellExpander::braced(const QString &s, qsizetype &pos, ShellWord &w) const
{
    int depth = 1;
    qsizetype end = pos + 1;
    for (; end < s.size() && depth > 0; ++end) {
        if (s.at(end) == kOpenBrace)
            ++depth;
        else if (s.at(end) == kCloseBrace)
            --depth;
    }
    if (depth != 0) {
        fail(w, QStringLiteral("an unterminated ${...}"));
        pos = s.size();
        return;
    }
    const QString inner = s.mid(pos + 1, end - pos - 2);
    pos = end;
    qsizetype n = 0;
    while (n < inner.size() && isShellNameChar(inner.at(n)))
        ++n;
    const QString name = inner.left(n);
    if (name.isEmpty() || !isShellNameStart(name.at(0))) {
        fail(w, QStringLiteral("the parameter expansion ${%1}").arg(inner));
        return;
    }
    const QString op = inner.mid(n);
    if (op.isEmpty())
        substitute(name, w);
    else
        parameterOperator(name, op, inner, w);
}

// ${NAME:-word}, ${NAME:+word}, ${NAME-word}, ${NAME+word}; any other operator is not evaluated.
void ShellExpander::parameterOperator(const QString &name, const QString &op, const QString &inner,
                                      ShellWord &w) const
{
    static const QStringList ops{QStringLiteral(":-"), QStringLiteral(":+"), QStringLiteral("-"),
                                 QStringLiteral("+")};
    for (const QString &o : ops) {
        if (!op.startsWith(o))
            continue;
        const ShellVar v = lookup(name);
        if (v.state == ShellVar::State::Unknown) {
            fail(w, v.why);
            return;
        }
        const bool set = v.state == ShellVar::State::Set;
        // The colon forms treat an empty value like an unset one.
        const bool hasValue = o.startsWith(QLatin1Char(':')) ? (set && !v.value.isEmpty()) : set;
        const bool alternative = o.endsWith(QLatin1Char('+'));
        const bool useOperand = alternative ? hasValue : !hasValue;
        if (!useOperand) {
            if (!alternative)
                w.value += v.value;
            return;
        }
        const ShellWord operand = expandQuoted(op.mid(o.size()));
        if (!operand.unknown.isEmpty())
            fail(w, operand.unknown);
        w.value += operand.value;
        return;
    }
    fail(w, QStringLiteral("the parameter expansion ${%1}").arg(inner));
}

ShellVar ShellExpander::lookup(const QString &name) const
{
    const auto it = m_vars.constFind(name);
    if (it != m_vars.constEnd())
        return it.value();
    ShellVar v;
    v.state = ShellVar::State::Unknown;
    v.why = QStringLiteral("$%1, which the script does not set (it would come from the container's "
                           "environment)")
                .arg(name);
    return v;
}

void ShellExpander::substitute(const QString &name, ShellWord &w) const
{
    const ShellVar v = lookup(name);
    if (v.state == ShellVar::State::Unknown) {
        fail(w, v.why);
        return;
    }
    if (v.state == ShellVar::State::Set)
        w.value += v.value;
}

namespace {

// The arguments of a test, or std::nullopt (with `why`) when the condition is not a test.
std::optional<QList<ShellWord>> testArguments(QString cond, const ShellVars &vars, bool &doubleBracket,
                                              QString &why)
{
    doubleBracket = false;
    if (cond.startsWith(QLatin1String("[[ ")) && cond.endsWith(QLatin1String(" ]]"))) {
        cond = cond.mid(3, cond.size() - 6);
        doubleBracket = true;
    } else if (cond.startsWith(QLatin1String("[ ")) && cond.endsWith(QLatin1String(" ]"))) {
        cond = cond.mid(2, cond.size() - 4);
    } else if (cond.startsWith(QLatin1String("test "))) {
        cond = cond.mid(5);
    } else {
        why = QStringLiteral("the condition is not a [ ... ] test");
        return std::nullopt;
    }
    const ShellExpander ex(vars);
    if (!doubleBracket)
        return ex.words(cond);
    // [[ ]] does no word splitting: an empty expansion stays an (empty) argument.
    QList<ShellWord> args;
    qsizetype pos = 0;
    ShellWord w;
    while (ex.word(cond, pos, w)) {
        args.append(w);
        w = ShellWord{};
    }
    return args;
}

std::optional<bool> testResult(const QList<ShellWord> &args, bool doubleBracket)
{
    if (args.size() == 1)
        return !args.at(0).value.isEmpty();
    if (args.size() == 2 && args.at(0).value == QLatin1String("-n") && !args.at(0).quoted)
        return !args.at(1).value.isEmpty();
    if (args.size() == 2 && args.at(0).value == QLatin1String("-z") && !args.at(0).quoted)
        return args.at(1).value.isEmpty();
    if (args.size() != 3)
        return std::nullopt;
    const QString op = args.at(1).value;
    static const QRegularExpression glob(QStringLiteral("[*?\\[]"));
    const bool pattern = doubleBracket && !args.at(2).quoted && args.at(2).value.contains(glob);
    if (!pattern && (op == QLatin1String("=") || op == QLatin1String("==")))
        return args.at(0).value == args.at(2).value;
    if (!pattern && op == QLatin1String("!="))
        return args.at(0).value != args.at(2).value;
    return std::nullopt;
}

} // namespace

Tri evaluateShellTest(QString cond, const ShellVars &vars, QString &why)
{
    cond = cond.trimmed();
    bool negate = false;
    if (cond.startsWith(QLatin1String("! "))) {
        negate = true;
        cond = cond.mid(2).trimmed();
    }
    bool doubleBracket = false;
    const std::optional<QList<ShellWord>> args = testArguments(cond, vars, doubleBracket, why);
    if (!args)
        return Tri::Maybe;
    for (const ShellWord &a : *args) {
        if (!a.unknown.isEmpty()) {
            why = QStringLiteral("the condition depends on ") + a.unknown;
            return Tri::Maybe;
        }
    }
    const std::optional<bool> r = testResult(*args, doubleBracket);
    if (!r) {
        why = QStringLiteral("the test is not one moltdesk evaluates (-n, -z, = or != on known values)");
        return Tri::Maybe;
    }
    return (*r != negate) ? Tri::Yes : Tri::No;
}

} // namespace moltdesk
