// JobStatusStrip: one line per registered job with its progress and its own Cancel; gone when done.
#include "JobStatusStrip.h"

#include <QLabel>
#include <QLayout>
#include <QPushButton>
#include <QTest>

using namespace moltdesk;

class TstJobStatusStrip : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void linePerJobInStartOrder();
    void cancelReachesOnlyItsJob();
    void lineGoneWhenFinishedOrDestroyed();
};

namespace {
JobStatusStrip::JobLine line(const QString &id, int *cancels)
{
    return {.id = id, .cancelName = QStringLiteral("Cancel ") + id, .cancel = [cancels]() { ++*cancels; }};
}
} // namespace

void TstJobStatusStrip::linePerJobInStartOrder()
{
    JobStatusStrip strip;
    QObject a, b;
    int ca = 0, cb = 0;
    strip.registerJob(&a, line(QStringLiteral("development_sync"), &ca));
    strip.registerJob(&b, line(QStringLiteral("production_sync"), &cb));
    strip.registerJob(&a, line(QStringLiteral("development_sync"), &ca)); // again: still one line
    QCOMPARE(strip.jobCount(), 2);
    strip.setProgress(&a, QStringLiteral("Syncing development: 3 of 10 files"));
    auto *text = strip.findChild<QLabel *>(QStringLiteral("statusText_development_sync"));
    QVERIFY(text);
    QCOMPARE(text->text(), QStringLiteral("Syncing development: 3 of 10 files"));
    auto *first = strip.findChild<QWidget *>(QStringLiteral("statusJob_development_sync"));
    auto *second = strip.findChild<QWidget *>(QStringLiteral("statusJob_production_sync"));
    QVERIFY(first && second);
    auto *layout = strip.layout();
    QVERIFY(layout->indexOf(first) < layout->indexOf(second));
    QCOMPARE(strip.findChild<QPushButton *>(QStringLiteral("statusCancel_production_sync"))->accessibleName(),
             QStringLiteral("Cancel production_sync"));
}

void TstJobStatusStrip::cancelReachesOnlyItsJob()
{
    JobStatusStrip strip;
    strip.show();
    QObject a, b;
    int ca = 0, cb = 0;
    strip.registerJob(&a, line(QStringLiteral("a"), &ca));
    strip.registerJob(&b, line(QStringLiteral("b"), &cb));
    strip.setProgress(&b, QStringLiteral("working"));
    auto *cancelB = strip.findChild<QPushButton *>(QStringLiteral("statusCancel_b"));
    QTest::mouseClick(cancelB, Qt::LeftButton);
    QCOMPARE(cb, 1);
    QCOMPARE(ca, 0);
    QVERIFY(!cancelB->isEnabled()); // asked once
    auto *text = strip.findChild<QLabel *>(QStringLiteral("statusText_b"));
    QCOMPARE(text->text(), QStringLiteral("working — cancelling…"));
    strip.setProgress(&b, QStringLiteral("still working")); // the cancel stays said
    QCOMPARE(text->text(), QStringLiteral("working — cancelling…"));
    QCOMPARE(strip.jobCount(), 2); // the line stays until the job ends
}

void TstJobStatusStrip::lineGoneWhenFinishedOrDestroyed()
{
    JobStatusStrip strip;
    QObject a;
    auto b = std::make_unique<QObject>();
    int ca = 0, cb = 0;
    strip.registerJob(&a, line(QStringLiteral("a"), &ca));
    strip.registerJob(b.get(), line(QStringLiteral("b"), &cb));
    strip.unregisterJob(&a); // finished
    QCOMPARE(strip.jobCount(), 1);
    QVERIFY(!strip.findChild<QWidget *>(QStringLiteral("statusJob_a")));
    b.reset(); // its dialog closed while running
    QCOMPARE(strip.jobCount(), 0);
    QVERIFY(!strip.findChild<QWidget *>(QStringLiteral("statusJob_b")));
    strip.unregisterJob(&a); // twice: nothing
    QCOMPARE(ca + cb, 0);
}

QTEST_MAIN(TstJobStatusStrip)
#include "tst_jobstatusstrip.moc"
