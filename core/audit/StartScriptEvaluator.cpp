#include "StartScriptEvaluator.h"

#include <QRegularExpression>

namespace moltdesk {

namespace {

// The brace as a named character: it keeps line-based brace counters (tools/longfuncs.py) in step.
constexpr QChar kOpenBrace(0x7b); // {

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

QString backupDirName()
{
    return QString::fromLatin1(StartScript::kVariable);
}

} // namespace

StartScriptEvaluator::StartScriptEvaluator(const std::optional<QString> &environment)
{
    ShellVar envVar;
    if (environment && !environment->isEmpty()) {
        envVar.state = ShellVar::State::Set;
        envVar.value = *environment;
    }
    m_vars.insert(QStringLiteral("ENVIRONMENT"), envVar);
}

BackupDirEvaluation StartScriptEvaluator::evaluate(const QList<ShellStatement> &statements)
{
    for (const ShellStatement &st : statements)
        statement(st, st.text);
    return result();
}

// One statement, or what is left of one after a keyword (`then echo x` goes on with `echo x`).
void StartScriptEvaluator::statement(const ShellStatement &st, QString text)
{
    text = text.trimmed();
    if (text.isEmpty() || continuesPending(st, text) || keyword(st, text) || opensConstruct(st, text))
        return;
    simpleCommand(st, text);
}

// A construct whose head is still open: an if/elif condition before `then`, a loop before `do`, a
// function name before its `{`.
bool StartScriptEvaluator::continuesPending(const ShellStatement &st, const QString &text)
{
    if (m_pendingCondition) {
        if (startsWithWord(text, QStringLiteral("then"))) {
            const PendingCondition p = *m_pendingCondition;
            m_pendingCondition.reset();
            if (p.elif)
                enterElif(p);
            else
                enterIf(p);
            statement(st, text.mid(4));
        } else {
            m_pendingCondition->compound = true;
            m_pendingCondition->cond += QStringLiteral(" … ") + text;
        }
        return true;
    }
    if (m_pendingLoop) {
        if (startsWithWord(text, QStringLiteral("do"))) {
            m_pendingLoop = false;
            openFrame(Frame::Kind::Loop, Tri::Maybe, st.line, QStringLiteral("a loop"));
            statement(st, text.mid(2));
        }
        return true;
    }
    if (m_pendingFunctionBrace) {
        m_pendingFunctionBrace = false;
        if (text.startsWith(kOpenBrace)) {
            openFrame(Frame::Kind::Function, Tri::Maybe, st.line, QStringLiteral("a function body"));
            statement(st, text.mid(1));
            return true;
        }
    }
    return false;
}

// The words that continue or close a construct: if, elif, else, then, do, fi, done, esac, }.
bool StartScriptEvaluator::keyword(const ShellStatement &st, const QString &text)
{
    if (startsWithWord(text, QStringLiteral("if")) || startsWithWord(text, QStringLiteral("elif"))) {
        condition(st, text);
    } else if (startsWithWord(text, QStringLiteral("else"))) {
        elseBranch();
        statement(st, text.mid(4));
    } else if (startsWithWord(text, QStringLiteral("then")) || startsWithWord(text, QStringLiteral("do"))) {
        statement(st, text.mid(text.startsWith(QLatin1String("then")) ? 4 : 2));
    } else if (startsWithWord(text, QStringLiteral("fi"))) {
        closeFrame(Frame::Kind::If);
    } else if (startsWithWord(text, QStringLiteral("done"))) {
        closeFrame(Frame::Kind::Loop);
    } else if (startsWithWord(text, QStringLiteral("esac"))) {
        closeFrame(Frame::Kind::Case);
    } else if (text == QLatin1String("}")) {
        closeFrame(Frame::Kind::Brace);
    } else {
        return false;
    }
    return true;
}

// case, for / while / until, a { } group and a function definition.
bool StartScriptEvaluator::opensConstruct(const ShellStatement &st, const QString &text)
{
    if (startsWithWord(text, QStringLiteral("case"))) {
        openFrame(Frame::Kind::Case, Tri::Maybe, st.line, QStringLiteral("a case statement"));
        return true;
    }
    if (startsWithWord(text, QStringLiteral("for")) || startsWithWord(text, QStringLiteral("while")) ||
        startsWithWord(text, QStringLiteral("until"))) {
        m_pendingLoop = true;
        return true;
    }
    if (text.startsWith(kOpenBrace) && (text.size() == 1 || text.at(1).isSpace())) {
        openFrame(Frame::Kind::Brace, Tri::Yes, st.line, QStringLiteral("a { } group"));
        statement(st, text.mid(1));
        return true;
    }
    if (const auto m = functionHead().match(text); m.hasMatch()) {
        if (m.captured(1).isEmpty()) {
            m_pendingFunctionBrace = true;
        } else {
            openFrame(Frame::Kind::Function, Tri::Maybe, st.line, QStringLiteral("a function body"));
            statement(st, m.captured(2));
        }
        return true;
    }
    return false;
}

void StartScriptEvaluator::condition(const ShellStatement &st, const QString &text)
{
    const bool elif = text.startsWith(QLatin1String("elif"));
    m_pendingCondition = PendingCondition{elif, text.mid(elif ? 4 : 2).trimmed(), st.line, false};
}

namespace {

// The condition's value, and the frame's evidence text ("`if [ ... ]` (why it cannot be told)").
Tri conditionValue(bool elif, const QString &cond, bool compound, const ShellVars &vars, QString &what)
{
    QString why;
    const Tri c = compound ? Tri::Maybe : evaluateShellTest(cond, vars, why);
    if (compound)
        why = QStringLiteral("a compound condition");
    what =
        QStringLiteral("`%1 %2`").arg(elif ? QStringLiteral("elif") : QStringLiteral("if"), cond.left(80)) +
        (why.isEmpty() ? QString() : QStringLiteral(" (") + why + QLatin1Char(')'));
    return c;
}

} // namespace

void StartScriptEvaluator::enterIf(const PendingCondition &p)
{
    QString what;
    const Tri c = conditionValue(false, p.cond, p.compound, m_vars, what);
    m_frames.append({Frame::Kind::If, c, c, p.line, what});
}

void StartScriptEvaluator::enterElif(const PendingCondition &p)
{
    QString what;
    const Tri c = conditionValue(true, p.cond, p.compound, m_vars, what);
    if (m_frames.isEmpty() || m_frames.last().kind != Frame::Kind::If)
        return;
    Frame &f = m_frames.last();
    f.what = what;
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
}

void StartScriptEvaluator::elseBranch()
{
    if (m_frames.isEmpty() || m_frames.last().kind != Frame::Kind::If)
        return;
    Frame &f = m_frames.last();
    f.state = f.taken == Tri::Yes ? Tri::No : f.taken == Tri::No ? Tri::Yes : Tri::Maybe;
    f.taken = Tri::Yes;
    f.what = QStringLiteral("the else branch of ") + f.what;
}

void StartScriptEvaluator::openFrame(Frame::Kind kind, Tri state, int line, const QString &what)
{
    m_frames.append({kind, state, Tri::No, line, what});
}

// Closes the innermost frame of `kind` and everything opened inside it (a `}` closes a function too).
void StartScriptEvaluator::closeFrame(Frame::Kind kind)
{
    for (qsizetype i = m_frames.size() - 1; i >= 0; --i) {
        if (m_frames.at(i).kind == kind ||
            (kind == Frame::Kind::Brace && m_frames.at(i).kind == Frame::Kind::Function)) {
            m_frames.remove(i, m_frames.size() - i);
            return;
        }
    }
}

// Whether the statement at hand runs: No inside a skipped branch, Maybe inside one that may run.
Tri StartScriptEvaluator::runs() const
{
    Tri t = Tri::Yes;
    for (const Frame &f : m_frames) {
        if (f.state == Tri::No)
            return Tri::No;
        if (f.state == Tri::Maybe)
            t = Tri::Maybe;
    }
    return t;
}

QString StartScriptEvaluator::uncertainty(const ShellStatement &st) const
{
    for (qsizetype i = m_frames.size() - 1; i >= 0; --i) {
        if (m_frames.at(i).state == Tri::Maybe)
            return QStringLiteral("inside %1 (line %2), which moltdesk cannot evaluate")
                .arg(m_frames.at(i).what)
                .arg(m_frames.at(i).line);
    }
    if (st.chained)
        return QStringLiteral("as part of a && / || / | chain or in the background, which runs only "
                              "sometimes or in a subshell");
    return {};
}

// Assignments: [export|readonly|local|declare [-x]] NAME=WORD [NAME=WORD ...]; anything after them
// makes the statement a command (`command` set), and its assignments last for that command only.
QList<StartScriptEvaluator::Assignment> StartScriptEvaluator::assignments(const QString &text,
                                                                          bool &command) const
{
    QString rest = text;
    bool declaration = false;
    static const QRegularExpression decl(
        QStringLiteral("^(export|readonly|local|declare|typeset)((\\s+-[A-Za-z]+)*)\\s+"));
    if (const auto m = decl.match(rest); m.hasMatch()) {
        declaration = true;
        rest = rest.mid(m.capturedLength());
    }
    QList<Assignment> out;
    command = false;
    qsizetype pos = 0;
    const ShellExpander ex(m_vars);
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
        ShellWord w;
        if (pos < rest.size() && !rest.at(pos).isSpace())
            ex.word(rest, pos, w);
        out.append({m.captured(1), w, !m.captured(2).isEmpty()});
    }
    return out;
}

void StartScriptEvaluator::simpleCommand(const ShellStatement &st, const QString &text)
{
    const Tri running = runs();
    if (running == Tri::No)
        return;
    const QString uncertain = (running == Tri::Maybe || st.chained) ? uncertainty(st) : QString();
    bool command = false;
    const QList<Assignment> assigns = assignments(text, command);
    const QString name = backupDirName();
    const bool isBackupAssignment =
        std::any_of(assigns.cbegin(), assigns.cend(), [&](const Assignment &a) { return a.name == name; });

    // The first read of $BACKUP_DIR after it was set is what the restore uses.
    if (!m_atFirstUse && m_vars.contains(name) && text.contains(usesBackupDir()) &&
        !(isBackupAssignment && !command))
        m_atFirstUse = m_vars.value(name);

    if (command || assigns.isEmpty()) {
        // `BACKUP_DIR=x cmd` sets it for cmd only; any other appearance we cannot follow.
        if (!command && text.contains(assignsBackupDir()))
            unknownBackupDir(st, text);
        return;
    }
    for (const Assignment &a : assigns)
        assign(st, a, text, uncertain);
}

void StartScriptEvaluator::assign(const ShellStatement &st, const Assignment &a, const QString &text,
                                  const QString &uncertain)
{
    ShellVar v;
    v.line = st.line;
    v.assignment = text.left(200);
    if (!uncertain.isEmpty()) {
        v.state = ShellVar::State::Unknown;
        v.why = QStringLiteral("line %1 sets %2 %3").arg(st.line).arg(a.name, uncertain);
    } else if (!a.word.unknown.isEmpty()) {
        v.state = ShellVar::State::Unknown;
        v.why = QStringLiteral("line %1 sets %2 from %3").arg(st.line).arg(a.name, a.word.unknown);
    } else {
        v.state = ShellVar::State::Set;
        v.value = a.word.value;
        if (a.append) {
            const ShellVar old = m_vars.value(a.name);
            if (old.state == ShellVar::State::Unknown || !m_vars.contains(a.name)) {
                v.state = ShellVar::State::Unknown;
                v.why = QStringLiteral("line %1 appends to %2, whose value is not known")
                            .arg(st.line)
                            .arg(a.name);
            } else {
                v.value = old.value + v.value;
            }
        }
    }
    m_vars.insert(a.name, v);
}

void StartScriptEvaluator::unknownBackupDir(const ShellStatement &st, const QString &text)
{
    ShellVar v;
    v.state = ShellVar::State::Unknown;
    v.line = st.line;
    v.why = QStringLiteral("line %1 sets BACKUP_DIR in a way moltdesk does not evaluate: %2")
                .arg(st.line)
                .arg(text.left(120));
    m_vars.insert(backupDirName(), v);
}

BackupDirEvaluation StartScriptEvaluator::result() const
{
    const QString name = backupDirName();
    BackupDirEvaluation out;
    const std::optional<ShellVar> r =
        m_atFirstUse ? m_atFirstUse
                     : (m_vars.contains(name) ? std::optional<ShellVar>(m_vars.value(name)) : std::nullopt);
    if (!r) {
        out.problem = QStringLiteral("the script never sets BACKUP_DIR");
        return out;
    }
    out.line = r->line;
    out.assignment = r->assignment;
    if (r->state == ShellVar::State::Set) {
        out.evaluated = true;
        out.value = r->value;
    } else {
        out.problem = r->why;
    }
    return out;
}

} // namespace moltdesk
