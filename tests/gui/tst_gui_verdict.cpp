// The isolation verdict in the real MainWindow (offscreen): always current (F5, Verify, after every
// action, on file change), never green when something could not be checked.
#include "ActionDialog.h"
#include "AuditModels.h"
#include "DataFlowView.h"
#include "DemoWorkspace.h"
#include "EnvironmentTableModel.h"
#include "GuiFixture.h"
#include "MainWindow.h"

#include <QAccessible>
#include <QAction>
#include <QCheckBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace moltdesk;
using guitest::readFile;
using guitest::writeFile;

namespace {

bool listsTitle(FindingsModel *m, const QString &title)
{
    for (int r = 0; r < m->rowCount(); ++r) {
        if (m->finding(r).title == title)
            return true;
    }
    return false;
}

} // namespace

class TstGuiVerdict : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init();
    void cleanup();

    void refreshReAuditsAfterMarkerCopied();
    void stampFixedFindingDisappears();
    void wranglerEditedThenVerifyIsRed();
    void fileChangeMakesBannerStaleAndRechecks();
    void unverifiedIsGrey();
    void editedProfileWatchesItsNewWrangler();
    void noKeysIsUnverifiedNotGreen();
    void lastSyncRemovedByEra();
    void migratedThenSyncedAwayIsNotMigrated();
    void dataFlowHealthy();
    void dataFlowCrossWired();
    void dataFlowWrongBackupDir();
    void dataFlowUnverified();

private:
    QString bucketDir(const QString &env) const
    {
        return m_demo + QStringLiteral("/data/data/") +
               (env.isEmpty() ? QStringLiteral("moltbot") : QStringLiteral("moltbot-") + env);
    }
    QLabel *banner() const { return m_window->findChild<QLabel *>(QStringLiteral("isolationBanner")); }
    // Triggers a window action by name, after checking it exists and is enabled.
    void trigger(const char *name)
    {
        auto *a = m_window->findChild<QAction *>(QString::fromLatin1(name));
        QVERIFY2(a && a->isEnabled(), name);
        a->trigger();
    }
    // The diagram's hops as assistive technology reads them: accessible name -> description.
    QMap<QString, QString> hops() const
    {
        QMap<QString, QString> out;
        auto *view = m_window->findChild<DataFlowView *>(QStringLiteral("dataFlowView"));
        if (!view)
            return out;
        QAccessibleInterface *iface = QAccessible::queryAccessibleInterface(view);
        if (!iface)
            return out;
        for (int i = 0; i < iface->childCount(); ++i) {
            QAccessibleInterface *c = iface->child(i);
            if (c)
                out.insert(c->text(QAccessible::Name), c->text(QAccessible::Description));
        }
        return out;
    }
    void verifyAndWait(const char *state)
    {
        trigger("actionVerify");
        QVERIFY(QTest::qWaitFor(
            [&] {
                return banner()->property("state").toString() == QLatin1String(state) &&
                       !banner()->property("running").toBool();
            },
            20000));
    }
    // Runs an action dialog to the end, accepting its override (conflicts, delete limit) when offered.
    void runToEnd(ActionDialog *dlg)
    {
        QVERIFY(dlg);
        auto *refusal = dlg->findChild<QLabel *>(QStringLiteral("refusalLabel"));
        auto *check = dlg->findChild<QCheckBox *>(QStringLiteral("overrideCheck"));
        auto *run = dlg->findChild<QPushButton *>(QStringLiteral("runButton"));
        QVERIFY(QTest::qWaitFor([&] { return refusal->isVisible() || run->isEnabled(); }, 20000));
        if (refusal->isVisible()) {
            QTest::mouseClick(check, Qt::LeftButton, {}, QPoint(4, check->height() / 2));
            QVERIFY(QTest::qWaitFor([&] { return !refusal->isVisible() && run->isEnabled(); }, 20000));
        }
        QSignalSpy finished(dlg->job(), &Job::finished);
        QTest::mouseClick(run, Qt::LeftButton);
        QVERIFY(finished.wait(60000) || finished.count() == 1);
        const auto result = finished.at(0).at(0).value<JobResult>();
        QVERIFY2(result.ok(), qPrintable(result.summaryLine()));
    }
    bool listsLeftover(const QString &part) const
    {
        FindingsModel *m = m_window->findingsModel();
        for (int r = 0; r < m->rowCount(); ++r) {
            if (m->finding(r).check == QLatin1String("leftover") && m->finding(r).title.contains(part))
                return true;
        }
        return false;
    }
    AuditReport nextAudit(QSignalSpy &spy, int before)
    {
        if (!QTest::qWaitFor([&] { return spy.count() > before; }, 20000))
            return {};
        return spy.last().at(0).value<AuditReport>();
    }

    std::unique_ptr<QTemporaryDir> m_tmp;
    QString m_demo;
    std::unique_ptr<MainWindow> m_window;
};

void TstGuiVerdict::init()
{
    m_tmp = std::make_unique<QTemporaryDir>();
    QVERIFY(m_tmp->isValid());
    m_demo = m_tmp->filePath(QStringLiteral("demo"));
    const Result<QString> profile = DemoWorkspace::create(m_demo);
    QVERIFY(profile.ok());
    m_window = guitest::makeWindow(*m_tmp);
    m_window->show();
    QSignalSpy audited(m_window.get(), &MainWindow::auditFinished);
    m_window->openProfile(profile.value());
    QTRY_VERIFY_WITH_TIMEOUT(audited.count() >= 1, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(banner()->property("state").toString(), QStringLiteral("holds"), 20000);
}

void TstGuiVerdict::cleanup()
{
    m_window.reset();
    m_tmp.reset();
}

void TstGuiVerdict::refreshReAuditsAfterMarkerCopied()
{
    QSignalSpy audited(m_window.get(), &MainWindow::auditFinished);
    QVERIFY(QFile::copy(bucketDir(QStringLiteral("development")) + QStringLiteral("/.moltdesk-environment"),
                        bucketDir(QStringLiteral("production")) + QStringLiteral("/.moltdesk-environment")));
    trigger("actionRefresh");
    const AuditReport r = nextAudit(audited, 0);
    QCOMPARE(r.verdict(), Verdict::Broken);
    QTRY_COMPARE(banner()->property("state").toString(), QStringLiteral("broken"));
    QVERIFY2(banner()->text().startsWith(QStringLiteral("✘ Isolation broken")), qPrintable(banner()->text()));
    auto *status = m_window->findChild<QLabel *>(QStringLiteral("verdictLabel"));
    QVERIFY2(status->text().contains(QLatin1String("broken")), qPrintable(status->text()));
    // And it stays broken on the next F5.
    trigger("actionRefresh");
    nextAudit(audited, 1);
    QCOMPARE(banner()->property("state").toString(), QStringLiteral("broken"));
}

void TstGuiVerdict::stampFixedFindingDisappears()
{
    const QString title = QStringLiteral("moltbot-data has no identity marker");
    QVERIFY(listsTitle(m_window->findingsModel(), title));
    QSignalSpy audited(m_window.get(), &MainWindow::auditFinished);
    const int legacyRow = m_window->environmentModel()->rowOf(QStringLiteral("(legacy)"));
    QVERIFY(legacyRow >= 0);
    m_window->stampMarker(legacyRow);
    QVERIFY(QTest::qWaitFor(
        [&] { return audited.count() >= 1 && !listsTitle(m_window->findingsModel(), title); }, 20000));
    QVERIFY(QFile::exists(bucketDir(QString()) + QStringLiteral("/.moltdesk-environment")));
}

void TstGuiVerdict::wranglerEditedThenVerifyIsRed()
{
    const QString path = m_demo + QStringLiteral("/wrangler.jsonc");
    QByteArray w = readFile(path);
    const QByteArray from = "\"bucket_name\": \"moltbot-data-production\"";
    const int at = w.lastIndexOf(from);
    QVERIFY(at > 0);
    w.replace(at, from.size(), "\"bucket_name\": \"moltbot-data-development\"");
    QVERIFY(writeFile(path, w));
    QSignalSpy audited(m_window.get(), &MainWindow::auditFinished);
    // Verify isolation, without reopening the profile.
    trigger("actionVerify");
    QVERIFY(QTest::qWaitFor([&] { return banner()->property("state").toString() == QLatin1String("broken"); },
                            20000));
    const AuditReport r = audited.last().at(0).value<AuditReport>();
    bool atLine = false;
    for (const Finding &f : r.findings)
        atLine = atLine ||
                 (f.severity == Severity::Failure && f.file == path && f.line == w.left(at).count('\n') + 1);
    QVERIFY(atLine);
    // "Verify again" says the same.
    m_window->findChild<QPushButton *>(QStringLiteral("verifyButton"))->click();
    QVERIFY(QTest::qWaitFor([&] { return audited.count() >= 2; }, 20000));
    QCOMPARE(banner()->property("state").toString(), QStringLiteral("broken"));
}

void TstGuiVerdict::fileChangeMakesBannerStaleAndRechecks()
{
    QSignalSpy audited(m_window.get(), &MainWindow::auditFinished);
    // The start script reverts to the hard-coded path: the seed's Phase 2 bug.
    QVERIFY(writeFile(m_demo + QStringLiteral("/start-moltbot.sh"),
                      "#!/bin/bash\nBACKUP_DIR=\"/data/moltbot\"\n[ -f \"$BACKUP_DIR/.last-sync\" ]\n"));
    // Without any action: the watch notices, the banner goes stale at once (grey, saying which file),
    // then the new verdict arrives.
    QVERIFY(QTest::qWaitFor([&] { return banner()->property("stale").toBool(); }, 10000));
    QVERIFY2(banner()->text().startsWith(QStringLiteral("⟳ stale: start-moltbot.sh changed")),
             qPrintable(banner()->text()));
    QVERIFY(banner()->styleSheet().contains(QLatin1String("#9e9e9e")));
    QVERIFY(QTest::qWaitFor([&] { return banner()->property("state").toString() == QLatin1String("broken"); },
                            20000));
    QCOMPARE(banner()->property("stale").toBool(), false);
    QVERIFY(banner()->text().contains(QLatin1String("checked")));
}

void TstGuiVerdict::editedProfileWatchesItsNewWrangler()
{
    QVERIFY(QFile::copy(m_demo + QStringLiteral("/wrangler.jsonc"),
                        m_demo + QStringLiteral("/wrangler-2.jsonc")));
    const QString profile = m_demo + QStringLiteral("/profile.json");
    QByteArray p = readFile(profile);
    p.replace("\"wrangler\": \"wrangler.jsonc\"", "\"wrangler\": \"wrangler-2.jsonc\"");
    QSignalSpy audited(m_window.get(), &MainWindow::auditFinished);
    QVERIFY(writeFile(profile, p));
    // The watch sees the profile change and audits again, now reading wrangler-2.jsonc.
    QVERIFY(QTest::qWaitFor(
        [&] {
            return audited.count() > 0 && audited.last().at(0).value<AuditReport>().inputs.contains(
                                              m_demo + QStringLiteral("/wrangler-2.jsonc"));
        },
        20000));
    QCOMPARE(banner()->property("state").toString(), QStringLiteral("holds"));
    // Editing the new file is noticed too, without any action.
    QByteArray w = readFile(m_demo + QStringLiteral("/wrangler-2.jsonc"));
    w.replace("\"bucket_name\": \"moltbot-data-production\"",
              "\"bucket_name\": \"moltbot-data-development\"");
    QVERIFY(writeFile(m_demo + QStringLiteral("/wrangler-2.jsonc"), w));
    QVERIFY(QTest::qWaitFor([&] { return banner()->property("state").toString() == QLatin1String("broken"); },
                            20000));
}

void TstGuiVerdict::unverifiedIsGrey()
{
    // Remove the start script from the profile: the container's read path cannot be checked.
    const QString profile = m_demo + QStringLiteral("/profile.json");
    QByteArray p = readFile(profile);
    p.replace("  \"startScript\": \"start-moltbot.sh\",\n", "");
    QVERIFY(writeFile(profile, p));
    trigger("actionVerify");
    QVERIFY(QTest::qWaitFor(
        [&] { return banner()->property("state").toString() == QLatin1String("unverified"); }, 20000));
    QVERIFY2(banner()->text().startsWith(QStringLiteral("? Isolation unverified")),
             qPrintable(banner()->text()));
    QVERIFY(banner()->text().contains(QLatin1String("paths")));
    QVERIFY(banner()->styleSheet().contains(QLatin1String("#616161")));
    QVERIFY(!banner()->styleSheet().contains(QLatin1String("#2e7d32")));
    auto *tabs = m_window->findChild<QTabWidget *>();
    bool greyTab = false;
    for (int i = 0; i < tabs->count(); ++i)
        greyTab = greyTab || tabs->tabText(i) == QStringLiteral("Isolation ?");
    QVERIFY(greyTab);
    // Not-checked findings are grey, not green.
    FindingsModel *f = m_window->findingsModel();
    bool grey = false;
    for (int r = 0; r < f->rowCount(); ++r) {
        if (f->finding(r).severity == Severity::NotChecked)
            grey = f->index(r, FindingsModel::SeverityColumn).data(Qt::ForegroundRole).value<QColor>() ==
                   QColor(0x61, 0x61, 0x61);
    }
    QVERIFY(grey);
}

void TstGuiVerdict::noKeysIsUnverifiedNotGreen()
{
    // An R2 profile with no keys anywhere: the window says unverified, grey, and lists no ✔ for keys.
    const QString dir = m_tmp->filePath(QStringLiteral("r2"));
    QVERIFY(QDir().mkpath(dir));
    QVERIFY(QFile::copy(m_demo + QStringLiteral("/wrangler.jsonc"), dir + QStringLiteral("/wrangler.jsonc")));
    QVERIFY(
        QFile::copy(m_demo + QStringLiteral("/start-moltbot.sh"), dir + QStringLiteral("/start-moltbot.sh")));
    QVERIFY(writeFile(dir + QStringLiteral("/profile.json"),
                      "{ \"environments\": [\"development\", \"production\"], \"includeLegacy\": true,\n"
                      "  \"wrangler\": \"wrangler.jsonc\", \"startScript\": \"start-moltbot.sh\",\n"
                      "  \"storage\": { \"type\": \"s3\", \"endpoint\": \"https://127.0.0.1:9\" } }\n"));
    qputenv("R2_ACCESS_KEY_ID", "");
    qputenv("R2_SECRET_ACCESS_KEY", "");
    QSignalSpy audited(m_window.get(), &MainWindow::auditFinished);
    m_window->openProfile(dir + QStringLiteral("/profile.json"));
    QVERIFY(QTest::qWaitFor(
        [&] { return banner()->property("state").toString() == QLatin1String("unverified"); }, 20000));
    QVERIFY2(banner()->text().contains(QLatin1String("credentials")), qPrintable(banner()->text()));
    QVERIFY(banner()->styleSheet().contains(QLatin1String("#616161")));
    QVERIFY(!listsTitle(m_window->findingsModel(),
                        QStringLiteral("each environment's credentials reach its own bucket only")));
    auto *status = m_window->findChild<QLabel *>(QStringLiteral("verdictLabel"));
    QVERIFY(status->text().contains(QLatin1String("unverified")));
}

void TstGuiVerdict::lastSyncRemovedByEra()
{
    // The demo is the rsync era (its start script restores by .last-sync): production without one is
    // not restored at the next start.
    QVERIFY(QFile::remove(bucketDir(QStringLiteral("production")) + QStringLiteral("/.last-sync")));
    trigger("actionRefresh");
    QVERIFY(QTest::qWaitFor([&] { return banner()->property("state").toString() == QLatin1String("broken"); },
                            20000));
    FindingsModel *m = m_window->findingsModel();
    bool failure = false;
    for (int r = 0; r < m->rowCount(); ++r)
        failure = failure || (m->finding(r).check == QLatin1String("freshness") &&
                              m->finding(r).severity == Severity::Failure &&
                              m->finding(r).environment == QLatin1String("production"));
    QVERIFY(failure);
    // The rclone era: openclaw/ layout, a start script that restores with rclone: normal.
    const QString prod = bucketDir(QStringLiteral("production"));
    QVERIFY(QDir().rename(prod + QStringLiteral("/clawdbot"), prod + QStringLiteral("/openclaw")));
    QVERIFY(writeFile(
        m_demo + QStringLiteral("/start-moltbot.sh"),
        "#!/bin/bash\nif [ -n \"$ENVIRONMENT\" ]; then\n    BACKUP_DIR=\"/data/moltbot-$ENVIRONMENT\"\n"
        "else\n    BACKUP_DIR=\"/data/moltbot\"\nfi\nrclone copy \"r2:b/openclaw\" /root/.openclaw\n"));
    trigger("actionRefresh");
    QVERIFY(QTest::qWaitFor([&] { return banner()->property("state").toString() == QLatin1String("holds"); },
                            20000));
}

void TstGuiVerdict::migratedThenSyncedAwayIsNotMigrated()
{
    const int dev = m_window->environmentModel()->rowOf(QStringLiteral("development"));
    runToEnd(m_window->startAction(Plan::Kind::Migrate, dev));
    QVERIFY(QTest::qWaitFor(
        [&] { return listsTitle(m_window->findingsModel(), QStringLiteral("all legacy data was migrated")); },
        20000));
    // The next sync of development deletes what the container does not have: the migrated objects.
    runToEnd(m_window->startAction(Plan::Kind::Sync, dev));
    QVERIFY(QTest::qWaitFor(
        [&] {
            return listsLeftover(
                QStringLiteral("migrated into moltbot-data-development are gone from it since the sync of"));
        },
        20000));
    QVERIFY(!listsTitle(m_window->findingsModel(), QStringLiteral("all legacy data was migrated")));
}

void TstGuiVerdict::dataFlowHealthy()
{
    const auto h = hops();
    QCOMPARE(h.size(), 3 * 8);
    for (const char *env : {"development", "production"}) {
        const QString e = QString::fromLatin1(env);
        for (const char *hop : {"vars.ENVIRONMENT", "bucket", "sync writes", "restore reads (BACKUP_DIR)"})
            QVERIFY2(h.value(e + QStringLiteral(": ") + QString::fromLatin1(hop))
                         .startsWith(QStringLiteral("✔ ok")),
                     qPrintable(e + QLatin1Char(' ') + QString::fromLatin1(hop) + QLatin1String(" = ") +
                                h.value(e + QStringLiteral(": ") + QString::fromLatin1(hop))));
        QVERIFY(
            h.value(e + QStringLiteral(": wrangler env.") + e).contains(QLatin1String("wrangler.jsonc:")));
    }
    QVERIFY(h.value(QStringLiteral("production: restore reads (BACKUP_DIR)"))
                .contains(QLatin1String("/data/moltbot-production")));
    for (const QString &d : h)
        QVERIFY2(!d.contains(QLatin1String("breaks here")), qPrintable(d));
    // The demo's production bucket has no marker and synced two days ago: warnings, not breaks.
    QVERIFY(h.value(QStringLiteral("production: identity marker")).startsWith(QStringLiteral("▲ warning")));
    QVERIFY(h.value(QStringLiteral("production: last sync")).startsWith(QStringLiteral("▲ warning")));
}

void TstGuiVerdict::dataFlowCrossWired()
{
    // env.production deploys with ENVIRONMENT=development: both chains converge from there on.
    const QString path = m_demo + QStringLiteral("/wrangler.jsonc");
    QByteArray w = readFile(path);
    QVERIFY(w.contains("\"vars\": { \"ENVIRONMENT\": \"production\" }"));
    w.replace("\"vars\": { \"ENVIRONMENT\": \"production\" }",
              "\"vars\": { \"ENVIRONMENT\": \"development\" }");
    QVERIFY(writeFile(path, w));
    verifyAndWait("broken");
    const auto h = hops();
    const QString env = h.value(QStringLiteral("production: vars.ENVIRONMENT"));
    QVERIFY2(env.startsWith(QStringLiteral("✘ broken: development (the chain breaks here)")),
             qPrintable(env));
    QVERIFY(h.value(QStringLiteral("development: vars.ENVIRONMENT")).startsWith(QStringLiteral("✘ broken")));
    QVERIFY(h.value(QStringLiteral("production: bucket"))
                .startsWith(QStringLiteral("✘ broken: moltbot-data-development")));
    QVERIFY(h.value(QStringLiteral("production: mount path")).startsWith(QStringLiteral("✘ broken")));
    QVERIFY(
        h.value(QStringLiteral("production: wrangler env.production")).startsWith(QStringLiteral("✔ ok")));
}

void TstGuiVerdict::dataFlowWrongBackupDir()
{
    QVERIFY(writeFile(m_demo + QStringLiteral("/start-moltbot.sh"),
                      "#!/bin/bash\nBACKUP_DIR=\"/data/moltbot\"\n[ -f \"$BACKUP_DIR/.last-sync\" ]\n"));
    verifyAndWait("broken");
    const auto h = hops();
    for (const char *env : {"development", "production"}) {
        const QString e = QString::fromLatin1(env);
        const QString read = h.value(e + QStringLiteral(": restore reads (BACKUP_DIR)"));
        QVERIFY2(read.startsWith(QStringLiteral("✘ broken: /data/moltbot (the chain breaks here)")),
                 qPrintable(read));
        QVERIFY(read.contains(QLatin1String("start-moltbot.sh:2")));
        QVERIFY(h.value(e + QStringLiteral(": sync writes")).startsWith(QStringLiteral("✔ ok")));
        QVERIFY(h.value(e + QStringLiteral(": bucket")).startsWith(QStringLiteral("✔ ok")));
    }
}

void TstGuiVerdict::dataFlowUnverified()
{
    const QString profile = m_demo + QStringLiteral("/profile.json");
    QByteArray p = readFile(profile);
    p.replace("  \"startScript\": \"start-moltbot.sh\",\n", "");
    p.replace("  \"wrangler\": \"wrangler.jsonc\",\n", "");
    QVERIFY(writeFile(profile, p));
    verifyAndWait("unverified");
    const auto h = hops();
    for (const char *env : {"development", "production"}) {
        const QString e = QString::fromLatin1(env);
        QVERIFY2(h.value(e + QStringLiteral(": restore reads (BACKUP_DIR)"))
                     .startsWith(QStringLiteral("? not-checked")),
                 qPrintable(h.value(e + QStringLiteral(": restore reads (BACKUP_DIR)"))));
        QVERIFY(
            h.value(e + QStringLiteral(": wrangler env.") + e).startsWith(QStringLiteral("? not-checked")));
        QVERIFY(
            h.value(e + QStringLiteral(": vars.ENVIRONMENT")).startsWith(QStringLiteral("? not-checked")));
    }
    for (const QString &d : h)
        QVERIFY2(!d.startsWith(QStringLiteral("✘")), qPrintable(d));
}

QTEST_MAIN(TstGuiVerdict)
#include "tst_gui_verdict.moc"
