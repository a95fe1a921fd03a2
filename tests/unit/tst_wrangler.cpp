#include "Jsonc.h"
#include "WranglerConfig.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace moltdesk;

class TestWrangler : public QObject
{
    Q_OBJECT
private slots:
    void commentsAndTrailingCommas()
    {
        const QByteArray text = "{\n"
                                "  // a line comment\n"
                                "  \"name\": \"paramita-cloud\", /* block\n"
                                "  comment */ \"main\": \"src/index.ts\",\n"
                                "  \"url\": \"https://example.com/a//b\", // the // in a string is text\n"
                                "  \"glob\": \"/* not a comment */\",\n"
                                "  \"env\": {\n"
                                "    \"development\": {\n"
                                "      \"name\": \"paramita-cloud-development\",\n"
                                "      \"vars\": { \"ENVIRONMENT\": \"development\", },\n"
                                "      \"r2_buckets\": [ { \"binding\": \"B\", \"bucket_name\": "
                                "\"moltbot-data-development\" }, ],\n"
                                "    },\n"
                                "    \"production\": {\n"
                                "      \"name\": \"paramita-cloud-production\",\n"
                                "      \"vars\": { \"OTHER\": \"x\" }\n"
                                "    },\n"
                                "  },\n"
                                "}";
        auto doc = Jsonc::parse(text);
        QVERIFY2(doc.ok(), qPrintable(doc.ok() ? QString() : doc.error().message));
        const QJsonObject root = doc.value().root.toObject();
        QCOMPARE(root.value(QLatin1String("url")).toString(), QStringLiteral("https://example.com/a//b"));
        QCOMPARE(root.value(QLatin1String("glob")).toString(), QStringLiteral("/* not a comment */"));

        auto cfg = WranglerConfig::parse(text, QStringLiteral("wrangler.jsonc"));
        QVERIFY(cfg.ok());
        QCOMPARE(cfg.value().topLevelName, QStringLiteral("paramita-cloud"));
        QCOMPARE(cfg.value().environments.size(), 2);
        const WranglerEnvironment &dev = cfg.value().environments.at(0);
        QCOMPARE(dev.name, QStringLiteral("development")); // file order, not sorted
        QCOMPARE(dev.workerName, QStringLiteral("paramita-cloud-development"));
        QVERIFY(dev.hasEnvironmentVar);
        QCOMPARE(dev.environmentVar, QStringLiteral("development"));
        QCOMPARE(dev.r2Buckets.size(), 1);
        QCOMPARE(dev.r2Buckets.first().bucketName, QStringLiteral("moltbot-data-development"));
        QCOMPARE(dev.r2Buckets.first().line, 11);
        const WranglerEnvironment &prod = cfg.value().environments.at(1);
        QVERIFY(!prod.hasEnvironmentVar);
        QCOMPARE(prod.line, 13);
        QCOMPARE(prod.varsLine, 15);
        QCOMPARE(cfg.value().environmentNames(), QStringList{QStringLiteral("development")});
    }

    void nestedAndOrder()
    {
        const QByteArray text = "{\"env\":{\"zeta\":{\"vars\":{\"ENVIRONMENT\":\"zeta\"}},\"alpha\":{"
                                "\"vars\":{\"ENVIRONMENT\":\"alpha\",\"NESTED\":{\"a\":[1,{\"b\":[]}]}}}}}";
        auto cfg = WranglerConfig::parse(text);
        QVERIFY(cfg.ok());
        QCOMPARE(cfg.value().environmentNames(),
                 (QStringList{QStringLiteral("zeta"), QStringLiteral("alpha")}));
    }

    void malformed_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("expect");
        QTest::newRow("missing comma") << QByteArray("{\n\"a\": 1\n\"b\": 2\n}") << "line 3";
        QTest::newRow("unclosed object") << QByteArray("{\n\"a\": {\n") << "never closed";
        QTest::newRow("unclosed comment") << QByteArray("{ /* x\n\n") << "comment opened on line 1";
        QTest::newRow("unclosed string") << QByteArray("{\"a\": \"abc}") << "string opened on line 1";
        QTest::newRow("bare word") << QByteArray("{\"a\": yes}") << "line 1, column 7";
        QTest::newRow("trailing garbage") << QByteArray("{} x") << "after the end";
        QTest::newRow("empty") << QByteArray("") << "end of file";
        QTest::newRow("nul") << QByteArray("{\"a\": \0}", 8) << "NUL";
        QTest::newRow("deep") << QByteArray(200, '[') << "nesting deeper";
        QTest::newRow("env not object") << QByteArray("{\"env\": []}") << "\"env\" must be an object";
        QTest::newRow("vars not object")
            << QByteArray("{\"env\": {\"d\": {\"vars\": 3}}}") << "env.d.vars must be an object";
        QTest::newRow("ENVIRONMENT not string")
            << QByteArray("{\"env\": {\"d\": {\"vars\": {\"ENVIRONMENT\": 1}}}}") << "must be a string";
        QTest::newRow("bad binding") << QByteArray("{\"r2_buckets\": [ {\"binding\": \"x\"} ]}")
                                     << "bucket_name";
    }
    void malformed()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, expect);
        auto cfg = WranglerConfig::parse(text, QStringLiteral("w.jsonc"));
        QVERIFY(!cfg.ok());
        QCOMPARE(cfg.error().kind, ErrorKind::InvalidInput);
        QVERIFY2(cfg.error().message.contains(expect), qPrintable(cfg.error().message));
    }

    void hugeFileRefused()
    {
        QByteArray big = "{\"a\": \"" + QByteArray(Jsonc::kMaxBytes, 'x') + "\"}";
        auto r = Jsonc::parse(big);
        QVERIFY(!r.ok());
        QVERIFY(r.error().message.contains(QLatin1String("larger than")));
    }

    void escapesAndUnicode()
    {
        auto r = Jsonc::parse("{\"a\": \"x\\n\\u00e9\\ud83d\\ude00\\\"//\"}");
        QVERIFY(r.ok());
        QCOMPARE(r.value().root.toObject().value(QLatin1String("a")).toString(), QStringLiteral("x\né😀\"//"));
    }
};

QTEST_GUILESS_MAIN(TestWrangler)
#include "tst_wrangler.moc"
