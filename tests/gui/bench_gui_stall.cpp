// GUI responsiveness benchmark (label "bench", not in the default run): the longest stall of the UI
// thread's event loop while the real main window works, measured as a 5 ms timer's lateness, and the
// process's peak RSS for each scenario (the peak is reset at its start). Targets (issue 17): every
// stall under 50 ms, under 200 MB.
//   longestStallDuringSync       mount mode: syncing the standard 3,007-file tree
//   longestStallOpeningFolder    the real S3 server: the Contents tab opening a folder of 10,000 objects
//   longestStallComparing        mount mode: View > Compare on two buckets of 100,000 objects each, then
//                                showing the identical ones and filtering by name
// One scenario per process gives its own peak: `bench_gui_stall longestStallComparing`.
// BENCH_COMPARE_OBJECTS and BENCH_FOLDER_OBJECTS change the sizes (for a quick try).
#include "ActionDialog.h"
#include "BucketBrowserModel.h"
#include "CompareDialog.h"
#include "CompareModel.h"
#include "MainWindow.h"
#include "ProcStatus.h"
#include "S3Transport.h"
#include "TestServer.h"
#include "TestTree.h"

#include <QCheckBox>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QPushButton>
#include <QSemaphore>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeView>
#include <algorithm>

using namespace moltdesk;

namespace {

// The UI thread's lateness: a 5 ms precise timer records how late each tick came.
class StallMeter
{
public:
    StallMeter()
    {
        m_tick.setTimerType(Qt::PreciseTimer);
        m_tick.setInterval(5);
        QObject::connect(&m_tick, &QTimer::timeout, &m_tick, [this]() {
            const qint64 now = m_clock.nsecsElapsed();
            const SchedStat sched = SchedStat::ofThisThread();
            const qint64 late = qMax<qint64>(0, now - m_last - 5'000'000);
            if (m_lateness.isEmpty() || late > m_worst) {
                m_worst = late;
                m_worstAt = now;
                m_worstSched = sched - m_lastSched;
            }
            m_lateness.append(late);
            m_last = now;
            m_lastSched = sched;
        });
    }
    void start()
    {
        m_lateness.clear();
        m_worst = 0;
        m_clock.start();
        m_last = 0;
        m_lastSched = SchedStat::ofThisThread();
        m_tick.start();
    }
    void stop() { m_tick.stop(); }
    double longestMs() const
    {
        return m_lateness.isEmpty() ? 0.0
                                    : double(*std::max_element(m_lateness.begin(), m_lateness.end())) / 1e6;
    }
    double p99Ms() const
    {
        QList<qint64> s = m_lateness;
        std::sort(s.begin(), s.end());
        return s.isEmpty() ? 0.0 : double(s.at(int(double(s.size()) * 0.99))) / 1e6;
    }
    double seconds() const { return double(m_clock.elapsed()) / 1000.0; }
    QString summary(const QString &what) const
    {
        // Where the longest stall fell, and how the UI thread spent it (the kernel's schedstat): on a
        // CPU is its own work; waiting for a CPU is the machine's load; the rest it was blocked (a
        // lock, a page fault, I/O).
        return QStringLiteral("%1: longest %2 ms (at %3 s; UI thread on CPU %4 ms, waiting for a CPU %5 "
                              "ms), p99 %6 ms, %7 ticks over %8 s")
            .arg(what)
            .arg(longestMs(), 0, 'f', 1)
            .arg(double(m_worstAt) / 1e9, 0, 'f', 2)
            .arg(double(m_worstSched.onCpu) / 1e6, 0, 'f', 1)
            .arg(double(m_worstSched.waiting) / 1e6, 0, 'f', 1)
            .arg(p99Ms(), 0, 'f', 1)
            .arg(m_lateness.size())
            .arg(seconds(), 0, 'f', 1);
    }

private:
    // /proc/thread-self/schedstat: ns on a CPU, ns runnable but waiting for one.
    struct SchedStat
    {
        qint64 onCpu = 0;
        qint64 waiting = 0;
        SchedStat operator-(const SchedStat &o) const { return {onCpu - o.onCpu, waiting - o.waiting}; }
        static SchedStat ofThisThread()
        {
            QFile f(QStringLiteral("/proc/thread-self/schedstat"));
            if (!f.open(QIODevice::ReadOnly))
                return {};
            const QList<QByteArray> v = f.readAll().split(' ');
            return {v.value(0).toLongLong(), v.value(1).toLongLong()};
        }
    };

    QTimer m_tick;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    SchedStat m_lastSched;
    qint64 m_worst = 0;
    qint64 m_worstAt = 0;   // ns since start() when the longest stall ended
    SchedStat m_worstSched; // how the UI thread spent it
    QList<qint64> m_lateness;
};

// Peak RSS since the last reset (VmHWM), in MiB; resetPeak() starts a scenario's own peak.
double peakMiB()
{
    const qint64 kib = procStatusKiB("VmHWM");
    return kib < 0 ? -1 : double(kib) / 1024.0;
}
void resetPeak()
{
    QFile f(QStringLiteral("/proc/self/clear_refs"));
    if (f.open(QIODevice::WriteOnly))
        f.write("5");
}

int sizeFromEnv(const char *name, int fallback)
{
    const int n = qEnvironmentVariableIntValue(name);
    return n > 0 ? n : fallback;
}

void writeProfile(const QString &path, const QJsonObject &profile)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QJsonDocument(profile).toJson());
}

// The bytes of note `i`: 64 to 463 bytes, different for every i; `variant` changes them at the same size.
QByteArray noteBytes(int i, int variant = 0)
{
    QByteArray b = QByteArray::number(i).repeated(1 + (i % 400) / 4).left(64 + i % 400);
    b = b.leftJustified(64 + i % 400, '.');
    b[0] = char('a' + variant);
    return b;
}

} // namespace

class BenchGuiStall : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void longestStallDuringSync();
    void longestStallOpeningFolder();
    void longestStallComparing();

private:
    std::unique_ptr<MainWindow> openWindow(const QString &dir, const QString &profile);
    static bool fillFolder(S3Transport &transport, const QString &bucket, const QString &prefix, int n);
};

std::unique_ptr<MainWindow> BenchGuiStall::openWindow(const QString &dir, const QString &profile)
{
    MainWindow::Options o;
    o.activityLogPath = dir + QStringLiteral("/activity.jsonl");
    o.useKeychain = false;
    auto window = std::make_unique<MainWindow>(o);
    window->show();
    QSignalSpy refreshed(window.get(), &MainWindow::statusRefreshed);
    window->openProfile(profile);
    if (!QTest::qWaitFor([&]() { return refreshed.count() >= 1; }, 60000))
        return nullptr;
    return window;
}

void BenchGuiStall::longestStallDuringSync()
{
    resetPeak();
    QTemporaryDir tmp;
    test::TestTree::make(tmp.filePath(QStringLiteral("tree")));
    QJsonArray sets;
    for (const char *p : {"clawdbot", "workspace", "skills"})
        sets.append(
            QJsonObject{{QStringLiteral("local"), QString(QStringLiteral("tree/") + QLatin1String(p))},
                        {QStringLiteral("prefix"), QString(QLatin1String(p) + QStringLiteral("/"))}});
    writeProfile(tmp.filePath(QStringLiteral("profile.json")),
                 QJsonObject{{QStringLiteral("environments"), QJsonArray{QStringLiteral("development")}},
                             {QStringLiteral("includeLegacy"), false},
                             {QStringLiteral("storage"),
                              QJsonObject{{QStringLiteral("type"), QStringLiteral("mount")},
                                          {QStringLiteral("root"), QStringLiteral("data")}}},
                             {QStringLiteral("syncSets"), sets}});
    QDir().mkpath(tmp.filePath(QStringLiteral("data/data/moltbot-development")));
    auto window = openWindow(tmp.path(), tmp.filePath(QStringLiteral("profile.json")));
    QVERIFY(window);
    window->selectRow(0);
    window->findChild<QAction *>(QStringLiteral("actionSync"))->trigger();
    auto *dlg = window->findChild<ActionDialog *>(QStringLiteral("actionDialog"));
    QVERIFY(dlg);
    auto *run = dlg->findChild<QPushButton *>(QStringLiteral("runButton"));
    QTRY_VERIFY_WITH_TIMEOUT(run->isEnabled(), 60000);

    StallMeter meter;
    QSignalSpy finished(dlg->job(), &Job::finished);
    meter.start();
    QTest::mouseClick(run, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 300000);
    QTest::qWait(200); // the result reaching the window is part of the work
    meter.stop();
    const auto result = finished.at(0).at(0).value<JobResult>();
    QVERIFY2(result.ok(), qPrintable(result.summaryLine()));
    QCOMPARE(result.uploaded, 3007);
    qInfo("%s; peak %.1f MiB (target: longest < 50 ms)",
          qPrintable(meter.summary(QStringLiteral("GUI stall during a 3,007-file sync"))), peakMiB());
    QVERIFY2(meter.longestMs() < 50.0,
             qPrintable(QStringLiteral("longest stall %1 ms").arg(meter.longestMs())));
}

// PUTs notes 0..n-1 under `prefix`, 32 in flight.
bool BenchGuiStall::fillFolder(S3Transport &transport, const QString &bucket, const QString &prefix, int n)
{
    QSemaphore inFlight(32);
    std::atomic<int> failed{0};
    QList<QFuture<void>> pending;
    for (int i = 0; i < n; ++i) {
        inFlight.acquire();
        HttpCall c;
        c.method = "PUT";
        c.bucket = bucket;
        c.key = prefix + QStringLiteral("note%1.md").arg(i, 6, 10, QLatin1Char('0'));
        c.body = noteBytes(i);
        pending << transport.send(c).then([&inFlight, &failed](const HttpReply &r) {
            if (!r.ok())
                ++failed;
            inFlight.release();
        });
    }
    for (QFuture<void> &f : pending)
        f.waitForFinished();
    return failed == 0;
}

void BenchGuiStall::longestStallOpeningFolder()
{
    test::TestServer server;
    if (!server.load()) {
        if (test::TestServer::required())
            QFAIL(qPrintable(server.why()));
        QSKIP(qPrintable(QStringLiteral("not checked: ") + server.why()));
    }
    const int n = sizeFromEnv("BENCH_FOLDER_OBJECTS", 10000);
    const QString bucket = QStringLiteral("moltdesk-bench");
    const QString prefix = QStringLiteral("workspace/memory/");
    const test::ServerUser admin = server.user(QStringLiteral("admin"));
    S3Config config;
    config.endpoint = server.endpoint();
    config.region = server.region().isEmpty() ? QStringLiteral("auto") : server.region();
    config.accessKeyId = admin.accessKeyId;
    config.secretAccessKey = admin.secret;
    {
        // The folder as the benchmark needs it: the n notes (PUT again on each run, same keys and bytes).
        // Another run's larger folder would hold more: then the row count below says so.
        S3Transport transport(config);
        QElapsedTimer fill;
        fill.start();
        QVERIFY(fillFolder(transport, bucket, prefix, n));
        qInfo("filled %s/%s with %d objects in %.1f s", qPrintable(bucket), qPrintable(prefix), n,
              double(fill.elapsed()) / 1000.0);
    }
    QTemporaryDir tmp;
    writeProfile(tmp.filePath(QStringLiteral("profile.json")),
                 QJsonObject{{QStringLiteral("environments"), QJsonArray{QStringLiteral("bench")}},
                             {QStringLiteral("includeLegacy"), false},
                             {QStringLiteral("naming"),
                              QJsonObject{{QStringLiteral("bucketBase"), QStringLiteral("moltdesk")},
                                          {QStringLiteral("mountBase"), QStringLiteral("/data/moltdesk")},
                                          {QStringLiteral("instanceBase"), QStringLiteral("moltdesk")}}},
                             {QStringLiteral("storage"),
                              QJsonObject{{QStringLiteral("type"), QStringLiteral("s3")},
                                          {QStringLiteral("endpoint"), config.endpoint.toString()}}}});
    QFile vars(tmp.filePath(QStringLiteral(".dev.vars")));
    QVERIFY(vars.open(QIODevice::WriteOnly));
    vars.write(QStringLiteral("R2_ACCESS_KEY_ID=%1\nR2_SECRET_ACCESS_KEY=%2\n")
                   .arg(admin.accessKeyId, admin.secret)
                   .toUtf8());
    vars.close();

    resetPeak();
    auto window = openWindow(tmp.path(), tmp.filePath(QStringLiteral("profile.json")));
    QVERIFY(window);
    window->selectRow(0);
    window->findChild<QTabWidget *>(QStringLiteral("detailTabs"))->setCurrentIndex(1);
    BucketBrowserModel *model = window->browserModel();
    auto *view = window->findChild<QTreeView *>(QStringLiteral("contentsView"));
    const auto find = [model](const QModelIndex &parent, const QString &name) {
        for (int r = 0; r < model->rowCount(parent); ++r)
            if (model->index(r, 0, parent).data().toString() == name)
                return model->index(r, 0, parent);
        return QModelIndex();
    };
    QTRY_VERIFY_WITH_TIMEOUT(find({}, QStringLiteral("workspace/")).isValid(), 60000);
    QTRY_VERIFY_WITH_TIMEOUT(!model->isLoading(), 60000);
    view->expand(find({}, QStringLiteral("workspace/")));
    QTRY_VERIFY_WITH_TIMEOUT(
        find(find({}, QStringLiteral("workspace/")), QStringLiteral("memory/")).isValid(), 60000);
    QTRY_VERIFY_WITH_TIMEOUT(!model->isLoading() && model->hasTotals(), 120000);

    // From the click that opens the folder to its rows shown, and a little after (the paints).
    const QModelIndex folder = find(find({}, QStringLiteral("workspace/")), QStringLiteral("memory/"));
    StallMeter meter;
    meter.start();
    view->setCurrentIndex(folder);
    view->expand(folder);
    QTRY_VERIFY_WITH_TIMEOUT(model->rowCount(folder) >= n && !model->isLoading(), 120000);
    const double shownAfter = meter.seconds();
    view->scrollTo(model->index(model->rowCount(folder) - 1, 0, folder)); // to the end and back
    QTest::qWait(100);
    view->scrollTo(model->index(0, 0, folder));
    QTest::qWait(300);
    meter.stop();
    QCOMPARE(model->rowCount(folder), n);
    qInfo("%s; rows shown after %.2f s; peak %.1f MiB (targets: longest < 50 ms, < 200 MB)",
          qPrintable(meter.summary(QStringLiteral("GUI stall opening a folder of %1 objects (S3)").arg(n))),
          shownAfter, peakMiB());
    QVERIFY2(meter.longestMs() < 50.0,
             qPrintable(QStringLiteral("longest stall %1 ms").arg(meter.longestMs())));
    QVERIFY2(peakMiB() < 200.0, qPrintable(QStringLiteral("peak %1 MiB").arg(peakMiB())));
}

void BenchGuiStall::longestStallComparing()
{
    const int n = sizeFromEnv("BENCH_COMPARE_OBJECTS", 100000);
    QTemporaryDir tmp;
    // Two buckets of n notes each (mount mode: 200,000 objects through this test server's S3 API take
    // longer to upload than the whole benchmark): the same notes, except n/100 whose bytes differ at the
    // same size, n/100 only in development and n/100 only in production.
    QElapsedTimer fill;
    fill.start();
    for (const char *env : {"development", "production"}) {
        const QString root = tmp.filePath(QStringLiteral("data/data/moltbot-") + QLatin1String(env) +
                                          QStringLiteral("/workspace/memory/"));
        const bool prod = qstrcmp(env, "production") == 0;
        for (int d = 0; d < 500; ++d)
            QDir().mkpath(root + QStringLiteral("%1").arg(d, 3, 10, QLatin1Char('0')));
        for (int i = 0; i < n; ++i) {
            if ((prod && i % 100 == 1) || (!prod && i % 100 == 2))
                continue; // only in the other one
            QFile f(root + QStringLiteral("%1/note%2.md")
                               .arg(i % 500, 3, 10, QLatin1Char('0'))
                               .arg(i, 6, 10, QLatin1Char('0')));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(noteBytes(i, prod && i % 100 == 3 ? 1 : 0));
        }
    }
    qInfo("wrote 2 x %d files in %.1f s", n, double(fill.elapsed()) / 1000.0);
    writeProfile(tmp.filePath(QStringLiteral("profile.json")),
                 QJsonObject{{QStringLiteral("environments"),
                              QJsonArray{QStringLiteral("development"), QStringLiteral("production")}},
                             {QStringLiteral("includeLegacy"), false},
                             {QStringLiteral("storage"),
                              QJsonObject{{QStringLiteral("type"), QStringLiteral("mount")},
                                          {QStringLiteral("root"), QStringLiteral("data")}}}});
    resetPeak();
    auto window = openWindow(tmp.path(), tmp.filePath(QStringLiteral("profile.json")));
    QVERIFY(window);
    qInfo("window open, before comparing: peak %.1f MiB", peakMiB());

    StallMeter meter;
    meter.start();
    CompareDialog *dlg = window->showCompareDialog(0, 1);
    QVERIFY(dlg);
    QSignalSpy compared(dlg, &CompareDialog::compared);
    QTRY_VERIFY_WITH_TIMEOUT(compared.count() == 1 || !dlg->isComparing(), 900000);
    const double comparedAfter = meter.seconds();
    QTest::qWait(300);
    meter.stop();
    const CompareCounts &t = dlg->model()->comparison().totals;
    QCOMPARE(t.total(), qint64(n)); // every note is in one bucket at least
    qInfo("%s; compared after %.1f s; peak %.1f MiB (targets: longest < 50 ms, < 200 MB)",
          qPrintable(meter.summary(QStringLiteral("GUI stall comparing 2 x %1 objects").arg(n))),
          comparedAfter, peakMiB());
    const double compareStall = meter.longestMs();

    // Then what a person does next: show the identical keys too (every row), and filter by name.
    meter.start();
    dlg->findChild<QCheckBox *>(QStringLiteral("showIdentical"))->setChecked(true);
    QTest::qWait(300);
    meter.stop();
    QCOMPARE(dlg->filterModel()->rowCount(), n);
    qInfo("%s", qPrintable(meter.summary(QStringLiteral("GUI stall showing all %1 rows").arg(n))));
    const double showAllStall = meter.longestMs();
    meter.start();
    QTest::keyClicks(dlg->findChild<QLineEdit *>(QStringLiteral("compareFilter")),
                     QStringLiteral("001/note"));
    QTRY_COMPARE_WITH_TIMEOUT(dlg->filterModel()->keyFilter(), QStringLiteral("001/note"), 5000);
    QTest::qWait(300);
    meter.stop();
    QVERIFY(dlg->filterModel()->rowCount() > 0);
    qInfo("%s; peak %.1f MiB",
          qPrintable(meter.summary(QStringLiteral("GUI stall typing a filter, 8 keystrokes"))), peakMiB());
    const double worst = std::max({compareStall, showAllStall, meter.longestMs()});
    QVERIFY2(worst < 50.0, qPrintable(QStringLiteral("longest stall %1 ms").arg(worst)));
    QVERIFY2(peakMiB() < 200.0, qPrintable(QStringLiteral("peak %1 MiB").arg(peakMiB())));
}

QTEST_MAIN(BenchGuiStall)
#include "bench_gui_stall.moc"
