// TransferRunner, the apply loop every job shares: what it counts, what it collects, how many
// transfers it runs at once, and where a cancel stops it.
#include "TransferRunner.h"

#include <QMutex>
#include <QTest>
#include <QThread>

using namespace moltdesk;

namespace {

QList<PlanItem> makeItems(int n, PlanAction action = PlanAction::Upload, qint64 size = 100)
{
    QList<PlanItem> items;
    for (int i = 0; i < n; ++i) {
        PlanItem item;
        item.action = action;
        item.key = QStringLiteral("k%1").arg(i, 3, 10, QLatin1Char('0'));
        item.size = size;
        items.append(item);
    }
    return items;
}

QList<const PlanItem *> pointers(const QList<PlanItem> &items)
{
    QList<const PlanItem *> out;
    for (const PlanItem &i : items)
        out.append(&i);
    return out;
}

// Progress reports, kept from whatever thread they come.
struct Reports
{
    QMutex mutex;
    QList<JobProgress> all;
    TransferRunner::Reporter reporter()
    {
        return [this](const JobProgress &p, bool) {
            QMutexLocker lock(&mutex);
            all.append(p);
        };
    }
};

} // namespace

class TestTransferRunner : public QObject
{
    Q_OBJECT
private slots:
    void countsEachSuccessByAction()
    {
        QList<PlanItem> items = makeItems(6, PlanAction::Upload, 10);
        items[1].action = items[4].action = PlanAction::Replace;
        items[2].action = PlanAction::Download;
        items[3].action = PlanAction::Copy;
        Reports reports;
        TransferRunner runner(3, QStringLiteral("uploading"), reports.reporter());
        JobResult result;
        runner.run(
            pointers(items), [](const TransferTicket &) { return success(); },
            &TransferRunner::defaultCounter, CancelToken(), result);
        QCOMPARE(result.uploaded, 2);
        QCOMPARE(result.replaced, 2);
        QCOMPARE(result.downloaded, 1);
        QCOMPARE(result.copied, 1);
        QCOMPARE(result.failed, 0);
        QCOMPARE(result.bytesTransferred, 60);
        // The first report says what is ahead, the last that all of it is done.
        QVERIFY(reports.all.size() >= 2);
        QCOMPARE(reports.all.first().filesDone, 0);
        QCOMPARE(reports.all.first().filesTotal, 6);
        QCOMPARE(reports.all.first().bytesTotal, 60);
        QCOMPARE(reports.all.last().filesDone, 6);
        QCOMPARE(reports.all.last().bytesDone, 60);
        QCOMPARE(reports.all.last().phase, QStringLiteral("uploading"));
    }

    void aCounterOfTheJobsChoosing()
    {
        const QList<PlanItem> items = makeItems(4, PlanAction::Replace);
        TransferRunner runner(2, QStringLiteral("copying"), {});
        JobResult result;
        runner.run(
            pointers(items), [](const TransferTicket &) { return success(); },
            [](PlanAction) { return &JobResult::copied; }, CancelToken(), result);
        QCOMPARE(result.copied, 4);
        QCOMPARE(result.replaced, 0);
    }

    void collectsEveryError()
    {
        const QList<PlanItem> items = makeItems(20);
        TransferRunner runner(4, QStringLiteral("uploading"), {});
        JobResult result;
        runner.run(
            pointers(items),
            [](const TransferTicket &t) -> Status {
                if (t.item().key.endsWith(QLatin1Char('3')) || t.item().key.endsWith(QLatin1Char('7')))
                    return makeError(ErrorKind::Server, QStringLiteral("no"), t.item().key);
                return success();
            },
            &TransferRunner::defaultCounter, CancelToken(), result);
        QCOMPARE(result.failed, 4); // k003 k007 k013 k017
        QCOMPARE(result.errors.size(), 4);
        QCOMPARE(result.uploaded, 16);
        QCOMPARE(result.bytesTransferred, 1600);
        QStringList subjects;
        for (const Error &e : result.errors)
            subjects << e.subject;
        subjects.sort();
        QCOMPARE(subjects, (QStringList{QStringLiteral("k003"), QStringLiteral("k007"),
                                        QStringLiteral("k013"), QStringLiteral("k017")}));
    }

    void neverMoreThanConcurrencyAtOnce_data()
    {
        QTest::addColumn<int>("concurrency");
        QTest::newRow("1") << 1;
        QTest::newRow("3") << 3;
        QTest::newRow("8") << 8;
    }
    void neverMoreThanConcurrencyAtOnce()
    {
        QFETCH(int, concurrency);
        const QList<PlanItem> items = makeItems(4 * concurrency);
        std::atomic<int> running{0}, most{0};
        TransferRunner runner(concurrency, QStringLiteral("uploading"), {});
        QCOMPARE(runner.concurrency(), concurrency);
        JobResult result;
        runner.run(
            pointers(items),
            [&](const TransferTicket &) {
                const int now = ++running;
                int seen = most.load();
                while (now > seen && !most.compare_exchange_weak(seen, now)) {
                }
                QThread::msleep(20);
                --running;
                return success();
            },
            &TransferRunner::defaultCounter, CancelToken(), result);
        QCOMPARE(result.uploaded, 4 * concurrency);
        QVERIFY2(most.load() <= concurrency, qPrintable(QString::number(most.load())));
        QCOMPARE(most.load(), concurrency); // and the pool is used: items wait for a free worker only
    }

    void cancelStopsBeforeTheNextItem()
    {
        const QList<PlanItem> items = makeItems(100);
        CancelToken cancel;
        std::atomic<int> started{0};
        TransferRunner runner(2, QStringLiteral("uploading"), {});
        JobResult result;
        runner.run(
            pointers(items),
            [&](const TransferTicket &t) -> Status {
                if (++started == 5)
                    cancel.cancel();
                QThread::msleep(5);
                if (t.cancel().isCancelled())
                    return makeError(ErrorKind::Cancelled, QStringLiteral("cancelled"), t.item().key);
                return success();
            },
            &TransferRunner::defaultCounter, cancel, result);
        // The item that cancelled and the one beside it may finish; nothing starts after.
        QVERIFY2(started.load() <= 6, qPrintable(QString::number(started.load())));
        QCOMPARE(result.uploaded + result.failed, qint64(started.load()));
        QVERIFY(result.failed >= 1); // the transfers the cancel stopped are collected, as the job's are
        result.setAsideCancelledTransfers();
        QCOMPARE(result.failed, 0);
    }

    void bytesReportedDuringATransferSettleToItsSize()
    {
        const QList<PlanItem> items = makeItems(1, PlanAction::Upload, 1000);
        std::function<void(qint64)> kept;
        std::shared_ptr<TransferProgress> progress;
        {
            TransferRunner runner(1, QStringLiteral("uploading"), {});
            progress = runner.progress();
            JobResult result;
            runner.run(
                pointers(items),
                [&](const TransferTicket &t) {
                    kept = t.onBytes();
                    kept(400);
                    if (progress->bytes.load() != 400)
                        return Status(makeError(ErrorKind::Local, QStringLiteral("onBytes not counted")));
                    kept(100); // a retry counts from 0 again: nothing counted twice
                    kept(700);
                    if (progress->bytes.load() != 700)
                        return Status(makeError(ErrorKind::Local, QStringLiteral("retry counted twice")));
                    return success();
                },
                &TransferRunner::defaultCounter, CancelToken(), result);
            QCOMPARE(result.failed, 0);
            QCOMPARE(progress->bytes.load(), 1000);
            QCOMPARE(progress->files.load(), 1);
        }
        // A storage callback that fires after the runner is gone writes into live, shared state.
        kept(900);
        QCOMPARE(progress->bytes.load(), 1000);
    }

    void etaOnceBytesMove()
    {
        TransferProgress p;
        p.clock.start();
        p.bytesTotal = 1000;
        QCOMPARE(p.snapshot(QStringLiteral("x")).etaSeconds, -1);
        QThread::msleep(250);
        p.bytes = 500;
        const JobProgress s = p.snapshot(QStringLiteral("x"), QStringLiteral("k"));
        QVERIFY(s.bytesPerSecond > 0);
        QVERIFY(s.etaSeconds >= 0);
        QCOMPARE(s.current, QStringLiteral("k"));
    }
};

QTEST_GUILESS_MAIN(TestTransferRunner)
#include "tst_transferrunner.moc"
