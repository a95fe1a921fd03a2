// ShellLexer (core/audit/ShellLexer.*): how a start script is cut into simple statements, with the
// line each starts on and whether it runs only sometimes or in a subshell.
#include "ShellLexer.h"

#include <QTest>

using namespace moltdesk;

namespace {

ShellStatement st(const char *text, int line, bool chained = false)
{
    return {QString::fromUtf8(text), line, chained};
}

QList<ShellStatement> split(const char *script)
{
    return ShellLexer::split(QString::fromUtf8(script));
}

} // namespace

Q_DECLARE_METATYPE(QList<moltdesk::ShellStatement>)

namespace QTest {
template <> char *toString(const QList<moltdesk::ShellStatement> &l)
{
    QStringList parts;
    for (const ShellStatement &s : l)
        parts << QStringLiteral("{%1 @%2%3}")
                     .arg(s.text)
                     .arg(s.line)
                     .arg(s.chained ? QStringLiteral(" chained") : QString());
    return qstrdup(parts.join(QLatin1Char(' ')).toUtf8().constData());
}
} // namespace QTest

class TestShellLexer : public QObject
{
    Q_OBJECT
private slots:
    void statements_data()
    {
        QTest::addColumn<QString>("script");
        QTest::addColumn<QList<ShellStatement>>("expected");
        const auto row = [](const char *name, const char *script, const QList<ShellStatement> &expected) {
            QTest::newRow(name) << QString::fromUtf8(script) << expected;
        };
        row("newlines and blank lines", "a=1\n\n  b=2  \n", {st("a=1", 1), st("b=2", 3)});
        row("semicolons, ;; too", "a=1; b=2;; c", {st("a=1", 1), st("b=2", 1), st("c", 1)});
        row("&& and || chain the next", "test -f x && a=1 || b=2\nc=3",
            {st("test -f x", 1), st("a=1", 1, true), st("b=2", 1, true), st("c=3", 2)});
        row("every part of a pipeline is a subshell", "a=1 | b=2\nc",
            {st("a=1", 1, true), st("b=2", 1, true), st("c", 2)});
        row("background is a subshell, 2>&1 is not", "run 2>&1 &\nx >&2\nd=4",
            {st("run 2>&1", 1, true), st("x >&2", 2), st("d=4", 3)});
        row("comments", "# top\na=1 # trailing\nb=x#y\n", {st("a=1", 2), st("b=x#y", 3)});
        row("quotes hold separators", "echo \"a; b && c\" 'd | e'\nf",
            {st("echo \"a; b && c\" 'd | e'", 1), st("f", 2)});
        row("single quotes span lines", "x='one\ntwo'\ny=1", {st("x='one\ntwo'", 1), st("y=1", 3)});
        row("command substitution holds separators", "d=$(cd /x; pwd (a) | tr a b)\ne",
            {st("d=$(cd /x; pwd (a) | tr a b)", 1), st("e", 2)});
        row("substitution inside double quotes", "d=\"$(a; b)\"; e", {st("d=\"$(a; b)\"", 1), st("e", 1)});
        row("backticks", "d=`a; b`; e", {st("d=`a; b`", 1), st("e", 1)});
        row("continuation lines", "a=1 \\\n  b=2\nc", {st("a=1   b=2", 1), st("c", 3)});
        row("escaped separator", "echo a\\;b; c", {st("echo a\\;b", 1), st("c", 1)});
        row("here-document skipped", "cat > f << 'EOF'\nBACKUP_DIR=/no\n}\nEOF\nBACKUP_DIR=/yes\n",
            {st("cat > f << 'EOF'", 1), st("BACKUP_DIR=/yes", 5)});
        row("<<- strips tabs before the delimiter", "cat <<-END\n\tfi\n\tEND\nx=1",
            {st("cat <<-END", 1), st("x=1", 4)});
        row("two here-documents on one line", "cat <<A <<\"B\"\na\nA\nb\nB\nz",
            {st("cat <<A <<\"B\"", 1), st("z", 6)});
        row("<<< is a here-string", "cat <<< word\nq", {st("cat <<< word", 1), st("q", 2)});
        row("keywords stay in their statement", "if [ -n \"$E\" ]; then\n  B=1\nfi",
            {st("if [ -n \"$E\" ]", 1), st("then", 1), st("B=1", 2), st("fi", 3)});
    }
    void statements()
    {
        QFETCH(QString, script);
        QFETCH(QList<ShellStatement>, expected);
        QCOMPARE(ShellLexer::split(script), expected);
    }

    void unterminatedQuoteEndsTheScript()
    {
        const QList<ShellStatement> out = split("a=1\nb='open\nc=2\n");
        QCOMPARE(out.size(), 2);
        QCOMPARE(out.at(1).text, QStringLiteral("b='open\nc=2"));
        QCOMPARE(out.at(1).line, 2);
    }
};

QTEST_GUILESS_MAIN(TestShellLexer)
#include "tst_shelllexer.moc"
