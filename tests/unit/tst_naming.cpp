#include "BucketNaming.h"

#include <QTest>

using namespace moltdesk;

class TestNaming : public QObject
{
    Q_OBJECT
private slots:
    void seedTable_data()
    {
        QTest::addColumn<QString>("env");
        QTest::addColumn<QString>("bucket");
        QTest::addColumn<QString>("mount");
        QTest::addColumn<QString>("instance");
        QTest::newRow("legacy") << QString() << "moltbot-data"
                                << "/data/moltbot"
                                << "moltbot";
        QTest::newRow("development") << "development"
                                     << "moltbot-data-development"
                                     << "/data/moltbot-development"
                                     << "moltbot-development";
        QTest::newRow("production") << "production"
                                    << "moltbot-data-production"
                                    << "/data/moltbot-production"
                                    << "moltbot-production";
    }
    void seedTable()
    {
        QFETCH(QString, env);
        QFETCH(QString, bucket);
        QFETCH(QString, mount);
        QFETCH(QString, instance);
        const auto r = BucketNaming().resolve(env);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
        QCOMPARE(r.value().bucket, bucket);
        QCOMPARE(r.value().mountPath, mount);
        QCOMPARE(r.value().instanceId, instance);
        QCOMPARE(r.value().isLegacy(), env.isEmpty());
    }

    void customBases()
    {
        const BucketNaming n(
            {QStringLiteral("paramita-data"), QStringLiteral("/mnt/p"), QStringLiteral("param")});
        const auto r = n.resolve(QStringLiteral("staging"));
        QVERIFY(r.ok());
        QCOMPARE(r.value().bucket, QStringLiteral("paramita-data-staging"));
        QCOMPARE(r.value().mountPath, QStringLiteral("/mnt/p-staging"));
        QCOMPARE(r.value().instanceId, QStringLiteral("param-staging"));
        QCOMPARE(n.legacy().bucket, QStringLiteral("paramita-data"));
    }

    void refused_data()
    {
        QTest::addColumn<QString>("env");
        QTest::addColumn<QString>("why");
        QTest::newRow("uppercase") << "Prod"
                                   << "uppercase letter";
        QTest::newRow("path") << "../prod"
                              << "path character";
        QTest::newRow("space") << "dev prod"
                               << "white space";
        QTest::newRow("semicolon") << "dev;rm"
                                   << "the character \";\"";
        QTest::newRow("leading hyphen") << "-dev"
                                        << "starts or ends with a hyphen";
        QTest::newRow("trailing hyphen") << "dev-"
                                         << "starts or ends with a hyphen";
        QTest::newRow("64 chars") << QString(64, QLatin1Char('a')) << "too long";
        QTest::newRow("just too long") << QString(63 - 13 + 1, QLatin1Char('a')) << "too long";
        QTest::newRow("nul") << QStringLiteral("dev") + QChar(0) << "\\x00";
        QTest::newRow("underscore") << "dev_1"
                                    << "the character \"_\"";
        QTest::newRow("unicode") << QStringLiteral("pröd") << "the character";
    }
    void refused()
    {
        QFETCH(QString, env);
        QFETCH(QString, why);
        const auto r = BucketNaming().resolve(env);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, ErrorKind::InvalidInput);
        QVERIFY2(r.error().message.contains(why), qPrintable(r.error().message));
        // Every refusal says what is allowed.
        QVERIFY2(r.error().message.contains(QLatin1String("lowercase letters")),
                 qPrintable(r.error().message));
    }

    void longestAccepted()
    {
        const QString env(63 - 13, QLatin1Char('a')); // "moltbot-data-" is 13 characters
        const auto r = BucketNaming().resolve(env);
        QVERIFY(r.ok());
        QCOMPARE(r.value().bucket.size(), 63);
    }

    void basesValidated()
    {
        QVERIFY(BucketNaming().validateBases().ok());
        QVERIFY(!BucketNaming({QStringLiteral("Bad_Base"), QStringLiteral("/data/x"), QStringLiteral("x")})
                     .validateBases()
                     .ok());
        QVERIFY(!BucketNaming({QStringLiteral("ok-base"), QStringLiteral("relative/x"), QStringLiteral("x")})
                     .validateBases()
                     .ok());
        QVERIFY(
            !BucketNaming({QStringLiteral("ok-base"), QStringLiteral("/data/../etc"), QStringLiteral("x")})
                 .validateBases()
                 .ok());
    }
};

QTEST_GUILESS_MAIN(TestNaming)
#include "tst_naming.moc"
