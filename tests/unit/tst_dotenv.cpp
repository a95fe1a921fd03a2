#include "DotEnv.h"

#include <QTest>

using namespace moltdesk;

class TestDotEnv : public QObject
{
    Q_OBJECT
private slots:
    void dialect()
    {
        const QByteArray text = "# wrangler secrets\n"
                                "R2_ACCESS_KEY_ID=abc123\n"
                                "export R2_SECRET_ACCESS_KEY = \"s3cr3t with spaces\"\n"
                                "CF_ACCOUNT_ID='0123#notcomment'\n"
                                "EMPTY=\n"
                                "INLINE=value # a comment\n"
                                "MULTI=\"line1\\nline2\"\n"
                                "SPAN=\"a\nb\"\n"
                                "\r\n"
                                "CRLF=yes\r\n";
        auto r = DotEnv::parse(text);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
        const auto &m = r.value();
        QCOMPARE(m.value(QStringLiteral("R2_ACCESS_KEY_ID")), QStringLiteral("abc123"));
        QCOMPARE(m.value(QStringLiteral("R2_SECRET_ACCESS_KEY")), QStringLiteral("s3cr3t with spaces"));
        QCOMPARE(m.value(QStringLiteral("CF_ACCOUNT_ID")), QStringLiteral("0123#notcomment"));
        QVERIFY(m.contains(QStringLiteral("EMPTY")));
        QCOMPARE(m.value(QStringLiteral("EMPTY")), QString());
        QCOMPARE(m.value(QStringLiteral("INLINE")), QStringLiteral("value"));
        QCOMPARE(m.value(QStringLiteral("MULTI")), QStringLiteral("line1\nline2"));
        QCOMPARE(m.value(QStringLiteral("SPAN")), QStringLiteral("a\nb"));
        QCOMPARE(m.value(QStringLiteral("CRLF")), QStringLiteral("yes"));
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("expect");
        QTest::newRow("no equals") << QByteArray("A=1\nJUSTAWORD\n") << "line 2: expected KEY=VALUE";
        QTest::newRow("bad name") << QByteArray("9X=1\n") << "not a valid variable name";
        QTest::newRow("open double") << QByteArray("A=\"abc\n") << "never closed";
        QTest::newRow("open single") << QByteArray("A='abc\n") << "never closed";
        QTest::newRow("nul") << QByteArray("A=1\0", 4) << "NUL";
        QTest::newRow("junk after quote") << QByteArray("A=\"x\" y\n") << "after the closing quote";
    }
    void errors()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, expect);
        auto r = DotEnv::parse(text, QStringLiteral(".dev.vars"));
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.contains(expect), qPrintable(r.error().message));
        QVERIFY(r.error().message.startsWith(QLatin1String(".dev.vars: ")));
    }
};

QTEST_GUILESS_MAIN(TestDotEnv)
#include "tst_dotenv.moc"
