#include "LastSync.h"

#include <QTest>

using namespace moltdesk;

class TestLastSync : public QObject
{
    Q_OBJECT
private slots:
    void accepted_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<QString>("utc");
        QTest::newRow("date -Iseconds")
            << QByteArray("2026-02-04T10:15:30+00:00\n") << "2026-02-04T10:15:30.000Z";
        QTest::newRow("offset") << QByteArray("2026-02-04T11:15:30+01:00") << "2026-02-04T10:15:30.000Z";
        QTest::newRow("negative offset")
            << QByteArray("2026-02-04T05:15:30-05:00") << "2026-02-04T10:15:30.000Z";
        QTest::newRow("Z") << QByteArray("2026-02-04T10:15:30Z") << "2026-02-04T10:15:30.000Z";
        QTest::newRow("fraction") << QByteArray("2026-02-04T10:15:30.123456789Z")
                                  << "2026-02-04T10:15:30.123Z";
        QTest::newRow("compact offset")
            << QByteArray("2026-02-04T10:15:30+0000") << "2026-02-04T10:15:30.000Z";
        QTest::newRow("space and CRLF")
            << QByteArray("  2026-02-04 10:15:30+00:00\r\n") << "2026-02-04T10:15:30.000Z";
    }
    void accepted()
    {
        QFETCH(QByteArray, raw);
        QFETCH(QString, utc);
        auto r = LastSync::parse(raw);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
        QCOMPARE(r.value().toUTC().toString(Qt::ISODateWithMs), utc);
    }

    void refused_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("words") << QByteArray("yesterday");
        QTest::newRow("no zone") << QByteArray("2026-02-04T10:15:30");
        QTest::newRow("impossible date") << QByteArray("2026-02-30T10:15:30+00:00");
        QTest::newRow("impossible time") << QByteArray("2026-02-04T25:15:30+00:00");
        QTest::newRow("impossible zone") << QByteArray("2026-02-04T10:15:30+25:00");
        QTest::newRow("huge") << QByteArray(10000, '2');
        QTest::newRow("binary") << QByteArray("\x00\xff\xfe", 3);
    }
    void refused()
    {
        QFETCH(QByteArray, raw);
        auto r = LastSync::parse(raw);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, ErrorKind::InvalidInput);
    }

    void formatMatchesContainer()
    {
        const QDateTime t(QDate(2026, 2, 4), QTime(10, 15, 30), Qt::UTC);
        QCOMPARE(LastSync::format(t), QByteArray("2026-02-04T10:15:30+00:00\n"));
        QCOMPARE(LastSync::parse(LastSync::format(t)).value(), t);
    }

    void relativeAge()
    {
        const QDateTime now(QDate(2026, 2, 4), QTime(10, 0), Qt::UTC);
        QCOMPARE(LastSync::relativeAge(now.addSecs(-240), now), QStringLiteral("4 min ago"));
        QCOMPARE(LastSync::relativeAge(now.addDays(-2), now), QStringLiteral("2 days ago"));
        QCOMPARE(LastSync::relativeAge(now.addSecs(60), now), QStringLiteral("in the future"));
    }
};

QTEST_GUILESS_MAIN(TestLastSync)
#include "tst_lastsync.moc"
