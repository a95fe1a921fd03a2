#include "StartScript.h"

#include "Logging.h"

#include <QFile>
#include <QHash>
#include <QRegularExpression>

namespace moltdesk {

namespace {

constexpr qint64 kMaxScriptBytes = 4 * 1024 * 1024;

bool isNameStart(QChar c)
{
    return c == QLatin1Char('_') || (c.unicode() < 128 && c.isLetter());
}

bool isNameChar(QChar c)
{
    return isNameStart(c) || (c.unicode() < 128 && c.isDigit());
}

// Splits a script into simple statements, each with the line it starts on. Quotes, command
// substitutions, comments, line continuations and here-documents are honoured, so braces or
// assignments inside a here-document (the start script writes config files that way) are not
// mistaken for script structure.
QList<StartScript::Statement> splitStatements(const QString &text)
{
    QList<StartScript::Statement> out;
    QString cur;
    int line = 1;
    int startLine = 1;
    bool chainedNext = false;
    QStringList pendingHeredocs; // delimiters, with a leading '-' for <<-
    enum class Ctx { Single, Double, Paren, Backtick };
    QList<Ctx> stack;

    const auto endStatement = [&](bool nextChained) {
        const QString t = cur.trimmed();
        if (!t.isEmpty()) {
            out.append({t, startLine, chainedNext});
            chainedNext = nextChained;
        } else if (nextChained) {
            chainedNext = true;
        }
        cur.clear();
    };
    const auto skipHeredocs = [&](qsizetype &i) {
        // i is at the newline ending the line that opened them.
        for (const QString &d : std::as_const(pendingHeredocs)) {
            const bool dash = d.startsWith(QLatin1Char('-'));
            const QString delim = dash ? d.mid(1) : d;
            while (i < text.size()) {
                ++i; // past '\n'
                ++line;
                const qsizetype end = text.indexOf(QLatin1Char('\n'), i);
                const QString l = text.mid(i, end < 0 ? -1 : end - i);
                i = end < 0 ? text.size() : end;
                if ((dash ? QString(l).remove(QRegularExpression(QStringLiteral("^\\t+"))) : l) == delim)
                    break;
            }
        }
        pendingHeredocs.clear();
    };

    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        const QChar next = i + 1 < text.size() ? text.at(i + 1) : QChar();
        if (cur.trimmed().isEmpty() && c != QLatin1Char('\n'))
            startLine = line;
        if (!stack.isEmpty() && stack.last() == Ctx::Single) {
            if (c == QLatin1Char('\''))
                stack.removeLast();
            if (c == QLatin1Char('\n'))
                ++line;
            cur += c;
            continue;
        }
        if (c == QLatin1Char('\\')) {
            if (next == QLatin1Char('\n')) { // continuation
                ++line;
                ++i;
                continue;
            }
            cur += c;
            if (i + 1 < text.size()) {
                cur += next;
                ++i;
            }
            continue;
        }
        const bool inDouble = !stack.isEmpty() && stack.last() == Ctx::Double;
        if (c == QLatin1Char('\n'))
            ++line;
        if (c == QLatin1Char('"')) {
            if (inDouble)
                stack.removeLast();
            else
                stack.append(Ctx::Double);
            cur += c;
            continue;
        }
        if (inDouble) {
            if (c == QLatin1Char('$') && next == QLatin1Char('(')) {
                stack.append(Ctx::Paren);
                cur += QStringLiteral("$(");
                ++i;
                continue;
            }
            if (c == QLatin1Char('`'))
                stack.append(Ctx::Backtick);
            cur += c;
            continue;
        }
        if (c == QLatin1Char('\'')) {
            stack.append(Ctx::Single);
            cur += c;
            continue;
        }
        if (c == QLatin1Char('`')) {
            if (!stack.isEmpty() && stack.last() == Ctx::Backtick)
                stack.removeLast();
            else
                stack.append(Ctx::Backtick);
            cur += c;
            continue;
        }
        if (c == QLatin1Char('$') && next == QLatin1Char('(')) {
            stack.append(Ctx::Paren);
            cur += QStringLiteral("$(");
            ++i;
            continue;
        }
        if (!stack.isEmpty()) {
            if (stack.last() == Ctx::Paren && c == QLatin1Char('('))
                stack.append(Ctx::Paren);
            else if (stack.last() == Ctx::Paren && c == QLatin1Char(')'))
                stack.removeLast();
            cur += c;
            continue;
        }
        // Top level.
        if (c == QLatin1Char('#') &&
            (cur.isEmpty() || cur.back().isSpace() || cur.back() == QLatin1Char(';'))) {
            while (i + 1 < text.size() && text.at(i + 1) != QLatin1Char('\n'))
                ++i;
            continue;
        }
        if (c == QLatin1Char('\n')) {
            endStatement(false);
            if (!pendingHeredocs.isEmpty())
                skipHeredocs(i);
            continue;
        }
        if (c == QLatin1Char(';')) {
            if (next == QLatin1Char(';'))
                ++i;
            endStatement(false);
            continue;
        }
        if ((c == QLatin1Char('&') && next == QLatin1Char('&')) ||
            (c == QLatin1Char('|') && next == QLatin1Char('|'))) {
            ++i;
            endStatement(true);
            continue;
        }
        if (c == QLatin1Char('|')) {
            // Every part of a pipeline runs in a subshell: an assignment there does not stick.
            if (!cur.trimmed().isEmpty())
                out.append({cur.trimmed(), startLine, true});
            cur.clear();
            chainedNext = true;
            continue;
        }
        if (c == QLatin1Char('&') && next != QLatin1Char('>') &&
            !(cur.endsWith(QLatin1Char('>')) || cur.endsWith(QLatin1Char('<')))) {
            if (!cur.trimmed().isEmpty())
                out.append({cur.trimmed(), startLine, true}); // backgrounded: a subshell too
            cur.clear();
            continue;
        }
        if (c == QLatin1Char('<') && next == QLatin1Char('<') &&
            (i + 2 >= text.size() || text.at(i + 2) != QLatin1Char('<'))) {
            qsizetype j = i + 2;
            QString prefix;
            if (j < text.size() && text.at(j) == QLatin1Char('-')) {
                prefix = QStringLiteral("-");
                ++j;
            }
            while (j < text.size() && (text.at(j) == QLatin1Char(' ') || text.at(j) == QLatin1Char('\t')))
                ++j;
            QString delim;
            while (j < text.size() && !text.at(j).isSpace() && text.at(j) != QLatin1Char(';') &&
                   text.at(j) != QLatin1Char('|') && text.at(j) != QLatin1Char('&') &&
                   text.at(j) != QLatin1Char(')')) {
                if (text.at(j) != QLatin1Char('\'') && text.at(j) != QLatin1Char('"') &&
                    text.at(j) != QLatin1Char('\\'))
                    delim += text.at(j);
                ++j;
            }
            if (!delim.isEmpty())
                pendingHeredocs.append(prefix + delim);
            cur += text.mid(i, j - i);
            i = j - 1;
            continue;
        }
        cur += c;
    }
    endStatement(false);
    return out;
}

struct Var
{
    enum class State { Unset, Set, Unknown };
    State state = State::Unset;
    QString value;
    QString why;  // for Unknown
    int line = 0; // the assignment (or the construct that made it unknown)
    QString assignment;
};

using Vars = QHash<QString, Var>;

// The expansion of one shell word, or why it cannot be expanded.
struct Word
{
    QString value;
    bool quoted = false;
    QString unknown;
    int unknownLine = 0;
};

class Expander
{
public:
    explicit Expander(const Vars &vars) : m_vars(vars) {}

    // Reads one word starting at pos (leading blanks skipped); pos ends after it.
    // Returns false when there is no word left.
    bool word(const QString &s, qsizetype &pos, Word &w) const
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

    // All words of s ([ ... ] arguments): unquoted words that expand to nothing disappear, as in sh.
    QList<Word> words(const QString &s) const
    {
        QList<Word> out;
        qsizetype pos = 0;
        Word w;
        while (word(s, pos, w)) {
            if (!(w.value.isEmpty() && !w.quoted && w.unknown.isEmpty()))
                out.append(w);
            w = Word{};
        }
        return out;
    }

    // A whole string as the inside of double quotes (used for ${X:-word} operands).
    Word expandQuoted(const QString &s) const
    {
        Word w;
        qsizetype pos = 0;
        const QString wrapped =
            QLatin1Char('"') + QString(s).replace(QLatin1Char('"'), QLatin1String("\\\"")) + QLatin1Char('"');
        word(wrapped, pos, w);
        return w;
    }

private:
    static void fail(Word &w, const QString &what)
    {
        if (w.unknown.isEmpty())
            w.unknown = what;
    }

    void dollar(const QString &s, qsizetype &pos, Word &w) const
    {
        // s.at(pos) == '$'
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
        if (c == QLatin1Char('{')) {
            int depth = 1;
            qsizetype end = pos + 1;
            for (; end < s.size() && depth > 0; ++end) {
                if (s.at(end) == QLatin1Char('{'))
                    ++depth;
                else if (s.at(end) == QLatin1Char('}'))
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
            while (n < inner.size() && isNameChar(inner.at(n)))
                ++n;
            const QString name = inner.left(n);
            if (name.isEmpty() || !isNameStart(name.at(0))) {
                fail(w, QStringLiteral("the parameter expansion ${%1}").arg(inner));
                return;
            }
            const QString op = inner.mid(n);
            if (op.isEmpty()) {
                substitute(name, w);
                return;
            }
            static const QStringList ops{QStringLiteral(":-"), QStringLiteral(":+"), QStringLiteral("-"),
                                         QStringLiteral("+")};
            for (const QString &o : ops) {
                if (!op.startsWith(o))
                    continue;
                const Var v = lookup(name);
                if (v.state == Var::State::Unknown) {
                    fail(w, v.why);
                    return;
                }
                const bool set = v.state == Var::State::Set;
                // The colon forms treat an empty value like an unset one.
                const bool hasValue = o.startsWith(QLatin1Char(':')) ? (set && !v.value.isEmpty()) : set;
                const bool alternative = o.endsWith(QLatin1Char('+'));
                const bool useOperand = alternative ? hasValue : !hasValue;
                if (!useOperand) {
                    if (!alternative)
                        w.value += v.value;
                    return;
                }
                const Word operand = expandQuoted(op.mid(o.size()));
                if (!operand.unknown.isEmpty())
                    fail(w, operand.unknown);
                w.value += operand.value;
                return;
            }
            fail(w, QStringLiteral("the parameter expansion ${%1}").arg(inner));
            return;
        }
        if (isNameStart(c)) {
            qsizetype end = pos;
            while (end < s.size() && isNameChar(s.at(end)))
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

    Var lookup(const QString &name) const
    {
        const auto it = m_vars.constFind(name);
        if (it != m_vars.constEnd())
            return it.value();
        Var v;
        v.state = Var::State::Unknown;
        v.why = QStringLiteral("$%1, which the script does not set (it would come from the container's "
                               "environment)")
                    .arg(name);
        return v;
    }

    void substitute(const QString &name, Word &w) const
    {
        const Var v = lookup(name);
        if (v.state == Var::State::Unknown) {
            fail(w, v.why);
            return;
        }
        if (v.state == Var::State::Set)
            w.value += v.value;
    }

    const Vars &m_vars;
};

enum class Tri { Yes, No, Maybe };

// Evaluates an if/elif condition; Maybe when it is anything but a test of known values.
Tri evaluateCondition(QString cond, const Vars &vars, QString &why)
{
    cond = cond.trimmed();
    bool negate = false;
    if (cond.startsWith(QLatin1String("! "))) {
        negate = true;
        cond = cond.mid(2).trimmed();
    }
    bool doubleBracket = false;
    if (cond.startsWith(QLatin1String("[[ ")) && cond.endsWith(QLatin1String(" ]]"))) {
        cond = cond.mid(3, cond.size() - 6);
        doubleBracket = true;
    } else if (cond.startsWith(QLatin1String("[ ")) && cond.endsWith(QLatin1String(" ]"))) {
        cond = cond.mid(2, cond.size() - 4);
    } else if (cond.startsWith(QLatin1String("test "))) {
        cond = cond.mid(5);
    } else {
        why = QStringLiteral("the condition is not a [ ... ] test");
        return Tri::Maybe;
    }
    const Expander ex(vars);
    QList<Word> args;
    if (doubleBracket) {
        // [[ ]] does no word splitting: an empty expansion stays an (empty) argument.
        qsizetype pos = 0;
        Word w;
        while (ex.word(cond, pos, w)) {
            args.append(w);
            w = Word{};
        }
    } else {
        args = ex.words(cond);
    }
    for (const Word &a : std::as_const(args)) {
        if (!a.unknown.isEmpty()) {
            why = QStringLiteral("the condition depends on ") + a.unknown;
            return Tri::Maybe;
        }
    }
    std::optional<bool> r;
    if (args.size() == 1) {
        r = !args.at(0).value.isEmpty();
    } else if (args.size() == 2 && args.at(0).value == QLatin1String("-n") && !args.at(0).quoted) {
        r = !args.at(1).value.isEmpty();
    } else if (args.size() == 2 && args.at(0).value == QLatin1String("-z") && !args.at(0).quoted) {
        r = args.at(1).value.isEmpty();
    } else if (args.size() == 3) {
        const QString op = args.at(1).value;
        const bool pattern = doubleBracket && !args.at(2).quoted &&
                             args.at(2).value.contains(QRegularExpression(QStringLiteral("[*?\\[]")));
        if (!pattern && (op == QLatin1String("=") || op == QLatin1String("==")))
            r = args.at(0).value == args.at(2).value;
        else if (!pattern && op == QLatin1String("!="))
            r = args.at(0).value != args.at(2).value;
    }
    if (!r) {
        why = QStringLiteral("the test is not one moltdesk evaluates (-n, -z, = or != on known values)");
        return Tri::Maybe;
    }
    return (*r != negate) ? Tri::Yes : Tri::No;
}

struct Frame
{
    enum class Kind { If, Case, Loop, Function, Brace };
    Kind kind = Kind::If;
    Tri state = Tri::Yes; // Yes: runs, No: skipped, Maybe: cannot tell
    Tri taken = Tri::No;  // If: has an earlier branch run?
    int line = 0;
    QString what; // for evidence
};

bool startsWithWord(const QString &s, const QString &word)
{
    return s == word || (s.startsWith(word) && s.size() > word.size() && s.at(word.size()).isSpace());
}

const QRegularExpression &functionHead()
{
    static const QRegularExpression re(QStringLiteral("^(?:function\\s+[A-Za-z_][\\w-]*(?:\\s*\\(\\s*\\))?|["
                                                      "A-Za-z_][\\w-]*\\s*\\(\\s*\\))\\s*(\\{)?\\s*(.*)$"));
    return re;
}

const QRegularExpression &assignsBackupDir()
{
    static const QRegularExpression re(QStringLiteral("(^|[\\s;&|(])BACKUP_DIR\\+?="));
    return re;
}

const QRegularExpression &usesBackupDir()
{
    static const QRegularExpression re(QStringLiteral("\\$\\{?BACKUP_DIR\\b"));
    return re;
}

} // namespace

Result<StartScript> StartScript::load(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(ErrorKind::InvalidInput,
                         QStringLiteral("cannot read start script %1: %2").arg(path, f.errorString()), path);
    if (f.size() > kMaxScriptBytes)
        return makeError(
            ErrorKind::InvalidInput,
            QStringLiteral("start script %1 is %2 bytes; that is not a start script").arg(path).arg(f.size()),
            path);
    return parse(f.readAll(), path);
}

StartScript StartScript::parse(const QByteArray &text, const QString &path)
{
    StartScript s;
    s.m_path = path;
    s.m_statements = splitStatements(QString::fromUtf8(text));
    return s;
}

BackupDirEvaluation StartScript::evaluateBackupDir(const std::optional<QString> &environment) const
{
    const QString kName = QString::fromLatin1(kVariable);
    Vars vars;
    Var envVar;
    if (environment && !environment->isEmpty()) {
        envVar.state = Var::State::Set;
        envVar.value = *environment;
    }
    vars.insert(QStringLiteral("ENVIRONMENT"), envVar);

    QList<Frame> frames;
    std::optional<Var> atFirstUse;
    // An if/elif whose condition has started but not yet reached `then`.
    struct Pending
    {
        bool elif = false;
        QString cond;
        int line = 0;
        bool compound = false;
    };
    std::optional<Pending> pending;
    bool pendingLoop = false;
    bool pendingFunctionBrace = false;

    const auto effective = [&]() {
        Tri t = Tri::Yes;
        for (const Frame &f : std::as_const(frames)) {
            if (f.state == Tri::No)
                return Tri::No;
            if (f.state == Tri::Maybe)
                t = Tri::Maybe;
        }
        return t;
    };
    const auto uncertainty = [&](const Statement &st) -> QString {
        for (qsizetype i = frames.size() - 1; i >= 0; --i) {
            if (frames.at(i).state == Tri::Maybe)
                return QStringLiteral("inside %1 (line %2), which moltdesk cannot evaluate")
                    .arg(frames.at(i).what)
                    .arg(frames.at(i).line);
        }
        if (st.chained)
            return QStringLiteral("as part of a && / || / | chain or in the background, which runs only "
                                  "sometimes or in a subshell");
        return {};
    };
    const auto closeFrame = [&](Frame::Kind kind) {
        for (qsizetype i = frames.size() - 1; i >= 0; --i) {
            if (frames.at(i).kind == kind ||
                (kind == Frame::Kind::Brace && frames.at(i).kind == Frame::Kind::Function)) {
                frames.remove(i, frames.size() - i);
                return;
            }
        }
    };
    const auto beginIf = [&](const Pending &p) {
        QString why;
        Tri c = p.compound ? Tri::Maybe : evaluateCondition(p.cond, vars, why);
        if (p.compound)
            why = QStringLiteral("a compound condition");
        const QString what = QStringLiteral("`%1 %2`").arg(
            p.elif ? QStringLiteral("elif") : QStringLiteral("if"), p.cond.left(80));
        if (!p.elif) {
            Frame f;
            f.kind = Frame::Kind::If;
            f.state = c;
            f.taken = c;
            f.line = p.line;
            f.what = what + (why.isEmpty() ? QString() : QStringLiteral(" (") + why + QLatin1Char(')'));
            frames.append(f);
            return;
        }
        if (frames.isEmpty() || frames.last().kind != Frame::Kind::If)
            return;
        Frame &f = frames.last();
        f.what = what + (why.isEmpty() ? QString() : QStringLiteral(" (") + why + QLatin1Char(')'));
        f.line = p.line;
        if (f.taken == Tri::Yes) {
            f.state = Tri::No;
        } else if (f.taken == Tri::No) {
            f.state = c;
            f.taken = c;
        } else {
            f.state = (c == Tri::No) ? Tri::No : Tri::Maybe;
            if (c == Tri::Yes)
                f.taken = Tri::Yes;
        }
    };

    const auto process = [&](const Statement &st, QString text, const auto &self) -> void {
        text = text.trimmed();
        if (text.isEmpty())
            return;
        if (pending) {
            if (startsWithWord(text, QStringLiteral("then"))) {
                beginIf(*pending);
                pending.reset();
                self(st, text.mid(4), self);
            } else {
                pending->compound = true;
                pending->cond += QStringLiteral(" … ") + text;
            }
            return;
        }
        if (pendingLoop) {
            if (startsWithWord(text, QStringLiteral("do"))) {
                pendingLoop = false;
                frames.append({Frame::Kind::Loop, Tri::Maybe, Tri::No, st.line, QStringLiteral("a loop")});
                self(st, text.mid(2), self);
            }
            return;
        }
        if (pendingFunctionBrace) {
            pendingFunctionBrace = false;
            if (text.startsWith(QLatin1Char('{'))) {
                frames.append(
                    {Frame::Kind::Function, Tri::Maybe, Tri::No, st.line, QStringLiteral("a function body")});
                self(st, text.mid(1), self);
                return;
            }
        }
        if (startsWithWord(text, QStringLiteral("if")) || startsWithWord(text, QStringLiteral("elif"))) {
            const bool elif = text.startsWith(QLatin1String("elif"));
            pending = Pending{elif, text.mid(elif ? 4 : 2).trimmed(), st.line, false};
            return;
        }
        if (startsWithWord(text, QStringLiteral("else"))) {
            if (!frames.isEmpty() && frames.last().kind == Frame::Kind::If) {
                Frame &f = frames.last();
                f.state = f.taken == Tri::Yes ? Tri::No : f.taken == Tri::No ? Tri::Yes : Tri::Maybe;
                f.taken = Tri::Yes;
                f.what = QStringLiteral("the else branch of ") + f.what;
            }
            self(st, text.mid(4), self);
            return;
        }
        if (startsWithWord(text, QStringLiteral("then")) || startsWithWord(text, QStringLiteral("do"))) {
            self(st, text.mid(text.startsWith(QLatin1String("then")) ? 4 : 2), self);
            return;
        }
        if (startsWithWord(text, QStringLiteral("fi"))) {
            closeFrame(Frame::Kind::If);
            return;
        }
        if (startsWithWord(text, QStringLiteral("done"))) {
            closeFrame(Frame::Kind::Loop);
            return;
        }
        if (startsWithWord(text, QStringLiteral("esac"))) {
            closeFrame(Frame::Kind::Case);
            return;
        }
        if (text == QLatin1String("}")) {
            closeFrame(Frame::Kind::Brace);
            return;
        }
        if (startsWithWord(text, QStringLiteral("case"))) {
            frames.append(
                {Frame::Kind::Case, Tri::Maybe, Tri::No, st.line, QStringLiteral("a case statement")});
            return;
        }
        if (startsWithWord(text, QStringLiteral("for")) || startsWithWord(text, QStringLiteral("while")) ||
            startsWithWord(text, QStringLiteral("until"))) {
            pendingLoop = true;
            return;
        }
        if (text.startsWith(QLatin1Char('{')) && (text.size() == 1 || text.at(1).isSpace())) {
            frames.append({Frame::Kind::Brace, Tri::Yes, Tri::No, st.line, QStringLiteral("a { } group")});
            self(st, text.mid(1), self);
            return;
        }
        if (const auto m = functionHead().match(text); m.hasMatch()) {
            if (m.captured(1).isEmpty()) {
                pendingFunctionBrace = true;
            } else {
                frames.append(
                    {Frame::Kind::Function, Tri::Maybe, Tri::No, st.line, QStringLiteral("a function body")});
                self(st, m.captured(2), self);
            }
            return;
        }

        const Tri runs = effective();
        if (runs == Tri::No)
            return;
        const QString uncertain = (runs == Tri::Maybe || st.chained) ? uncertainty(st) : QString();

        // Assignments: [export|readonly|local|declare [-x]] NAME=WORD [NAME=WORD ...]
        QString rest = text;
        bool declaration = false;
        static const QRegularExpression decl(
            QStringLiteral("^(export|readonly|local|declare|typeset)((\\s+-[A-Za-z]+)*)\\s+"));
        if (const auto m = decl.match(rest); m.hasMatch()) {
            declaration = true;
            rest = rest.mid(m.capturedLength());
        }
        struct Assign
        {
            QString name;
            Word word;
            bool append = false;
        };
        QList<Assign> assigns;
        bool command = false;
        qsizetype pos = 0;
        const Expander ex(vars);
        static const QRegularExpression nameEq(QStringLiteral("^\\s*([A-Za-z_][A-Za-z0-9_]*)(\\+?)="));
        while (pos < rest.size()) {
            const auto m = nameEq.match(QStringView(rest).mid(pos));
            if (!m.hasMatch()) {
                while (pos < rest.size() && rest.at(pos).isSpace())
                    ++pos;
                if (pos < rest.size())
                    command = !declaration; // `export NAME` alone is fine; anything else is a command
                break;
            }
            pos += m.capturedLength();
            Word w;
            if (pos < rest.size() && !rest.at(pos).isSpace())
                ex.word(rest, pos, w);
            assigns.append({m.captured(1), w, !m.captured(2).isEmpty()});
        }
        const bool isBackupAssignment =
            std::any_of(assigns.cbegin(), assigns.cend(), [&](const Assign &a) { return a.name == kName; });

        // The first read of $BACKUP_DIR after it was set is what the restore uses.
        if (!atFirstUse && vars.contains(kName) && text.contains(usesBackupDir()) &&
            !(isBackupAssignment && !command))
            atFirstUse = vars.value(kName);

        if (command || assigns.isEmpty()) {
            // `BACKUP_DIR=x cmd` sets it for cmd only; any other appearance we cannot follow.
            if (!command && text.contains(assignsBackupDir())) {
                Var v;
                v.state = Var::State::Unknown;
                v.line = st.line;
                v.why = QStringLiteral("line %1 sets BACKUP_DIR in a way moltdesk does not evaluate: %2")
                            .arg(st.line)
                            .arg(text.left(120));
                vars.insert(kName, v);
            }
            return;
        }
        for (const Assign &a : std::as_const(assigns)) {
            Var v;
            v.line = st.line;
            v.assignment = text.left(200);
            if (!uncertain.isEmpty()) {
                v.state = Var::State::Unknown;
                v.why = QStringLiteral("line %1 sets %2 %3").arg(st.line).arg(a.name, uncertain);
            } else if (!a.word.unknown.isEmpty()) {
                v.state = Var::State::Unknown;
                v.why = QStringLiteral("line %1 sets %2 from %3").arg(st.line).arg(a.name, a.word.unknown);
            } else {
                v.state = Var::State::Set;
                v.value = a.word.value;
                if (a.append) {
                    const Var old = vars.value(a.name);
                    if (old.state == Var::State::Unknown || !vars.contains(a.name)) {
                        v.state = Var::State::Unknown;
                        v.why = QStringLiteral("line %1 appends to %2, whose value is not known")
                                    .arg(st.line)
                                    .arg(a.name);
                    } else {
                        v.value = old.value + v.value;
                    }
                }
            }
            vars.insert(a.name, v);
        }
    };

    for (const Statement &st : m_statements)
        process(st, st.text, process);

    BackupDirEvaluation out;
    const std::optional<Var> result =
        atFirstUse ? atFirstUse
                   : (vars.contains(kName) ? std::optional<Var>(vars.value(kName)) : std::nullopt);
    if (!result) {
        out.problem = QStringLiteral("the script never sets BACKUP_DIR");
        return out;
    }
    out.line = result->line;
    out.assignment = result->assignment;
    if (result->state == Var::State::Set) {
        out.evaluated = true;
        out.value = result->value;
    } else {
        out.problem = result->why;
    }
    qCDebug(lcAudit) << "BACKUP_DIR for ENVIRONMENT" << environment.value_or(QStringLiteral("(unset)")) << "="
                     << out.value << out.problem;
    return out;
}

} // namespace moltdesk
