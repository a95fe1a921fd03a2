// ShellExpander and evaluateShellTest (core/audit/ShellExpansion.*): a word's value over known
// variables, or what made it unknowable; a test's truth, or why it cannot be told.
#include "ShellExpansion.h"

#include <QTest>

using namespace moltdesk;

class TestShellExpansion : public QObject
{
    Q_OBJECT
private:
    ShellVars m_vars;

    static ShellVar set(const char *value)
    {
        ShellVar v;
        v.state = ShellVar::State::Set;
        v.value = QString::fromUtf8(value);
        return v;
    }

private slots:
    void initTestCase()
    {
        m_vars.insert(QStringLiteral("ENVIRONMENT"), set("production"));
        m_vars.insert(QStringLiteral("EMPTY"), set(""));
        m_vars.insert(QStringLiteral("UNSET"), ShellVar{});
    }

    void words_data()
    {
        QTest::addColumn<QString>("word");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("unknown"); // a part of the reason, empty when known
        QTest::newRow("plain") << "/data/moltbot"
                               << "/data/moltbot"
                               << "";
        QTest::newRow("variable") << "/data/moltbot-$ENVIRONMENT"
                                  << "/data/moltbot-production"
                                  << "";
        QTest::newRow("braced, quoted") << "\"/d/${ENVIRONMENT}x\""
                                        << "/d/productionx"
                                        << "";
        QTest::newRow("single quotes are literal") << "'$ENVIRONMENT'"
                                                   << "$ENVIRONMENT"
                                                   << "";
        QTest::newRow(":- on empty") << "${EMPTY:-dflt}"
                                     << "dflt"
                                     << "";
        QTest::newRow("- on empty") << "${EMPTY-dflt}"
                                    << ""
                                    << "";
        QTest::newRow(":+ on set") << "${ENVIRONMENT:+-$ENVIRONMENT}"
                                   << "-production"
                                   << "";
        QTest::newRow("+ on unset") << "a${UNSET+x}b"
                                    << "ab"
                                    << "";
        QTest::newRow("escaped dollar") << "\\$HOME"
                                        << "$HOME"
                                        << "";
        QTest::newRow("from the container") << "$HOME/x"
                                            << ""
                                            << "$HOME";
        QTest::newRow("command substitution") << "$(pwd)"
                                              << ""
                                              << "command substitution";
        QTest::newRow("backticks") << "`pwd`"
                                   << ""
                                   << "command substitution";
        QTest::newRow("special parameter") << "$1"
                                           << ""
                                           << "special parameter";
        QTest::newRow("tilde") << "~/x"
                               << ""
                               << "home directory";
        QTest::newRow("other operator") << "${ENVIRONMENT%%-*}"
                                        << ""
                                        << "parameter expansion";
        QTest::newRow("unterminated brace") << "${ENVIRONMENT"
                                            << ""
                                            << "unterminated";
    }
    void words()
    {
        QFETCH(QString, word);
        QFETCH(QString, value);
        QFETCH(QString, unknown);
        ShellWord w;
        qsizetype pos = 0;
        QVERIFY(ShellExpander(m_vars).word(word, pos, w));
        if (unknown.isEmpty()) {
            QCOMPARE(w.unknown, QString());
            QCOMPARE(w.value, value);
        } else {
            QVERIFY2(w.unknown.contains(unknown), qPrintable(w.unknown));
        }
    }

    void tests_data()
    {
        QTest::addColumn<QString>("condition");
        QTest::addColumn<int>("result"); // Tri
        QTest::newRow("-n set") << "[ -n \"$ENVIRONMENT\" ]" << int(Tri::Yes);
        QTest::newRow("-z set") << "[ -z \"$ENVIRONMENT\" ]" << int(Tri::No);
        QTest::newRow("= literal") << "[ \"$ENVIRONMENT\" = production ]" << int(Tri::Yes);
        QTest::newRow("!= literal") << "test \"$ENVIRONMENT\" != production" << int(Tri::No);
        QTest::newRow("negated") << "! [ -n \"$EMPTY\" ]" << int(Tri::Yes);
        QTest::newRow("[[ ]] keeps empty args") << "[[ $EMPTY == \"\" ]]" << int(Tri::Yes);
        QTest::newRow("[[ ]] pattern") << "[[ $ENVIRONMENT == prod* ]]" << int(Tri::Maybe);
        QTest::newRow("file test") << "[ -f /x ]" << int(Tri::Maybe);
        QTest::newRow("not a test") << "grep -q x f" << int(Tri::Maybe);
        QTest::newRow("unknown variable") << "[ -n \"$HOME\" ]" << int(Tri::Maybe);
    }
    void tests()
    {
        QFETCH(QString, condition);
        QFETCH(int, result);
        QString why;
        QCOMPARE(int(evaluateShellTest(condition, m_vars, why)), result);
        QCOMPARE(why.isEmpty(), result != int(Tri::Maybe));
    }
};

QTEST_GUILESS_MAIN(TestShellExpansion)
#include "tst_shellexpansion.moc"
